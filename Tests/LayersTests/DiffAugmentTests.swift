import Tensors
import TestSupport
import Testing

@testable import Layers

/// DiffAugment: each augmentation against the official `DiffAugment_pytorch.py` formulas
/// written out here with the same draws, and each backward against finite differences.
@Suite("Differentiable augmentation")
struct DiffAugmentTests {
  static let shape = Shape(3, 8, 6, 3)

  /// `policy` as a layer whose every forward draws from the same seed, so the factors stay
  /// fixed while the gradient checker perturbs the input.
  final class Fixed: Layer {
    let augment: DiffAugment
    let spec = LayerSpec.flatten
    let inputShape = Shape(8, 6, 3)
    let outputShape = Shape(8, 6, 3)
    init(_ policy: Set<Augmentation>, shift: Float = DiffAugment.defaultShift) {
      augment = DiffAugment(policy, shift: shift)
    }
    func forward(_ input: Tensor, mode: Mode) -> Tensor { augment.forward(input, random: RandomSource(seed: 8)) }
    func backwardInput(_ gradOutput: Tensor) -> Tensor { augment.backward(gradOutput) }
  }

  @Test(
    "backward matches finite differences, draws fixed",
    arguments: [[Augmentation.color], [.translation], [.cutout], [.color, .translation, .cutout]])
  func gradients(_ policy: [Augmentation]) {
    let failures = gradientCheckFailures(layer: Fixed(Set(policy)), input: randomTensor(Self.shape, seed: 4))
    #expect(failures.isEmpty, "\(policy): \(failures.prefix(3).joined(separator: "\n"))")
  }

  @Test("backward matches finite differences with a wider translation (shift 0.3: ±2 pixels)")
  func gradientsWiderShift() {
    let failures = gradientCheckFailures(
      layer: Fixed([.translation], shift: 0.3), input: randomTensor(Self.shape, seed: 4))
    #expect(failures.isEmpty, "\(failures.prefix(3).joined(separator: "\n"))")
  }

  @Test("the policy applies in the canonical order, whatever order it was named in")
  func canonicalOrder() {
    #expect(DiffAugment([.cutout, .color, .translation]).policy == [.color, .translation, .cutout])
  }

  @Test("color is the official brightness, saturation and contrast, one factor each per image")
  func color() {
    let x = randomTensor(Self.shape, seed: 5)
    let y = DiffAugment([.color]).forward(x, random: RandomSource(seed: 2))
    let random = RandomSource(seed: 2)
    let (n, c) = (Self.shape[0], Self.shape[3])
    let b = (0..<n).map { _ in Double(random.uniform()) - 0.5 }
    let s = (0..<n).map { _ in Double(random.uniform()) * 2 }
    let k = (0..<n).map { _ in Double(random.uniform()) + 0.5 }
    let per = x.count / n
    for i in 0..<n {
      var v = (0..<per).map { Double(x[i * per + $0]) + b[i] }
      for p in stride(from: 0, to: per, by: c) {
        let m = v[p..<(p + c)].reduce(0, +) / Double(c)
        for j in p..<(p + c) { v[j] = (v[j] - m) * s[i] + m }
      }
      let mean = v.reduce(0, +) / Double(per)
      v = v.map { ($0 - mean) * k[i] + mean }
      for j in 0..<per { #expect(abs(Double(y[i * per + j]) - v[j]) < 1e-5, "image \(i) value \(j)") }
    }
  }

  @Test(
    "translation and cutout are the official index arithmetic (clamped grids, zero padding)",
    arguments: [(Float(0.125), 3), (0.3, 32)])
  func geometry(shift: Float, images: Int) {
    let (n, h, w, c) = (images, Self.shape[1], Self.shape[2], Self.shape[3])
    let x = randomTensor(Shape(n, h, w, c), seed: 6)
    func forEachValue(_ body: (Int, Int, Int, Int) -> Void) {
      for i in 0..<n { for r in 0..<h { for q in 0..<w { for k in 0..<c { body(i, r, q, k) } } } }
    }
    func at(_ t: Tensor, _ i: Int, _ r: Int, _ q: Int, _ k: Int) -> Float { t[((i * h + r) * w + q) * c + k] }
    // translation: x_pad[clamp(r + dy + 1, 0, H + 1)], the padding being zero; dy in ±round(shift·H).
    let shifted = DiffAugment([.translation], shift: shift).forward(x, random: RandomSource(seed: 3)).copy()
    var random = RandomSource(seed: 3)
    let (sh, sw) = (Int(Double(h) * Double(shift) + 0.5), Int(Double(w) * Double(shift) + 0.5))
    let dy = (0..<n).map { _ in Int.random(in: -sh...sh, using: &random.generator) }
    let dx = (0..<n).map { _ in Int.random(in: -sw...sw, using: &random.generator) }
    #expect(Set(dy).count > 1 || Set(dx).count > 1, "the draws should differ between images")
    forEachValue { i, r, q, k in
      let (pr, pq) = (min(max(r + dy[i] + 1, 0), h + 1), min(max(q + dx[i] + 1, 0), w + 1))
      let expected = (1...h).contains(pr) && (1...w).contains(pq) ? at(x, i, pr - 1, pq - 1, k) : 0
      #expect(at(shifted, i, r, q, k) == expected)
    }
    guard shift == DiffAugment.defaultShift else { return }
    // cutout: mask[clamp(offset + g − size/2, 0, H − 1)] = 0 for g in 0..<size.
    let cut = DiffAugment([.cutout]).forward(x, random: RandomSource(seed: 4)).copy()
    random = RandomSource(seed: 4)
    let (ch, cw) = (Int(Double(h) * 0.5 + 0.5), Int(Double(w) * 0.5 + 0.5))
    let oy = (0..<n).map { _ in Int.random(in: 0..<(h + 1 - ch % 2), using: &random.generator) }
    let ox = (0..<n).map { _ in Int.random(in: 0..<(w + 1 - cw % 2), using: &random.generator) }
    let rows = (0..<n).map { i in Set((0..<ch).map { min(max(oy[i] + $0 - ch / 2, 0), h - 1) }) }
    let columns = (0..<n).map { i in Set((0..<cw).map { min(max(ox[i] + $0 - cw / 2, 0), w - 1) }) }
    forEachValue { i, r, q, k in
      let zeroed = rows[i].contains(r) && columns[i].contains(q)
      #expect(at(cut, i, r, q, k) == (zeroed ? 0 : at(x, i, r, q, k)))
    }
  }
}
