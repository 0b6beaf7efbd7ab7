import Layers
import Tensors

/// `generator` and `discriminator` blocks, `optimizer`, `summary`: the two networks.
extension Interpreter {
  /// The generator's per-sample input: z as a vector, or as a 1×1×latent image when the
  /// first layer convolves (PyTorch's `[N, nz, 1, 1]` noise).
  func generatorInput(_ definition: NetworkDefinition) -> Shape {
    Self.generatorInput(definition.layers, latent: state.latent)
  }

  static func generatorInput(_ layers: [LayerSpec], latent: Int) -> Shape {
    switch layers.first?.unnormalized {
    case .conv, .deconv: Shape(1, 1, latent)
    default: Shape(latent)
    }
  }

  /// The discriminator's per-sample input: the data's image shape, else the generator's output.
  func discriminatorInput() -> Shape? {
    state.dataset?.sampleShape ?? state.networks[.generator]?.outputShape
  }

  /// Builds a network from its definition (weights from the `weights` stream), checks it
  /// fits, gives it an optimiser, and shows its summary.
  func define(_ role: NetworkRole, _ definition: NetworkDefinition) throws(SessionError) {
    try requireUntrained(role)
    let input: Shape
    switch role {
    case .generator: input = generatorInput(definition)
    case .discriminator:
      guard let shape = discriminatorInput() else {
        throw SessionError(
          .missing(
            "image size for the discriminator",
            hint: "load data ('data faces' or 'data \"PATH\"') or define the generator first"))
      }
      input = shape
    }
    func located(_ error: NetworkError) -> SessionError {
      let at = definition.locations.indices.contains(error.layerIndex) ? definition.locations[error.layerIndex] : nil
      return SessionError(.network(role.rawValue, error), at: at)
    }
    if role == .generator, let i = definition.layers.firstIndex(where: \.judgesSamplesTogether) {
      let word = definition.layers[i].isPack ? "pack" : "mbstd"
      throw SessionError(
        .discriminatorOnly(word), at: definition.locations.indices.contains(i) ? definition.locations[i] : nil)
    }
    // Shapes and memory first: nothing is allocated for a network that cannot be built.
    do {
      _ = try Sequential.outputShapes(input: input, specs: definition.layers)
    } catch {
      throw located(error)
    }
    if let bytes = NetworkMemory.trainingBytes(input: input, specs: definition.layers, batch: state.batch) {
      try NetworkMemory.check(bytes, for: "the \(role) (training at batch \(state.batch))")
    }
    let network: Sequential
    do {
      network = try Sequential(
        input: input, specs: definition.layers, initializer: definition.initializer,
        random: state.random[.weights], workspace: state.workspace)
    } catch {
      throw located(error)
    }
    if role == .discriminator, network.outputShape.count != 1 {
      throw SessionError(.discriminatorOutput(network.outputShape), at: definition.locations.last)
    }
    state.definitions[role] = definition
    state.networks[role] = network
    state.optimizers[role] = Optimizer(state.optimizerSpecs[role]!, parameters: network.namedParameters)
    if role == .generator {
      state.fixedNoise = Tensor.randomNormal(Shape(SamplingLimits.maximum, state.latent), using: state.random[.samples])
    }
    report(.summary(summary(role)!))
    if role == .generator { fitLayerWarmUps(to: network) }
    checkFit(warnOnly: true)
  }

  /// Whether generator, discriminator and data agree on the image shape; a mismatch is
  /// an error when training, a warning while the notebook is still being written.
  @discardableResult
  func checkFit(warnOnly: Bool) -> SessionError? {
    let problem = state.fitProblem()
    if let problem, warnOnly { report(.warning(problem.message + " (" + (problem.hint ?? "") + ")")) }
    return problem
  }

  /// Sets the optimiser of `roles`: the same kind takes over the moments and step count,
  /// another kind starts over.
  func setOptimizer(_ spec: OptimizerSpec, for roles: [NetworkRole], given: Set<String> = []) {
    for role in roles {
      let before = state.optimizerSpecs[role]
      state.optimizerSpecs[role] = spec
      if let existing = state.optimizers[role] {
        switch (existing.spec, spec) {
        case (.adam, .adam), (.sgd, .sgd):
          existing.spec = spec
        default:
          if existing.steps > 0 { report(.warning("the \(role)'s optimiser state starts over")) }
          state.optimizers[role] = Optimizer(spec, parameters: state.networks[role]!.namedParameters)
        }
      }
      report(
        .notice(
          "\(role) optimizer \(spec)" + (before.map { Self.defaultsReturned(from: $0, to: spec, given: given) } ?? "")))
    }
  }

  /// `optimizer` builds the optimiser from what it is given, with defaults for the rest, as
  /// PyTorch and Keras do: after `adam lr=2e-4 beta1=0.5`, `adam lr=1e-4` is back at beta1
  /// 0.9. Says so for each option of the same kind, not typed (`given`), that went back to
  /// its default.
  static func defaultsReturned(from old: OptimizerSpec, to new: OptimizerSpec, given: Set<String> = []) -> String {
    var returned: [(name: String, was: Float)] = []
    switch (old, new) {
    case (.adam(_, let b1, let b2, let eps), .adam(_, let n1, let n2, let nEps)):
      for (name, was, now, byDefault) in [("beta1", b1, n1, 0.9), ("beta2", b2, n2, 0.999), ("eps", eps, nEps, 1e-7)]
      where was != now && now == Float(byDefault) && !given.contains(name) {
        returned.append((name, was))
      }
    case (.sgd(_, let m), .sgd(_, let n)) where m != n && n == 0 && !given.contains("momentum"):
      returned.append(("momentum", m))
    default: break
    }
    guard !returned.isEmpty else { return "" }
    return "; back to the default: " + returned.map { "\($0.name) (was \($0.was))" }.joined(separator: ", ")
      + "; to keep " + (returned.count == 1 ? "it" : "them") + ", write "
      + returned.map { "\($0.name)=\($0.was)" }.joined(separator: " ")
  }

  public func requireUntrained(_ role: NetworkRole) throws(SessionError) {
    let steps = state.trainedSteps(role)
    if steps > 0 { throw SessionError(.alreadyTrained(role.rawValue, steps: steps)) }
  }

  func summary(_ role: NetworkRole) -> NetworkSummary? {
    guard let network = state.networks[role], let definition = state.definitions[role] else { return nil }
    var input = network.inputShape
    var rows: [NetworkSummary.Row] = []
    for (i, layer) in network.layers.enumerated() {
      rows.append(
        .init(
          index: i, kind: layer.spec.kind, definition: layer.spec.description, output: layer.outputShape,
          parameters: layer.spec.parameterCount(for: input)))
      input = layer.outputShape
    }
    return NetworkSummary(
      role: role, input: network.inputShape, rows: rows, initializer: definition.initializer.description,
      optimizer: "\(state.optimizerSpecs[role]!)")
  }

  func summarize(_ roles: [NetworkRole]) throws(SessionError) {
    let summaries = roles.compactMap(summary)
    guard !summaries.isEmpty else {
      throw SessionError(
        .missing(
          roles.count == 1 ? roles[0].rawValue : "networks",
          hint: "define one with a 'generator' or 'discriminator' block"))
    }
    for s in summaries { report(.summary(s)) }
  }
}
