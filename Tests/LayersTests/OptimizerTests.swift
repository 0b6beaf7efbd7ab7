import Layers
import Tensors
import TestSupport
import Testing

@Suite("Optimizers")
struct OptimizerTests {
  @Test("Adam's first two steps match hand arithmetic")
  func adamTwoSteps() {
    // θ = 1, g = 0.5 then 0.25; lr 0.1, β1 0.9, β2 0.999, ε 0:
    // t=1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25 → θ = 1 − 0.1·0.5/0.5 = 0.9
    // t=2: m = 0.045 + 0.025 = 0.07, v = 0.00024975 + 0.0000625 = 0.00031225,
    //      m̂ = 0.07/0.19 = 0.368421, v̂ = 0.00031225/0.001999 = 0.156203, √v̂ = 0.395225
    //      → θ = 0.9 − 0.1·0.368421/0.395225 = 0.806782
    let p = Parameter(name: "w", value: Tensor(shape: Shape(1), values: [1]))
    let adam = Optimizer(.adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0), parameters: [("w", p)])
    p.gradient[0] = 0.5
    adam.step()
    #expect(abs(p.value[0] - 0.9) < 1e-6)
    p.gradient[0] = 0.25
    adam.step()
    #expect(abs(p.value[0] - 0.806782) < 1e-5)
    #expect(adam.steps == 2)
  }

  /// The update runs four lanes at a time with a padded last vector; each lane must round
  /// as the scalar expression does, so saved sessions and seeded runs keep their bits.
  @Test("Adam's vector update gives the scalar expression's bits, the last lanes too")
  func adamBits() {
    let n = 4 * 9 + 3
    let p = Parameter(name: "w", value: randomTensor(Shape(n), seed: 4))
    let adam = Optimizer(.adam(learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8), parameters: [("w", p)])
    var (w, m, v) = (p.value.values, [Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
    let (lr, b1, b2, eps): (Float, Float, Float, Float) = (2e-4, 0.5, 0.999, 1e-8)
    for t in 1...3 {
      let g = randomTensor(Shape(n), seed: UInt64(10 + t), std: 0.1)
      for i in 0..<n { p.gradient[i] = g[i] }
      adam.step()
      // β^t as the optimiser takes it, in Double (for t ≤ 3 its squarings round alike).
      let c1 = 1 - Float((1...t).reduce(1.0) { r, _ in r * Double(b1) })
      let c2 = 1 - Float((1...t).reduce(1.0) { r, _ in r * Double(b2) })
      for j in 0..<n {
        m[j] = b1 * m[j] + (1 - b1) * g[j]
        v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
        w[j] -= lr * (m[j] / c1) / ((v[j] / c2).squareRoot() + eps)
      }
      #expect(p.value.values == w, "step \(t)")
      #expect(adam.firstMoments[0].values == m && adam.secondMoments[0].values == v, "step \(t)")
    }
  }

  @Test("SGD with momentum: θ −= lr · (μ·u + g)")
  func sgd() {
    let p = Parameter(name: "w", value: Tensor(shape: Shape(1), values: [1]))
    let sgd = Optimizer(.sgd(learningRate: 0.1, momentum: 0.5), parameters: [("w", p)])
    p.gradient[0] = 1
    sgd.step()  // u = 1, θ = 0.9
    sgd.step()  // u = 1.5, θ = 0.75
    #expect(abs(p.value[0] - 0.75) < 1e-6)
  }
}
