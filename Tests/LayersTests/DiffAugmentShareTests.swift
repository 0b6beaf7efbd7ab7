import Tensors
import TestSupport
import Testing

@testable import Layers

/// DiffAugment under a data-parallel share (mpirun): each rank draws the whole batch's
/// factors and keeps its rows', so its images are augmented as one process augments them,
/// forward and backward, and the stream ends where one process leaves it.
@Suite("Differentiable augmentation, split across ranks")
struct DiffAugmentShareTests {
  @Test(
    "each rank's rows, forward and backward, are those of the whole batch in one process",
    arguments: [2, 3, 5])
  func rowsOfTheWhole(ranks: Int) {
    let all: Set<Augmentation> = [.color, .translation, .cutout]
    let whole = randomTensor(Shape(7, 8, 6, 3), seed: 2)
    let gradient = randomTensor(whole.shape, seed: 3)
    let one = DiffAugment(all)
    let oneRandom = RandomSource(seed: 9)
    let y = one.forward(whole, random: oneRandom).values
    let gx = one.backward(gradient).values
    let perImage = whole.count / 7
    for rank in 0..<ranks {
      let share = BatchShare(global: 7, rank: rank, ranks: ranks)
      let random = RandomSource(seed: 9)
      random.share = share
      let part = DiffAugment(all)
      let rows = share.offset * perImage..<(share.offset + share.count) * perImage
      #expect(
        part.forward(share.rows(of: whole, reusing: nil), random: random).values == Array(y[rows]), "rank \(rank)")
      #expect(part.backward(share.rows(of: gradient, reusing: nil)).values == Array(gx[rows]), "rank \(rank)")
      #expect(random.generator.next() == RandomSource(generator: oneRandom.generator).generator.next(), "rank \(rank)")
    }
  }
}
