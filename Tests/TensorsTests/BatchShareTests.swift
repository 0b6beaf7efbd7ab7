import Tensors
import Testing

/// One MPI rank's rows of a batch, and the draws made for them.
@Suite("Batch shares")
struct BatchShareTests {
  @Test("the ranks' parts cover the batch once, in order, and differ by at most one")
  func partsCoverTheBatch() {
    for global in [1, 2, 7, 10, 32, 33, 64] {
      for ranks in 1...min(global, 5) {
        let parts = (0..<ranks).map { BatchShare(global: global, rank: $0, ranks: ranks) }
        var next = 0
        for p in parts {
          #expect(p.offset == next && p.global == global, "batch \(global) over \(ranks): \(parts)")
          next += p.count
        }
        #expect(next == global)
        let sizes = parts.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1 && sizes.min()! >= 1)
      }
    }
    #expect((0..<3).map { BatchShare(global: 32, rank: $0, ranks: 3).count } == [10, 11, 11])
    #expect(BatchShare.whole(5).fraction == 1 && BatchShare(global: 32, rank: 0, ranks: 3).fraction == 10 / 32)
  }

  @Test("rows(of:) copies the part's rows")
  func rows() {
    let whole = Tensor(shape: Shape(5, 2), values: (0..<10).map(Float.init))
    let part = BatchShare(global: 5, rank: 1, ranks: 2).rows(of: whole, reusing: nil)
    #expect(part.shape == Shape(3, 2) && part.values == [4, 5, 6, 7, 8, 9])
  }

  @Test("uniforms under a share are the whole batch's draws for the part's rows, and the stream moves as for the whole")
  func uniformsUnderAShare() {
    let perRow = 3
    for ranks in [2, 3] {
      let single = RandomSource(seed: 11)
      var whole: [Float] = []
      single.uniforms(10 * perRow) { _, u in whole.append(u) }
      let after = single.uniform()
      var joined: [Float] = []
      for rank in 0..<ranks {
        let source = RandomSource(seed: 11)
        source.share = BatchShare(global: 10, rank: rank, ranks: ranks)
        let count = source.share!.count * perRow
        var part = [Float](repeating: -1, count: count)
        source.uniforms(count) { i, u in part[i] = u }
        joined += part
        source.share = nil
        #expect(source.uniform() == after, "rank \(rank) of \(ranks): the stream moved differently")
      }
      #expect(joined == whole, "\(ranks) ranks")
    }
  }
}
