import Layers
import Tensors
import TestSupport
import Testing

@Suite("Pointwise activations")
struct PointwiseTests {
  /// Forward and backward of `spec` against f and gradOutput·f′ written out here, to the bit:
  /// the golden training transcript depends on the order of these multiplications.
  static func expectExact(
    _ spec: LayerSpec, _ f: (Float) -> Float, _ gradInput: (Float, Float) -> Float,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let layer = try spec.makeLayer(input: Shape(9, 7), initializer: .glorot, random: RandomSource(seed: 1))
    let x = randomTensor(Shape(3, 9, 7), seed: 4, std: 3)
    let g = randomTensor(Shape(3, 9, 7), seed: 5)
    let y = layer.forward(x, mode: .inference)
    let dx = layer.backwardInput(g)
    #expect(layer.spec == spec && layer.parameters.isEmpty, sourceLocation: sourceLocation)
    #expect((0..<x.count).allSatisfy { y[$0] == f(x[$0]) }, "\(spec) forward", sourceLocation: sourceLocation)
    #expect(
      (0..<x.count).allSatisfy { dx[$0] == gradInput(g[$0], y[$0]) }, "\(spec) backward", sourceLocation: sourceLocation
    )
  }

  @Test("sigmoid: y = 1 / (1 + e^−x), gradInput = g · y · (1 − y)")
  func sigmoidLayer() throws {
    try Self.expectExact(.sigmoid, sigmoid, { g, y in g * y * (1 - y) })
  }

  @Test("tanh: y = tanh x, gradInput = g · (1 − y²)")
  func tanhLayer() throws {
    try Self.expectExact(.tanh, fastTanh, { g, y in g * (1 - y * y) })
  }
}
