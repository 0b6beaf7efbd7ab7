import Layers
import Tensors

/// Central finite differences against a layer's backward, after Caffe's GradientChecker.
///
/// Objective L = Σ y ⊙ r for a fixed random r, accumulated in `Double`, so the analytic
/// gradient is backward(r). Every checked element must satisfy
/// |analytic − numeric| ≤ tolerance · max(|analytic|, |numeric|, 1).
/// Stochastic layers see a freshly seeded random source on every forward, so dropout
/// masks repeat. Returns a description of each failure (empty when all pass).
public func gradientCheckFailures(
  layer: any Layer, input: Tensor, training: Bool = true, step: Float = 1e-2,
  tolerance: Double = 1e-2, maxElements: Int = 200
) -> [String] {
  func mode() -> Mode { training ? .training(RandomSource(seed: 99)) : .inference }
  let y0 = layer.forward(input, mode: mode())
  let r = randomTensor(y0.shape, seed: 12345)
  func objective() -> Double { layer.forward(input, mode: mode()).dot(r) }

  for p in layer.parameters { p.zeroGradient() }
  _ = layer.forward(input, mode: mode())
  layer.accumulateParameterGradients(r)
  let gradInput = layer.backwardInput(r).copy()

  var failures: [String] = []
  func check(_ name: String, _ values: Tensor, _ analytic: Tensor) {
    let stride = max(1, values.count / maxElements)
    for i in Swift.stride(from: 0, to: values.count, by: stride) {
      let saved = values[i]
      values[i] = saved + step
      let plus = objective()
      values[i] = saved - step
      let minus = objective()
      values[i] = saved
      let numeric = (plus - minus) / (2 * Double(step))
      let a = Double(analytic[i])
      if abs(a - numeric) > tolerance * max(abs(a), abs(numeric), 1) {
        failures.append("\(layer.spec) \(name)[\(i)]: analytic \(a), numeric \(numeric) (L+ \(plus), L− \(minus))")
      }
    }
  }
  check("input", input, gradInput)
  for p in layer.parameters { check(p.name, p.value, p.gradient.copy()) }
  return failures
}
