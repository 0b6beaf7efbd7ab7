import Foundation
import Layers
import Tensors

/// A saved session: a folder with `session.json` (settings, network definitions,
/// optimisers, random states, counters, history) and `tensors.bin` (weights, BatchNorm
/// statistics, optimiser moments, fixed noise). Everything `load` needs to continue
/// training exactly where `save` stopped.
struct SavedSession: Codable {
  static let format = "ganrepl-session"
  static let version = 1

  struct SavedNetwork: Codable {
    var definition: NetworkDefinition
    var input: Shape
    var optimizer: OptimizerSpec
    var optimizerSteps: Int
  }

  var format = SavedSession.format
  var version = SavedSession.version
  var seed: UInt64
  var latent: Int
  var batch: Int
  var realLabel: Float
  var fakeLabel: Float
  var keepLastBatch: Bool
  var discriminatorLoss: DiscriminatorLoss
  var loss: Loss
  var optimizerSpecs: [String: OptimizerSpec]
  var networks: [String: SavedNetwork]
  var data: DataSpec?
  var every: [EveryRule]
  var variables: [String: String]
  var random: [String: [UInt64]]
  var step: Int
  var epoch: Int
  var batchInEpoch: Int
  var epochShuffleState: [UInt64]?
  var history: [StepStats]
}

