import Layers
import Tensors
import TestSupport
import Testing

@Suite("Hinge loss")
struct HingeLossTests {
  /// The mean loss and its gradient for scores `values`.
  static func evaluate(_ values: [Float], target: Float, generator: Bool) -> (Double, [Float]) {
    let x = Tensor(shape: Shape(values.count, 1), values: values)
    let g = Tensor(zeros: x.shape)
    let loss = Loss.hinge.evaluate(x, target: target, input: .probabilities, gradient: g, generator: generator)
    return (loss, g.values)
  }

  @Test("D's and G's hinge losses by hand")
  func byHand() {
    // Real scores 2, 0.5, −1: max(0, 1 − s) = 0, 0.5, 2 → mean 2.5 / 3.
    let (real, gradReal) = Self.evaluate([2, 0.5, -1], target: 1, generator: false)
    #expect(abs(real - 2.5 / 3) < 1e-6)
    let third: Float = 1 / 3
    #expect(gradReal == [0, -third, -third])
    // Fake scores −2, 0, 3: max(0, 1 + s) = 0, 1, 4 → mean 5 / 3.
    let (fake, gradFake) = Self.evaluate([-2, 0, 3], target: 0, generator: false)
    #expect(abs(fake - 5 / 3) < 1e-6)
    #expect(gradFake == [0, third, third])
    // G: −mean s = −(−2 + 0 + 3) / 3, whatever the margins.
    let (g, gradG) = Self.evaluate([-2, 0, 3], target: 1, generator: true)
    #expect(abs(g + 1 / 3) < 1e-6)
    #expect(gradG == [-third, -third, -third])
  }

  @Test("at s = 0 (σ = 0.5, undecided) each half of D's loss is 1 and G's is 0, as 'help losses' says")
  func undecided() {
    #expect(Self.evaluate([0, 0], target: 1, generator: false).0 == 1)
    #expect(Self.evaluate([0, 0], target: 0, generator: false).0 == 1)
    #expect(Self.evaluate([0, 0], target: 1, generator: true).0 == 0)
  }

  @Test("gradients match finite differences away from the kinks at ±1")
  func gradients() {
    let scores: [Float] = [-2.5, -0.4, 0.3, 0.8, 1.7, -1.3]
    for (target, generator) in [(Float(1), false), (0, false), (1, true)] {
      let (_, analytic) = Self.evaluate(scores, target: target, generator: generator)
      let h: Float = 1e-3
      for i in scores.indices {
        var plus = scores
        var minus = scores
        plus[i] += h
        minus[i] -= h
        let numeric =
          (Self.evaluate(plus, target: target, generator: generator).0
            - Self.evaluate(minus, target: target, generator: generator).0) / Double(2 * h)
        #expect(
          abs(Double(analytic[i]) - numeric) <= 1e-3 * max(abs(numeric), 1),
          "target \(target) generator \(generator) [\(i)]: \(analytic[i]) vs \(numeric)")
      }
    }
  }
}
