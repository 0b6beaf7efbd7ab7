import Layers
import Tensors
import TestSupport
import Testing

/// Every layer's backward against central finite differences (see `gradientCheckFailures`).
@Suite("Gradient checks")
struct GradientCheckTests {
  static func build(_ spec: LayerSpec, _ input: Shape, init initializer: Initializer = .glorot) throws -> any Layer {
    try spec.makeLayer(input: input, initializer: initializer, random: RandomSource(seed: 5))
  }

  static func expectGradients(
    _ spec: LayerSpec, input shape: Shape, batch: Int = 2, training: Bool = true,
    awayFromZero: Bool = false, init initializer: Initializer = .glorot,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let layer = try build(spec, shape, init: initializer)
    // Non-zero biases and BatchNorm shifts, so their effect is visible.
    for p in layer.parameters where p.name != "kernel" {
      p.value.add(randomTensor(p.value.shape, seed: 77, std: 0.3))
    }
    let x =
      awayFromZero
      ? randomTensorAwayFromZero(shape.batched(batch), seed: 21)
      : randomTensor(shape.batched(batch), seed: 21)
    let failures = gradientCheckFailures(layer: layer, input: x, training: training)
    #expect(failures.isEmpty, "\(spec): \(failures.prefix(3).joined(separator: "\n"))", sourceLocation: sourceLocation)
  }

  @Test("dense") func dense() throws {
    try Self.expectGradients(.dense(units: 3, bias: true), input: Shape(5))
    try Self.expectGradients(.dense(units: 4, bias: false), input: Shape(2), batch: 1)
  }

  @Test("conv: same, valid and explicit padding, strides 1 and 2, odd sizes")
  func conv() throws {
    try Self.expectGradients(.conv(filters: 3, kernel: 4, stride: 2, padding: .same, bias: true), input: Shape(6, 5, 2))
    try Self.expectGradients(
      .conv(filters: 2, kernel: 3, stride: 1, padding: .valid, bias: true), input: Shape(5, 4, 3))
    try Self.expectGradients(
      .conv(filters: 2, kernel: 4, stride: 2, padding: .explicit(1), bias: false), input: Shape(6, 6, 2), batch: 1)
    try Self.expectGradients(.conv(filters: 1, kernel: 5, stride: 1, padding: .same, bias: true), input: Shape(5, 5, 2))
  }

  @Test("deconv: Keras same, PyTorch k4 s2 p1, and the 1×1 → 4×4 lift")
  func deconv() throws {
    try Self.expectGradients(
      .deconv(filters: 2, kernel: 4, stride: 2, padding: .same, bias: true), input: Shape(3, 4, 3))
    try Self.expectGradients(
      .deconv(filters: 3, kernel: 4, stride: 2, padding: .explicit(1), bias: false), input: Shape(3, 3, 2))
    try Self.expectGradients(
      .deconv(filters: 3, kernel: 4, stride: 1, padding: .valid, bias: false), input: Shape(1, 1, 4))
    try Self.expectGradients(
      .deconv(filters: 2, kernel: 3, stride: 2, padding: .valid, bias: true), input: Shape(2, 3, 2), batch: 1)
  }

  @Test("activations, away from the kink at 0")
  func activations() throws {
    for spec in [LayerSpec.relu, .leakyReLU(slope: 0.2), .sigmoid, .tanh] {
      try Self.expectGradients(spec, input: Shape(3, 2, 2), awayFromZero: true)
    }
  }

  @Test("flatten and reshape")
  func reshape() throws {
    try Self.expectGradients(.flatten, input: Shape(2, 3, 2))
    try Self.expectGradients(.reshape(Shape(2, 2, 3)), input: Shape(12))
  }

  @Test("dropout in training (mask re-seeded per forward) and inference")
  func dropout() throws {
    try Self.expectGradients(.dropout(rate: 0.4), input: Shape(10))
    try Self.expectGradients(.dropout(rate: 0.4), input: Shape(10), training: false)
  }

  @Test("batchnorm in training (batch statistics) and inference (running statistics)")
  func batchNorm() throws {
    try Self.expectGradients(.batchNorm(momentum: 0.1, epsilon: 1e-5), input: Shape(3, 3, 2), batch: 3)
    try Self.expectGradients(
      .batchNorm(momentum: 0.1, epsilon: 1e-5), input: Shape(4), batch: 5, init: .normal(std: 0.02))
    try Self.expectGradients(.batchNorm(momentum: 0.1, epsilon: 1e-5), input: Shape(2, 2, 3), training: false)
  }

  @Test("a gradient check catches a wrong backward")
  func checkerCanFail() throws {
    let layer = try Self.build(.tanh, Shape(4))
    let x = randomTensor(Shape(2, 4), seed: 3)
    // Check tanh's backward against sigmoid's forward: every element must disagree.
    let impostor = try Self.build(.sigmoid, Shape(4))
    let failures = gradientCheckFailures(layer: Swap(forward: impostor, backward: layer), input: x)
    #expect(!failures.isEmpty)
  }
}

/// A layer whose forward and backward come from different layers, to prove the checker fails.
private final class Swap: Layer {
  let forwardLayer: any Layer
  let backwardLayer: any Layer
  init(forward: any Layer, backward: any Layer) { (forwardLayer, backwardLayer) = (forward, backward) }
  var spec: LayerSpec { forwardLayer.spec }
  var inputShape: Shape { forwardLayer.inputShape }
  var outputShape: Shape { forwardLayer.outputShape }
  func forward(_ input: Tensor, mode: Mode) -> Tensor {
    _ = backwardLayer.forward(input, mode: mode)
    return forwardLayer.forward(input, mode: mode)
  }
  func backwardInput(_ gradOutput: Tensor) -> Tensor { backwardLayer.backwardInput(gradOutput) }
}
