import Tensors

/// Why a network does not fit together: which layer, what it was given, and why.
public struct NetworkError: Error, CustomStringConvertible, Sendable {
  /// 0-based, as in parameter names (`generator.3.kernel`).
  public let layerIndex: Int
  public let layer: LayerSpec
  public let input: Shape
  public let reason: String

  public var description: String {
    "layer \(layerIndex) (\(layer)) cannot take input \(input.compact): \(reason)"
  }
}

/// Layers applied in order. Shapes are inferred when the network is built, so a network
/// that does not fit together is rejected then, naming the layer and the shapes.
/// Backward walks the layers in reverse.
public final class Sequential {
  public let inputShape: Shape
  public let specs: [LayerSpec]
  public let layers: [any Layer]
  /// The scratch and gradient buffers the layers share. Networks that never run at the
  /// same time (a GAN's two, and the generator's moving average) can share one too, as
  /// long as a gradient one returns is used before the other's backward runs.
  public let workspace: Workspace
  /// When set, every layer's forward and backward time is added to it.
  public var times: LayerTimes?

  /// Builds every layer for a per-sample `input`, drawing weights from `random`. The
  /// layers share `workspace` for scratch (they run one at a time).
  public init(
    input: Shape, specs: [LayerSpec], initializer: Initializer, random: RandomSource,
    workspace: Workspace = Workspace()
  ) throws(NetworkError) {
    inputShape = input
    self.specs = specs
    self.workspace = workspace
    var shape = input
    var built: [any Layer] = []
    for (i, spec) in specs.enumerated() {
      do {
        let layer = try spec.makeLayer(input: shape, initializer: initializer, random: random, workspace: workspace)
        built.append(layer)
        shape = layer.outputShape
      } catch {
        throw NetworkError(layerIndex: i, layer: spec, input: shape, reason: error.description)
      }
    }
    layers = built
    for (previous, layer) in zip(built, built.dropFirst()) {
      guard let activation = layer as? any InPlaceActivation else { continue }
      switch previous.spec.unnormalized {
      // Their outputs are read by the next layer alone: convolutions and dense layers
      // keep their input for backward, BatchNorm its normalised x̂.
      case .conv, .deconv, .dense, .batchNorm: activation.overwritesInput = true
      default: break
      }
    }
    // A batchnorm's `leakyrelu` or `relu` runs inside it (`BatchNorm.activationSlope`): the
    // same bits, two passes over memory fewer each way.
    for (previous, layer) in zip(built, built.dropFirst()) {
      guard let norm = previous as? BatchNorm, let activation = layer as? LeakyReLU else { continue }
      norm.activationSlope = activation.slope
      activation.fusedIntoBatchNorm = true
    }
  }

  /// Per-sample output shapes of each layer, without building anything.
  public static func outputShapes(input: Shape, specs: [LayerSpec]) throws(NetworkError) -> [Shape] {
    var shape = input
    var shapes: [Shape] = []
    for (i, spec) in specs.enumerated() {
      do {
        shape = try spec.outputShape(for: shape)
      } catch {
        throw NetworkError(layerIndex: i, layer: spec, input: shape, reason: error.description)
      }
      shapes.append(shape)
    }
    return shapes
  }

  public var outputShape: Shape { layers.last?.outputShape ?? inputShape }

  /// Runs layers `0..<end` (all by default) on x [N, …inputShape]. `end` never falls
  /// between a batchnorm and the activation fused into it (its output is activated).
  public func forward(_ input: Tensor, mode: Mode, through end: Int? = nil) -> Tensor {
    checkCut(end)
    var x = input
    for (i, layer) in layers[0..<(end ?? layers.count)].enumerated() {
      if let times {
        x = times.measure(i, .forward) { layer.forward(x, mode: mode) }
      } else {
        x = layer.forward(x, mode: mode)
      }
    }
    return x
  }

  /// Backpropagates `gradOutput` (the gradient of layer `end − 1`'s output) through
  /// layers `end − 1` down to 0. Accumulates parameter gradients when
  /// `parameterGradients`; returns dLoss/dInput when `inputGradient`, else nil, and then
  /// skips what only the input gradient needs. The returned gradient lives in the
  /// workspace's `GradientRelay`: the next backward on this workspace overwrites it.
  @discardableResult
  public func backward(
    _ gradOutput: Tensor, from end: Int? = nil, parameterGradients: Bool = true,
    inputGradient: Bool = true
  ) -> Tensor? {
    checkCut(end)
    var g = gradOutput
    let last = (end ?? layers.count) - 1
    let firstTrainable = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
    for i in stride(from: last, through: 0, by: -1) {
      let layer = layers[i]
      if parameterGradients {
        if let times {
          times.measure(i, .backwardParameters) { layer.accumulateParameterGradients(g) }
        } else {
          layer.accumulateParameterGradients(g)
        }
      }
      let stillNeeded = inputGradient || (parameterGradients && i > firstTrainable)
      guard stillNeeded else { return nil }
      if let times {
        g = times.measure(i, .backwardInput) { layer.backwardInput(g) }
      } else {
        g = layer.backwardInput(g)
      }
    }
    return inputGradient ? g : nil
  }

  /// A network cut at `end` must not split a batchnorm from its fused activation: the
  /// batchnorm's output is already activated, and its backward applies the derivative.
  private func checkCut(_ end: Int?) {
    guard let end, end > 0, end < layers.count else { return }
    precondition(
      (layers[end] as? LeakyReLU)?.fusedIntoBatchNorm != true,
      "Sequential: layers cut at \(end), between a batchnorm and the \(specs[end]) fused into it")
  }

  /// Every parameter as (`index.name`, parameter), in layer order.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    layers.enumerated().flatMap { i, layer in layer.parameters.map { ("\(i).\($0.name)", $0) } }
  }

  /// Every saved non-trainable tensor as (`index.name`, tensor).
  public var namedBuffers: [(name: String, value: Tensor)] {
    layers.enumerated().flatMap { i, layer in layer.buffers.map { ("\(i).\($0.name)", $0.value) } }
  }

  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameters.reduce(0) { $0 + $1.value.count } } }

  public func zeroGradients() {
    for layer in layers { for p in layer.parameters { p.zeroGradient() } }
  }
}
