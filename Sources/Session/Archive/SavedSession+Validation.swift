import Layers
import Tensors

/// The checks `load` makes before it trusts a `session.json`: every value against the rule
/// that holds when it is typed (`Setting`, `LayerSpec`, `OptimizerSpec`, `Initializer`,
/// `DataSpec` and `EveryRule` each validate themselves), then what ties the values together
/// (shapes through the networks, counters against each other). A violation names the
/// value by its JSON path.
extension SavedSession {
  /// Steps a session may count: 2⁴⁰, a thousand `train 1000000000 steps`, far from overflow.
  static let steps = 0...(1 << 40)

  /// What the networks need from `tensors.bin`, once the fields are valid.
  struct Needs {
    /// Values of the networks' weights and their optimiser moments (`ArchiveEntry`).
    var values = 0
  }

  func validate() throws(RuleViolation) -> Needs {
    // First: the networks' counters are checked against it.
    try Rule.check(step, in: Self.steps, "step")
    for setting in [
      Setting.latent(latent), .batch(batch), .realLabel(realLabel), .fakeLabel(fakeLabel), .ema(ema),
    ] + (emaWarmUp.map { [Setting.emaWarmup($0)] } ?? []) + (labelNoise.map { [Setting.labelNoise($0)] } ?? []) {
      try setting.validate()
    }
    for (key, spec) in optimizerSpecs.sorted(by: { $0.key < $1.key }) {
      try Self.role(key, "optimizerSpecs")
      do { try spec.validate() } catch { throw error.inside("optimizerSpecs.\(key)") }
    }
    var needs = Needs()
    for (key, network) in networks.sorted(by: { $0.key < $1.key }) {
      let role = try Self.role(key, "networks")
      let values = try validate(network, role: role, at: "networks.\(key)")
      let (total, overflow) = needs.values.addingReportingOverflow(values)
      guard !overflow else {
        throw RuleViolation(field: "networks", value: "too many parameters", expected: "networks that fit in memory")
      }
      needs.values = total
    }
    // Layer indices of the saved generator (any, when a reset session has none), written as
    // `set ema-warmup … layers=` writes them: "0", never "00" or "+0", so each is one key.
    let generatorLayers = networks[NetworkRole.generator.rawValue]?.definition.layers.count
    let indices = generatorLayers.map { 0...($0 - 1) } ?? Setting.Name.layerIndices
    for (key, k) in (emaWarmUpLayers ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard let i = Int(key), String(i) == key, indices.contains(i) else {
        throw RuleViolation(
          field: "emaWarmUpLayers", value: "\"\(key)\"",
          expected: generatorLayers.map { "indices of the generator's \($0) layers (0 to \($0 - 1))" }
            ?? "layer indices from 0 to \(Setting.Name.layerIndices.upperBound)")
      }
      try Setting.emaWarmup(k, layers: i...i).validate()
    }
    if let data { do { try data.validate() } catch { throw error.inside("data") } }
    if let run, run.isEmpty || run.count > 64 || !run.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "-") }) {
      throw RuleViolation(field: "run", value: "\"\(run.prefix(80))\"", expected: "1 to 64 hex digits and dashes")
    }
    if let dataListing,
      dataListing.isEmpty || dataListing.count > 32 || !dataListing.allSatisfy({ $0.isASCII && $0.isHexDigit })
    {
      throw RuleViolation(
        field: "dataListing", value: "\"\(dataListing.prefix(80))\"", expected: "1 to 32 hex digits")
    }
    if let dataCount, dataCount < 0 {
      throw RuleViolation(field: "dataCount", value: "\(dataCount)", expected: "0 or more")
    }
    if let dataFolder, !dataFolder.hasPrefix("/") {
      throw RuleViolation(field: "dataFolder", value: "\"\(dataFolder)\"", expected: "an absolute path, from /")
    }
    if let savedFrom, !savedFrom.hasPrefix("/") {
      throw RuleViolation(field: "savedFrom", value: "\"\(savedFrom)\"", expected: "an absolute path, from /")
    }
    for (i, rule) in every.enumerated() { do { try rule.validate() } catch { throw error.inside("every[\(i)]") } }
    for name in variables.keys.sorted() where !Self.isParameterName(name) {
      throw RuleViolation(
        field: "variables", value: "'\(name)'", expected: "parameter names of letters, digits, _ or -")
    }
    try validateRandomStates()
    try validateCounters()
    return needs
  }

  /// The network's fields, its input against what `define` would give it, and its shapes
  /// layer by layer; returns how many values its weights and their moments take.
  private func validate(_ network: SavedNetwork, role: NetworkRole, at path: String) throws(RuleViolation) -> Int {
    let layers = network.definition.layers
    guard !layers.isEmpty else {
      throw RuleViolation(field: "\(path).definition.layers", value: "[]", expected: "at least one layer")
    }
    for (i, layer) in layers.enumerated() {
      do { try layer.validate() } catch { throw error.inside("\(path).definition.layers[\(i)]") }
    }
    do { try network.definition.initializer.validate() } catch { throw error.inside("\(path).definition.initializer") }
    do { try network.optimizer.validate() } catch { throw error.inside("\(path).optimizer") }
    guard network.optimizerSteps >= 0, network.optimizerSteps <= step else {
      throw RuleViolation(
        field: "\(path).optimizerSteps", value: "\(network.optimizerSteps)",
        expected: "a whole number from 0 to the session's step, \(step)")
    }

    let input = network.input
    switch role {
    case .generator:
      let expected = Interpreter.generatorInput(layers, latent: latent)
      guard input == expected else {
        throw RuleViolation(
          field: "\(path).input.dims", value: "\(input.dims)", expected: "\(expected.dims), from latent \(latent)")
      }
      if let i = layers.firstIndex(where: \.judgesSamplesTogether) {
        let word = layers[i].description.prefix { $0 != " " }
        throw RuleViolation(
          field: "\(path).definition.layers[\(i)]", value: "\(word)",
          expected: "a generator layer (\(word) is the discriminator's alone)")
      }
    case .discriminator:
      guard input.rank == 1 || input.rank == 3 else {
        throw RuleViolation(
          field: "\(path).input.dims", value: "\(input.dims)", expected: "one size, or height, width and channels")
      }
    }
    // Shapes through the layers, every one bounded so that no size computed from them overflows.
    var shape = input
    var parameters = 0
    for (i, layer) in layers.enumerated() {
      let at = i == 0 ? "\(path).input.dims" : "\(path).definition.layers[\(i - 1)]"
      guard shape.dims.allSatisfy({ $0 >= 1 }),
        Rule.product(shape.dims, limit: LayerSpec.Limits.values.upperBound) != nil
      else {
        throw RuleViolation(
          field: at, value: i == 0 ? "\(shape.dims)" : "an output of \(shape.dims)",
          expected: "sizes of at least 1 and at most \(LayerSpec.Limits.values.upperBound) values per sample")
      }
      let next: Shape
      do {
        next = try layer.outputShape(for: shape)
      } catch {
        throw RuleViolation(
          field: "\(path).definition.layers[\(i)]", value: "'\(layer)' on a \(shape.compact) input",
          expected: "a layer that fits its input (\(error))")
      }
      let (sum, overflow) = parameters.addingReportingOverflow(layer.parameterCount(for: shape))
      guard !overflow else {
        throw RuleViolation(field: "\(path).definition.layers[\(i)]", value: "\(layer)", expected: "fewer parameters")
      }
      parameters = sum
      shape = next
    }
    guard shape.dims.allSatisfy({ $0 >= 1 }), Rule.product(shape.dims, limit: LayerSpec.Limits.values.upperBound) != nil
    else {
      throw RuleViolation(
        field: "\(path).definition.layers[\(layers.count - 1)]", value: "an output of \(shape.dims)",
        expected: "at most \(LayerSpec.Limits.values.upperBound) values per sample")
    }
    if role == .discriminator, shape.count != 1 {
      throw RuleViolation(
        field: "\(path).definition.layers", value: "a network with \(shape.compact) outputs",
        expected: "one score per image")
    }
    let (values, overflow) = parameters.multipliedReportingOverflow(by: ArchiveEntry.tensorsPerWeight)
    guard !overflow else {
      throw RuleViolation(
        field: "\(path).definition.layers", value: "\(parameters) parameters", expected: "fewer parameters")
    }
    return values
  }

  private func validateRandomStates() throws(RuleViolation) {
    for stream in RandomStreams.Stream.allCases {
      guard let words = random[stream.rawValue] else {
        if RandomStreams.addedLater.contains(stream) { continue }
        throw RuleViolation(field: "random.\(stream.rawValue)", value: "missing", expected: Self.generatorState)
      }
      guard SeededGenerator(state: words) != nil else {
        throw RuleViolation(field: "random.\(stream.rawValue)", value: "\(words)", expected: Self.generatorState)
      }
    }
    for key in random.keys.sorted() where RandomStreams.Stream(rawValue: key) == nil {
      throw RuleViolation(
        field: "random.\(key)", value: "present",
        expected: "only the streams \(RandomStreams.Stream.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if let words = epochShuffleState, SeededGenerator(state: words) == nil {
      throw RuleViolation(field: "epochShuffleState", value: "\(words)", expected: Self.generatorState)
    }
  }

  /// Step, epoch and position agree with each other and with the history. The position
  /// within the epoch is checked against the data once it is loaded (`Interpreter.load`).
  private func validateCounters() throws(RuleViolation) {
    if let shift = translationShift { try Rule.check(shift, in: DiffAugment.shifts, "translationShift") }
    // Every finished epoch took at least one step.
    try Rule.check(epoch, in: 1...(step + 1), "epoch")
    try Rule.check(batchInEpoch, in: 0...(data == nil ? 0 : step), "batchInEpoch")
    try Rule.check(history.count, in: 0...step, "history.count")
    if let emaUpdates { try Rule.check(emaUpdates, in: 0...step, "emaUpdates") }
    var previous = 0
    for (i, entry) in history.enumerated() {
      let at = "history[\(i)]"
      try Rule.check(entry.step, in: (previous + 1)...max(previous + 1, step), "\(at).step")
      previous = entry.step
      try Rule.check(entry.epoch, in: 1...epoch, "\(at).epoch")
      try Rule.check(entry.batchesPerEpoch, in: 1...Int(Int32.max), "\(at).batchesPerEpoch")
      try Rule.check(entry.batch, in: 1...entry.batchesPerEpoch, "\(at).batch")
      for (name, x) in [("lossD", entry.lossD), ("lossG", entry.lossG)] where !x.isFinite {
        throw RuleViolation(field: "\(at).\(name)", value: "\(x)", expected: "a finite number")
      }
      for (name, x) in [("dReal", entry.dReal), ("dFake", entry.dFake), ("dFakeAfter", entry.dFakeAfter)] {
        try Rule.check(x, in: 0...1, "\(at).\(name)")
      }
      for (name, x) in [("seconds", entry.seconds), ("dataWait", entry.dataWait)] where !(x.isFinite && x >= 0) {
        throw RuleViolation(field: "\(at).\(name)", value: "\(x)", expected: "a number of seconds ≥ 0")
      }
    }
  }

  @discardableResult
  private static func role(_ key: String, _ field: String) throws(RuleViolation) -> NetworkRole {
    guard let role = NetworkRole(rawValue: key) else {
      throw RuleViolation(field: "\(field).\(key)", value: "present", expected: "only 'generator' and 'discriminator'")
    }
    return role
  }

  private static let generatorState = "4 whole numbers, not all 0 (a generator state)"

  /// What `param NAME = VALUE` accepts as a name.
  static func isParameterName(_ name: String) -> Bool {
    !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
  }
}

extension SavedSession {
  /// `emaWarmUpLayers` by layer index, once validated.
  var layerWarmUps: [Int: Float] {
    Dictionary((emaWarmUpLayers ?? [:]).compactMap { key, k in Int(key).map { ($0, k) } }, uniquingKeysWith: min)
  }
}
