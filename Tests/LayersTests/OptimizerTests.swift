import Layers
import Tensors
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