extension Interpreter {
  /// Saves into folder `path`, atomically and without taking anything: see `SaveFolder`.
  func save(to path: String) throws(SessionError) {
    let folder = try SaveFolder(path)
    let json: Data
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      json = try encoder.encode(savedSession())
    } catch {
      throw SessionError(.cannotWrite(path, reason: "the session cannot be written as JSON (\(error))"))
    }
    let tensors = TensorArchive.encode(namedTensors())
    try folder.write([("session.json", [UInt8](json)), ("tensors.bin", tensors)])
    report(.wrote(path: path, what: "session at step \(state.step), \(tensors.count / 1024) KiB of tensors"))
  }

  private func savedSession() -> SavedSession {
    var networks: [String: SavedSession.SavedNetwork] = [:]
    for (role, network) in state.networks {
      networks[role.rawValue] = .init(
        definition: state.definitions[role]!, input: network.inputShape,
        optimizer: state.optimizers[role]!.spec, optimizerSteps: state.optimizers[role]!.steps)
    }
    return SavedSession(
      seed: state.seed, latent: state.latent, batch: state.batch, realLabel: state.realLabel,
      fakeLabel: state.fakeLabel, keepLastBatch: state.keepLastBatch,
      discriminatorLoss: state.discriminatorLoss, loss: state.loss,
      optimizerSpecs: Dictionary(uniqueKeysWithValues: state.optimizerSpecs.map { ($0.key.rawValue, $0.value) }),
      networks: networks, data: state.dataset?.spec, every: state.every, variables: state.variables,
      random: state.random.states, step: state.step, epoch: state.epoch, batchInEpoch: state.batchInEpoch,
      epochShuffleState: state.epochShuffleState, history: state.history)
  }

  /// `generator.0.kernel`, `generator.3.running_mean`, `optimizer.generator.m.0.kernel`, …
  private func namedTensors() -> [(name: String, value: Tensor)] {
    var tensors: [(String, Tensor)] = []
    for role in NetworkRole.allCases {
      guard let network = state.networks[role], let optimizer = state.optimizers[role] else { continue }
      for (name, p) in network.namedParameters { tensors.append(("\(role).\(name)", p.value)) }
      for (name, b) in network.namedBuffers { tensors.append(("\(role).\(name)", b)) }
      for (i, (name, _)) in optimizer.parameters.enumerated() {
        tensors.append(("optimizer.\(role).m.\(name)", optimizer.firstMoments[i]))
        tensors.append(("optimizer.\(role).v.\(name)", optimizer.secondMoments[i]))
      }
    }
    if let noise = state.fixedNoise { tensors.append(("fixed_noise", noise)) }
    return tensors
  }

  /// Replaces the session with the one saved in `path`. Everything is read, checked with
  /// the rules that typed values meet (`SavedSession.validate`) and built off to the side,
  /// data included, before anything changes: a failed load leaves the session as it was.
  func load(from path: String) throws(SessionError) {
    let jsonFile = (path as NSString).appendingPathComponent("session.json")
    let tensorsFile = (path as NSString).appendingPathComponent("tensors.bin")
    try SavedFiles.checkFolder(path)
    let json = try SavedFiles.read(jsonFile, in: path)
    let saved: SavedSession
    do {
      saved = try JSONDecoder().decode(SavedSession.self, from: Data(json))
    } catch let error as DecodingError {
      throw SessionError(.badSavedFile(jsonFile, field: error.field, reason: error.reason(in: Data(json))))
    } catch {
      throw SessionError(.badSavedFile(jsonFile, field: nil, reason: "cannot be read (\(error.localizedDescription))"))
    }
    guard saved.format == SavedSession.format else {
      throw SessionError(
        .badSavedFile(jsonFile, field: "format", reason: "is '\(saved.format)', expected '\(SavedSession.format)'"))
    }
    guard (1...SavedSession.version).contains(saved.version) else {
      throw SessionError(
        .badSavedFile(
          jsonFile, field: "version",
          reason: "is \(saved.version); this ganrepl reads version \(SavedSession.version)"
            + (saved.version > SavedSession.version ? " (the session was saved by a newer ganrepl)" : "")))
    }
    let needs: SavedSession.Needs
    do {
      needs = try saved.validate()
    } catch {
      throw SessionError(
        .badSavedFile(jsonFile, field: error.field, reason: "is \(error.value), expected \(error.expected)"))
    }
    let tensors: [String: Tensor]
    switch TensorArchive.decode(try SavedFiles.read(tensorsFile, in: path)) {
    case .success(let t): tensors = t
    case .failure(let e): throw SessionError(.badSavedFile(tensorsFile, field: nil, reason: e.message))
    }
    // The weights of the networks are in tensors.bin: networks larger than the file are
    // refused before any memory is set aside for them.
    let stored = tensors.values.reduce(0) { $0 + $1.count }
    guard needs.values <= stored else {
      throw SessionError(
        .badSavedFile(
          tensorsFile, field: nil,
          reason:
            "holds \(stored) value\(stored == 1 ? "" : "s"), but the networks in session.json need \(needs.values)"))
    }

    // Rebuild networks and optimisers off to the side.
    var networks: [NetworkRole: Sequential] = [:]
    var optimizers: [NetworkRole: Optimizer] = [:]
    var definitions: [NetworkRole: NetworkDefinition] = [:]
    for role in NetworkRole.allCases {  // in a fixed order, so the first error is always the same
      let key = role.rawValue
      guard let savedNetwork = saved.networks[key] else { continue }
      let network: Sequential
      do {
        network = try Sequential(
          input: savedNetwork.input, specs: savedNetwork.definition.layers,
          initializer: savedNetwork.definition.initializer, random: RandomSource(seed: 0))
      } catch {
        throw SessionError(
          .badSavedFile(
            jsonFile, field: "networks.\(key).definition.layers[\(error.layerIndex)]",
            reason: "does not build: \(error)"))
      }
      let optimizer = Optimizer(savedNetwork.optimizer, parameters: network.namedParameters)
      var targets = network.namedParameters.map { ("\(role).\($0.name)", $0.parameter.value) }
      targets += network.namedBuffers.map { ("\(role).\($0.name)", $0.value) }
      for (i, (name, _)) in optimizer.parameters.enumerated() {
        targets.append(("optimizer.\(role).m.\(name)", optimizer.firstMoments[i]))
        targets.append(("optimizer.\(role).v.\(name)", optimizer.secondMoments[i]))
      }
      for (name, target) in targets {
        try SavedFiles.check(tensors[name], named: name, shape: target.shape, in: tensorsFile)
        target.assign(tensors[name]!)
      }
      optimizer.restore(steps: savedNetwork.optimizerSteps)
      networks[role] = network
      optimizers[role] = optimizer
      definitions[role] = savedNetwork.definition
    }
    var fixedNoise: Tensor?
    if networks[.generator] != nil {
      let shape = Shape(SamplingLimits.maximum, saved.latent)
      try SavedFiles.check(tensors["fixed_noise"], named: "fixed_noise", shape: shape, in: tensorsFile)
      fixedNoise = tensors["fixed_noise"]
    }
    let data = try prepareSavedData(saved, in: jsonFile)

    // Swap it in.
    state.seed = saved.seed
    state.latent = saved.latent
    state.batch = saved.batch
    state.realLabel = saved.realLabel
    state.fakeLabel = saved.fakeLabel
    state.keepLastBatch = saved.keepLastBatch
    state.discriminatorLoss = saved.discriminatorLoss
    state.loss = saved.loss
    for (key, spec) in saved.optimizerSpecs { state.optimizerSpecs[NetworkRole(rawValue: key)!] = spec }
    state.networks = networks
    state.optimizers = optimizers
    state.definitions = definitions
    _ = state.random.restore(saved.random)
    state.fixedNoise = fixedNoise
    state.every = saved.every
    for (name, value) in saved.variables where state.variables[name] == nil { state.variables[name] = value }
    state.step = saved.step
    state.position = EpochPosition(
      epoch: saved.epoch, batchInEpoch: saved.batchInEpoch, shuffleState: saved.epochShuffleState)
    state.history = saved.history
    report(.notice("loaded \(path): step \(saved.step), epoch \(saved.epoch), batch \(saved.batchInEpoch) done"))
    installSavedData(data, spec: saved.data)
  }

  /// The saved session's data, loaded off to the side (or the session's own, when it is
  /// the same), with the saved position checked against its size. Data that cannot be
  /// loaded is a warning, not a failure: the networks are usable without it.
  private func prepareSavedData(_ saved: SavedSession, in jsonFile: String) throws(SessionError) -> SavedData {
    guard let spec = saved.data else { return .none }
    var data = SavedData.current
    var dataset = state.dataset
    if state.dataset?.spec != spec {
      do {
        let prepared = try prepareData(spec)
        dataset = prepared.dataset
        data = .prepared(prepared)
      } catch {
        if case .interrupted = error.kind { throw error }
        return .unavailable(error.message)
      }
    }
    if let dataset, saved.batchInEpoch > 0 {
      let count = dataset.count
      let full = count / saved.batch
      let batches = saved.keepLastBatch && count % saved.batch != 0 ? full + 1 : full
      guard saved.batchInEpoch < batches else {
        throw SessionError(
          .badSavedFile(
            jsonFile, field: "batchInEpoch",
            reason: "is \(saved.batchInEpoch), expected 0 to \(max(batches - 1, 0)) "
              + "(an epoch of \(count) samples in batches of \(saved.batch) has \(batches) batches)"))
      }
    }
    return data
  }

  enum SavedData {
    case none
    case current
    case prepared(PreparedData)
    case unavailable(String)
  }

  /// Makes the loaded data the session's (the position's order is drawn again from the
  /// saved shuffle state at the next step).
  private func installSavedData(_ data: SavedData, spec: DataSpec?) {
    switch data {
    case .none, .current: break
    case .prepared(let prepared): install(prepared)
    case .unavailable(let message):
      state.dataset = nil
      report(.warning("the saved data could not be loaded (\(message)); load it with 'data' before training"))
    }
  }
}
