import Layers
import Tensors
import TestSupport
import Testing

@Suite("Losses")
struct LossTests {
  /// Central differences of the mean loss with respect to each prediction.
  static func expectGradient(_ loss: Loss, _ input: LossInput, _ values: [Float], target: Float) {
    let x = Tensor(shape: Shape(values.count, 1), values: values)
    let g = Tensor(zeros: x.shape)
    _ = loss.evaluate(x, target: target, input: input, gradient: g)
    let scratch = Tensor(zeros: x.shape)
    let h: Float = 1e-3
    for i in 0..<x.count {
      let saved = x[i]
      x[i] = saved + h
      let plus = loss.evaluate(x, target: target, input: input, gradient: scratch)
      x[i] = saved - h
      let minus = loss.evaluate(x, target: target, input: input, gradient: scratch)
      x[i] = saved
      let numeric = (plus - minus) / Double(2 * h)
      #expect(
        abs(Double(g[i]) - numeric) <= 1e-2 * max(abs(numeric), 1), "\(loss) \(input) [\(i)]: \(g[i]) vs \(numeric)")
    }
  }

  @Test("gradients match finite differences")
  func gradients() {
    for target: Float in [0, 1, 0.9] {
      Self.expectGradient(.bce, .logits, [-3, -0.5, 0.2, 4], target: target)
      Self.expectGradient(.bce, .probabilities, [0.1, 0.4, 0.7, 0.95], target: target)
      Self.expectGradient(.mse, .probabilities, [-1, 0.2, 0.5, 2], target: target)
    }
  }

  @Test("label noise moves each sample's target: the loss and gradient of sample i are those at target + noise[i]")
  func perSampleTargets() {
    let noise: [Float] = [0, 0.05, 0.02, 0.049]
    for (loss, input, values) in [
      (Loss.bce, LossInput.logits, [Float(-3), -0.5, 0.2, 4]), (.bce, .probabilities, [0.1, 0.4, 0.7, 0.95]),
      (.mse, .probabilities, [-1, 0.2, 0.5, 2]),
    ] {
      for target: Float in [0, 1] {
        let x = Tensor(shape: Shape(values.count, 1), values: values)
        let g = Tensor(zeros: x.shape)
        let total = noise.withUnsafeBufferPointer {
          loss.evaluate(x, target: target, input: input, gradient: g, targetNoise: $0.baseAddress)
        }
        var expected = 0.0
        for i in 0..<values.count {
          let one = Tensor(shape: Shape(1, 1), values: [values[i]])
          let g1 = Tensor(zeros: one.shape)
          expected += loss.evaluate(one, target: target + noise[i], input: input, gradient: g1)
          #expect(abs(g[i] * Float(values.count) - g1[0]) < 1e-5, "\(loss) \(input) t=\(target) [\(i)]")
        }
        #expect(abs(total - expected / Double(values.count)) < 1e-6, "\(loss) \(input) t=\(target)")
      }
    }
  }

  @Test("BCE from logits equals BCE of the sigmoid, and stays finite for huge logits")
  func logitsAreStable() {
    let logits = Tensor(shape: Shape(3, 1), values: [-2, 0.5, 3])
    let probabilities = Tensor(shape: Shape(3, 1), values: logits.values.map(sigmoid))
    let g = Tensor(zeros: logits.shape)
    let a = Loss.bce.evaluate(logits, target: 1, input: .logits, gradient: g)
    let b = Loss.bce.evaluate(probabilities, target: 1, input: .probabilities, gradient: g)
    #expect(abs(a - b) < 1e-5)
    // ln 2 for a logit of 0: the value every GAN starts near.
    let zero = Tensor(zeros: Shape(1, 1))
    #expect(
      abs(Loss.bce.evaluate(zero, target: 0, input: .logits, gradient: Tensor(zeros: zero.shape)) - 0.693147) < 1e-5)
    let huge = Tensor(shape: Shape(2, 1), values: [200, -200])
    let loss = Loss.bce.evaluate(huge, target: 0, input: .logits, gradient: Tensor(zeros: huge.shape))
    #expect(abs(loss - 100) < 1e-3)
  }
}
