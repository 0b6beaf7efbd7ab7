import Layers
import Tensors
import TestSupport
import Testing

/// BatchNorm against the textbook formulas evaluated in `Double`, on enough rows that the
/// fast path's blocks of 256 rows (summed in `Float`, in parallel) include a partial one.
@Suite("BatchNorm at scale")
struct BatchNormTests {
  @Test("forward, running statistics and both backwards match the formulas over 700 rows")
  func againstFormulas() throws {
    let (c, batch) = (24, 20)
    let shape = Shape(5, 7, c)
    let layer = try LayerSpec.batchNorm(momentum: 0.1, epsilon: 1e-5)
      .makeLayer(input: shape, initializer: .glorot, random: RandomSource(seed: 5))
    let bn = try #require(layer as? BatchNorm)
    bn.gamma.value.add(randomTensor(Shape(c), seed: 7, std: 0.3))
    bn.beta.value.add(randomTensor(Shape(c), seed: 8, std: 0.3))
    let x = randomTensor(shape.batched(batch), seed: 9, std: 2)
    x.map(from: x) { $0 + 1.5 }  // a mean away from zero
    let dy = randomTensor(shape.batched(batch), seed: 10)
    let m = x.count / c

    let y = bn.forward(x, mode: .training(RandomSource(seed: 1)))
    bn.gamma.gradient.fill(0)
    bn.beta.gradient.fill(0)
    let dx = bn.backwardInput(dy)
    bn.accumulateParameterGradients(dy)

    let expectedY = Tensor(zeros: x.shape)
    let expectedDx = Tensor(zeros: x.shape)
    for j in 0..<c {
      let column = (0..<m).map { Double(x[$0 * c + j]) }
      let mean = column.reduce(0, +) / Double(m)
      let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(m)
      let inv = 1 / (variance + 1e-5).squareRoot()
      let (g, b) = (Double(bn.gamma.value[j]), Double(bn.beta.value[j]))
      let xhat = column.map { ($0 - mean) * inv }
      let grad = (0..<m).map { Double(dy[$0 * c + j]) }
      let sumDy = grad.reduce(0, +)
      let sumDyXhat = zip(grad, xhat).map(*).reduce(0, +)
      for r in 0..<m {
        expectedY[r * c + j] = Float(g * xhat[r] + b)
        expectedDx[r * c + j] = Float(g * inv / Double(m) * (Double(m) * grad[r] - sumDy - xhat[r] * sumDyXhat))
      }
      #expect(abs(Double(bn.runningMean[j]) - 0.1 * mean) < 1e-5)
      #expect(abs(Double(bn.runningVariance[j]) - (0.9 + 0.1 * variance * Double(m) / Double(m - 1))) < 1e-4)
      #expect(abs(Double(bn.gamma.gradient[j]) - sumDyXhat) < 1e-3 * max(1, abs(sumDyXhat)))
      #expect(abs(Double(bn.beta.gradient[j]) - sumDy) < 1e-3 * max(1, abs(sumDy)))
    }
    let forward = compare(y, expectedY, tolerance: 1e-5)
    #expect(forward.passes, "\(forward)")
    let backward = compare(dx, expectedDx, tolerance: 1e-5)
    #expect(backward.passes, "\(backward)")
  }
}
