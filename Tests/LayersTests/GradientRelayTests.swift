import Layers
import Tensors
import TestSupport
import Testing

/// Backward hands gradients between the layers in two shared buffers (`GradientRelay`)
/// instead of one buffer per layer, and elementwise layers overwrite the gradient they are
/// given; in a `Sequential`, activations also write their output over their input. These
/// tests hold that to the same bits as layers that each own their buffers.
@Suite("Gradient relay and in-place activations")
struct GradientRelayTests {
  /// Every kind of layer that writes an input gradient, in a small GAN.
  static let generator: [LayerSpec] = [
    .dense(units: 4 * 4 * 6, bias: true), .reshape(Shape(4, 4, 6)),
    .deconv(filters: 5, kernel: 4, stride: 2, padding: .explicit(1), bias: false),
    .batchNorm(momentum: 0.1, epsilon: 1e-5), .relu,
    .deconv(filters: 2, kernel: 3, stride: 1, padding: .same, bias: true), .tanh,
  ]
  static let discriminator: [LayerSpec] = [
    .conv(filters: 4, kernel: 3, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .pack(2), .conv(filters: 6, kernel: 3, stride: 2, padding: .same, bias: false),
    .batchNorm(momentum: 0.1, epsilon: 1e-5), .leakyReLU(slope: 0.2), .minibatchStdDev(group: 2),
    .dropout(rate: 0.3), .flatten, .dense(units: 1, bias: true), .sigmoid,
  ]

  /// One G step as the trainer runs it: G forward, D forward on the fakes, D backward to
  /// its input (with D's own gradients), G backward. Returns every parameter gradient of
  /// both networks, copied, in order.
  static func step(_ g: [any Layer], _ d: [any Layer]) -> [[Float]] {
    let z = randomTensor(Shape(4, 7), seed: 31)
    var x = z
    for layer in g + d { x = layer.forward(x, mode: .training(RandomSource(seed: 32))) }
    var gradient = randomTensor(x.shape, seed: 33)
    for layer in (g + d).reversed() {
      layer.accumulateParameterGradients(gradient)
      gradient = layer.backwardInput(gradient)
    }
    return (g + d).flatMap { $0.parameters.map { Array($0.gradient.buffer) } }
  }

  /// The layers one by one, weights drawn in order from one source as `Sequential` draws
  /// them, but standing alone: no activation works in place.
  static func layers(_ specs: [LayerSpec], input: Shape, workspace: () -> Workspace) throws -> [any Layer] {
    var shape = input
    let random = RandomSource(seed: 34)
    return try specs.map { spec in
      let layer = try spec.makeLayer(
        input: shape, initializer: .normal(std: 0.3), random: random, workspace: workspace())
      shape = layer.outputShape
      return layer
    }
  }

  @Test("two networks relaying through one shared workspace give the bits of layers that each own their buffers")
  func sharedEqualsOwn() throws {
    func gan(_ workspace: @escaping () -> Workspace) throws -> [[Float]] {
      let g = try Self.layers(Self.generator, input: Shape(7), workspace: workspace)
      let d = try Self.layers(Self.discriminator, input: g.last!.outputShape, workspace: workspace)
      // Twice: the second step finds the relay's buffers holding the first step's gradients.
      _ = Self.step(g, d)
      for layer in g + d { for p in layer.parameters { p.zeroGradient() } }
      return Self.step(g, d)
    }
    let own = try gan { Workspace() }
    let shared = Workspace()
    let poisoned = Workspace(poisoned: true)
    #expect(try gan { shared } == own)
    // NaN in every buffer handed out: a layer that read its gradient before writing it fails here.
    #expect(try gan { poisoned } == own)
    #expect(own.allSatisfy { $0.allSatisfy(\.isFinite) } && own.contains { $0.contains { $0 != 0 } })
    // As networks: the same weights, activations now writing over their inputs.
    let workspace = Workspace(poisoned: true)
    let g = try Sequential(
      input: Shape(7), specs: Self.generator, initializer: .normal(std: 0.3), random: RandomSource(seed: 34),
      workspace: workspace)
    let d = try Sequential(
      input: g.outputShape, specs: Self.discriminator, initializer: .normal(std: 0.3),
      random: RandomSource(seed: 34), workspace: workspace)
    _ = Self.step(g.layers, d.layers)
    g.zeroGradients()
    d.zeroGradients()
    #expect(Self.step(g.layers, d.layers) == own)
  }

  @Test("an activation writes over the output of the layer before it, never over the network's input")
  func inPlaceForward() throws {
    let network = try Sequential(
      input: Shape(4), specs: [.tanh, .dense(units: 3, bias: true), .relu, .sigmoid], initializer: .glorot,
      random: RandomSource(seed: 1))
    let x = randomTensor(Shape(5, 4), seed: 2)
    let before = Array(x.buffer)
    var outputs: [Tensor] = []
    for layer in network.layers { outputs.append(layer.forward(outputs.last ?? x, mode: .inference)) }
    #expect(Array(x.buffer) == before)
    #expect(outputs[0].storage !== x.storage)
    #expect(outputs[2].storage === outputs[1].storage, "relu after dense works in place")
    #expect(outputs[3].storage !== outputs[2].storage, "sigmoid after an activation keeps its own output")
  }

  @Test("an elementwise backward overwrites a relayed gradient, never one from outside the relay")
  func inPlaceOnlyInTheRelay() throws {
    let shape = Shape(3, 4, 4, 2)
    for spec in [LayerSpec.relu, .leakyReLU(slope: 0.1), .tanh, .sigmoid, .batchNorm(momentum: 0.1, epsilon: 1e-5)] {
      let workspace = Workspace()
      let layer = try spec.makeLayer(
        input: Shape(4, 4, 2), initializer: .glorot, random: RandomSource(seed: 1), workspace: workspace)
      _ = layer.forward(randomTensor(shape, seed: 2), mode: .training(RandomSource(seed: 3)))
      let outside = randomTensor(shape, seed: 4)
      let before = Array(outside.buffer)
      let fromOutside = layer.backwardInput(outside)
      #expect(Array(outside.buffer) == before, "\(spec) wrote into a gradient it does not own")
      #expect(fromOutside.storage !== outside.storage)
      let expected = Array(fromOutside.buffer)
      let relayed = workspace.gradients.buffer(shape, besides: fromOutside)
      relayed.assign(outside)
      let inPlace = layer.backwardInput(relayed)
      #expect(inPlace.storage === relayed.storage, "\(spec) did not reuse the relayed gradient")
      #expect(Array(inPlace.buffer) == expected)
    }
  }

  @Test("the relay holds two buffers, the largest gradient at most twice over, and a second step grows neither")
  func twoBuffers() throws {
    let workspace = Workspace()
    let g = try Self.layers(Self.generator, input: Shape(7), workspace: { workspace })
    let d = try Self.layers(Self.discriminator, input: g.last!.outputShape, workspace: { workspace })
    _ = Self.step(g, d)
    let largest = (g + d).map { 4 * $0.inputShape.count }.max()! * 4  // batch 4, 4-byte floats
    #expect(workspace.gradients.bytes <= 2 * largest)
    #expect(workspace.gradients.bytes >= largest)
    let bytes = workspace.gradients.bytes
    _ = Self.step(g, d)
    #expect(workspace.gradients.bytes == bytes)
  }
}
