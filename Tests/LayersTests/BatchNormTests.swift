import Tensors
import TestSupport
import Testing

@testable import Layers

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

/// `Sequential` runs a batchnorm's `leakyrelu` or `relu` inside it: the same bits as the two
/// layers run apart, values and every gradient, in training and in inference.
@Suite("BatchNorm with its activation fused")
struct BatchNormFusionTests {
  @Test("batchnorm + leakyrelu (or relu) in one network gives the bits of the two apart", arguments: [0.2, 0])
  func sameBits(slope: Float) throws {
    let shape = Shape(6, 5, 12)
    let activation: LayerSpec = slope == 0 ? .relu : .leakyReLU(slope: slope)
    let norm = LayerSpec.batchNorm(momentum: 0.1, epsilon: 1e-5)
    // 200 × 30 rows: 24 blocks of sums, a partial one last, and enough rows for both
    // threads; channels the vector loops split unevenly.
    let x = randomTensor(shape.batched(200), seed: 1, std: 2)
    let gradOutput = randomTensor(shape.batched(200), seed: 2)
    func network(_ specs: [LayerSpec]) throws -> Sequential {
      let network = try Sequential(input: shape, specs: specs, initializer: .glorot, random: RandomSource(seed: 3))
      if let bn = network.layers.first as? BatchNorm {
        bn.gamma.value.add(randomTensor(Shape(12), seed: 4, std: 0.5))
        bn.beta.value.add(randomTensor(Shape(12), seed: 5, std: 0.5))
        bn.gamma.value[0] = -0.7  // a flipped channel: its activation passes where x̂ < β/0.7
      }
      return network
    }
    let fused = try network([norm, activation])
    let (alone, after) = (try network([norm]), try network([activation]))
    let bn = try #require(fused.layers.first as? BatchNorm)
    #expect(bn.activationSlope == slope && (fused.layers[1] as? LeakyReLU)?.fusedIntoBatchNorm == true)
    for mode in [Mode.training(RandomSource(seed: 6)), .inference] {
      let y = fused.forward(x, mode: mode).copy()
      let apart = after.forward(alone.forward(x, mode: mode), mode: mode)
      #expect(y.values == apart.values, "\(mode) forward")
      let dx = try #require(fused.backward(gradOutput.copy())).copy()
      let between = try #require(after.backward(gradOutput.copy()))
      let dxApart = try #require(alone.backward(between))
      #expect(dx.values == dxApart.values, "\(mode) input gradient")
      let gradients = [fused, alone].map { $0.namedParameters.map(\.parameter.gradient.values) }
      #expect(gradients[0] == gradients[1], "\(mode) γ and β gradients")
      #expect(dx.values.contains { $0 != 0 } && y.values.contains { $0 < 0 } == (slope > 0))
    }
  }
}
