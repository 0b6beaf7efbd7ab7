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
  /// Saves into folder `path`, atomically: the new save is written beside the old one and
  /// swapped in only when complete, so a failed save never destroys a previous one.
  func save(to path: String) throws(SessionError) {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
      let isSession = fm.fileExists(atPath: (path as NSString).appendingPathComponent("session.json"))
      let isEmpty = ((try? fm.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
      guard isDirectory.boolValue && (isSession || isEmpty) else {
        throw SessionError(.cannotWrite(path, reason: "it exists and is not a saved ganrepl session; choose another name"))
      }
    }
    let json: Data
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      json = try encoder.encode(savedSession())
    } catch {
      throw SessionError(.cannotWrite(path, reason: "\(error)"))
    }
    let tensors = TensorArchive.encode(namedTensors())
    let staging = path + ".saving"
    let previous = path + ".previous"
    do {
      try? fm.removeItem(atPath: staging)
      try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
      try json.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent("session.json")))
      try Data(tensors).write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent("tensors.bin")))
      try? fm.removeItem(atPath: previous)
      if fm.fileExists(atPath: path) { try fm.moveItem(atPath: path, toPath: previous) }
      try fm.moveItem(atPath: staging, toPath: path)
      try? fm.removeItem(atPath: previous)
    } catch {
      try? fm.removeItem(atPath: staging)
      if !fm.fileExists(atPath: path) && fm.fileExists(atPath: previous) { try? fm.moveItem(atPath: previous, toPath: path) }
      throw SessionError(.cannotWrite(path, reason: (error as NSError).localizedDescription))
    }
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

  /// Replaces the session with the one saved in `path`. Everything is read and checked
  /// before anything changes, so a failed load leaves the current session intact.
  func load(from path: String) throws(SessionError) {
    let fm = FileManager.default
    guard fm.fileExists(atPath: path) else { throw SessionError(.noSuchPath(path)) }
    guard let json = fm.contents(atPath: (path as NSString).appendingPathComponent("session.json")) else {
      throw SessionError(.badArchive(path, reason: "it has no session.json"))
    }
    let saved: SavedSession
    do {
      saved = try JSONDecoder().decode(SavedSession.self, from: json)
    } catch {
      throw SessionError(.badArchive(path, reason: "session.json cannot be read (\(error))"))
    }
    guard saved.format == SavedSession.format, saved.version <= SavedSession.version else {
      throw SessionError(.badArchive(path, reason: "it was written by a newer ganrepl (format \(saved.version))"))
    }
    guard let bytes = fm.contents(atPath: (path as NSString).appendingPathComponent("tensors.bin")) else {
      throw SessionError(.badArchive(path, reason: "it has no tensors.bin"))
    }
    let tensors: [String: Tensor]
    switch TensorArchive.decode([UInt8](bytes)) {
    case .success(let t): tensors = t
    case .failure(let e): throw SessionError(.badArchive(path, reason: e.message))
    }

    // Rebuild networks and optimisers off to the side.
    var networks: [NetworkRole: Sequential] = [:]
    var optimizers: [NetworkRole: Optimizer] = [:]
    var definitions: [NetworkRole: NetworkDefinition] = [:]
    for (key, savedNetwork) in saved.networks {
      guard let role = NetworkRole(rawValue: key) else { throw SessionError(.badArchive(path, reason: "unknown network '\(key)'")) }
      let network: Sequential
      do {
        network = try Sequential(
          input: savedNetwork.input, specs: savedNetwork.definition.layers,
          initializer: savedNetwork.definition.initializer, random: RandomSource(seed: 0))
      } catch {
        throw SessionError(.badArchive(path, reason: "its \(role) does not build: \(error)"))
      }
      let optimizer = Optimizer(savedNetwork.optimizer, parameters: network.namedParameters)
      var targets = network.namedParameters.map { ("\(role).\($0.name)", $0.parameter.value) }
      targets += network.namedBuffers.map { ("\(role).\($0.name)", $0.value) }
      for (i, (name, _)) in optimizer.parameters.enumerated() {
        targets.append(("optimizer.\(role).m.\(name)", optimizer.firstMoments[i]))
        targets.append(("optimizer.\(role).v.\(name)", optimizer.secondMoments[i]))
      }
      for (name, target) in targets {
        guard let value = tensors[name], value.shape == target.shape else {
          throw SessionError(.badArchive(path, reason: "tensor \(name) is missing or has the wrong shape"))
        }
        target.assign(value)
      }
      optimizer.restore(steps: savedNetwork.optimizerSteps)
      networks[role] = network
      optimizers[role] = optimizer
      definitions[role] = savedNetwork.definition
    }
    let random = RandomStreams(seed: saved.seed)
    let badStreams = random.restore(saved.random)
    guard badStreams.isEmpty else {
      throw SessionError(.badArchive(path, reason: "random state for \(badStreams.joined(separator: ", ")) is missing"))
    }

    // Swap it in.
    state.seed = saved.seed
    state.latent = saved.latent
    state.batch = saved.batch
    state.realLabel = saved.realLabel
    state.fakeLabel = saved.fakeLabel
    state.keepLastBatch = saved.keepLastBatch
    state.discriminatorLoss = saved.discriminatorLoss
    state.loss = saved.loss
    for (key, spec) in saved.optimizerSpecs { if let role = NetworkRole(rawValue: key) { state.optimizerSpecs[role] = spec } }
    state.networks = networks
    state.optimizers = optimizers
    state.definitions = definitions
    state.trainer = nil
    _ = state.random.restore(saved.random)
    state.fixedNoise = tensors["fixed_noise"]
    state.every = saved.every
    for (name, value) in saved.variables where state.variables[name] == nil { state.variables[name] = value }
    state.step = saved.step
    state.epoch = saved.epoch
    state.batchInEpoch = saved.batchInEpoch
    state.epochShuffleState = saved.epochShuffleState
    state.history = saved.history
    report(.notice("loaded \(path): step \(saved.step), epoch \(saved.epoch), batch \(saved.batchInEpoch) done"))

    try reloadData(saved.data)
  }

  /// Reloads the saved session's data and recomputes the current epoch's order from the
  /// saved shuffle state. Missing data is a warning: the networks are usable without it.
  private func reloadData(_ spec: DataSpec?) throws(SessionError) {
    state.epochOrder = []
    guard let spec else { return }
    if state.dataset?.spec != spec {
      let kept = (state.batchInEpoch, state.epoch, state.epochShuffleState)
      do {
        try loadData(spec)
      } catch {
        state.dataset = nil
        report(.warning("the saved data could not be loaded (\(error.message)); load it with 'data' before training"))
        return
      }
      (state.batchInEpoch, state.epoch, state.epochShuffleState) = kept
    }
    if let words = state.epochShuffleState, state.batchInEpoch > 0, let dataset = state.dataset {
      let replay = RandomSource(generator: SeededGenerator(state: words)!)
      state.epochOrder = replay.permutation(dataset.count)
    }
  }
}
