import Layers
import Tensors
import TestSupport
import Testing

@Suite("Networks")
struct NetworkTests {
  /// The Keras DCGAN face tutorial's discriminator (issue #2).
  static let tutorialDiscriminator: [LayerSpec] = [
    .conv(filters: 64, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .conv(filters: 128, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .conv(filters: 128, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .flatten, .dropout(rate: 0.2), .dense(units: 1, bias: true), .sigmoid,
  ]
  /// …and its generator.
  static let tutorialGenerator: [LayerSpec] = [
    .dense(units: 8 * 8 * 128, bias: true), .reshape(Shape(8, 8, 128)),
    .deconv(filters: 128, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .deconv(filters: 256, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .deconv(filters: 512, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .conv(filters: 3, kernel: 5, stride: 1, padding: .same, bias: true), .sigmoid,
  ]

  @Test("the tutorial's networks have Keras's parameter counts: 404,801 and 3,979,651")
  func tutorialParameterCounts() throws {
    let d = try Sequential(
      input: Shape(64, 64, 3), specs: Self.tutorialDiscriminator, initializer: .glorot, random: RandomSource(seed: 1))
    let g = try Sequential(
      input: Shape(128), specs: Self.tutorialGenerator, initializer: .glorot, random: RandomSource(seed: 1))
    #expect(d.parameterCount == 404_801)
    #expect(g.parameterCount == 3_979_651)
    #expect(g.outputShape == Shape(64, 64, 3))
    #expect(d.outputShape == Shape(1))
    // Static counting (what `summary` shows before building) agrees.
    let shapes = try Sequential.outputShapes(input: Shape(128), specs: Self.tutorialGenerator)
    let inputs = [Shape(128)] + shapes.dropLast()
    #expect(zip(Self.tutorialGenerator, inputs).map { $0.parameterCount(for: $1) }.reduce(0, +) == 3_979_651)
  }

  @Test("a network that does not fit together is rejected, naming the layer and shapes")
  func shapeMismatch() {
    #expect {
      _ = try Sequential(
        input: Shape(8, 8, 3),
        specs: [.conv(filters: 4, kernel: 3, stride: 1, padding: .same, bias: true), .dense(units: 1, bias: true)],
        initializer: .glorot, random: RandomSource(seed: 1))
    } throws: { error in
      guard let e = error as? NetworkError else { return false }
      return e.layerIndex == 1 && e.input == Shape(8, 8, 4) && e.description.contains("add 'flatten' before it")
    }
  }

  @Test("a stack's gradients match finite differences end to end")
  func stackGradients() throws {
    let specs: [LayerSpec] = [
      .conv(filters: 3, kernel: 3, stride: 2, padding: .same, bias: true), .tanh,
      .batchNorm(momentum: 0.1, epsilon: 1e-5),
      .deconv(filters: 2, kernel: 4, stride: 2, padding: .explicit(1), bias: true), .sigmoid,
      .flatten, .dense(units: 2, bias: true),
    ]
    let net = try Sequential(input: Shape(4, 6, 2), specs: specs, initializer: .glorot, random: RandomSource(seed: 2))
    let layer = SequentialLayer(net)
    let failures = gradientCheckFailures(layer: layer, input: randomTensor(Shape(3, 4, 6, 2), seed: 4))
    #expect(failures.isEmpty, "\(failures.prefix(3))")
  }

  @Test("backward accumulates: twice doubles the gradients; without parameter gradients they stay")
  func accumulation() throws {
    let net = try Sequential(
      input: Shape(4), specs: [.dense(units: 3, bias: true), .tanh, .dense(units: 1, bias: true)],
      initializer: .glorot, random: RandomSource(seed: 3))
    let x = randomTensor(Shape(2, 4), seed: 1)
    let g = randomTensor(Shape(2, 1), seed: 2)
    net.zeroGradients()
    _ = net.forward(x, mode: .inference)
    net.backward(g, inputGradient: false)
    let once = net.namedParameters.map { $0.parameter.gradient.copy() }
    net.backward(g, inputGradient: false)
    for (p, first) in zip(net.namedParameters, once) {
      let doubled = first.copy()
      doubled.scale(by: 2)
      #expect(compare(p.parameter.gradient, doubled, tolerance: 1e-6).passes, "\(p.name)")
    }
    net.zeroGradients()
    let dx = net.backward(g, parameterGradients: false, inputGradient: true)
    #expect(dx?.shape == x.shape)
    for p in net.namedParameters { #expect(p.parameter.gradient.maxAbs() == 0, "\(p.name)") }
  }

  @Test("parameter names are stable and dotted: index.name")
  func names() throws {
    let d = try Sequential(
      input: Shape(64, 64, 3), specs: Self.tutorialDiscriminator, initializer: .glorot, random: RandomSource(seed: 1))
    #expect(
      d.namedParameters.map(\.name) == [
        "0.kernel", "0.bias", "2.kernel", "2.bias", "4.kernel", "4.bias", "8.kernel", "8.bias",
      ])
  }
}

/// A `Sequential` seen as one layer, for the gradient checker.
final class SequentialLayer: Layer {
  let net: Sequential
  init(_ net: Sequential) { self.net = net }
  var spec: LayerSpec { .flatten }
  var inputShape: Shape { net.inputShape }
  var outputShape: Shape { net.outputShape }
  func forward(_ input: Tensor, mode: Mode) -> Tensor { net.forward(input, mode: mode) }
  func backwardInput(_ gradOutput: Tensor) -> Tensor {
    net.backward(gradOutput, parameterGradients: false, inputGradient: true)!
  }
  func accumulateParameterGradients(_ gradOutput: Tensor) {
    net.backward(gradOutput, parameterGradients: true, inputGradient: false)
  }
  var parameters: [Parameter] { net.namedParameters.map(\.parameter) }
}
