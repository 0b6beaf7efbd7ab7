import Foundation
import Layers
import Tensors

/// `session.json` of a `SessionArchive`: settings, network definitions, optimisers, random
/// states, counters and history.
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
  /// `set ema`'s decay; absent (off) in sessions saved before the moving average existed.
  var ema: Float?
  /// `augment`'s policy; absent (nil) when off, and in sessions saved before it existed.
  var augment: [Augmentation]? = nil
  /// The moving average's updates so far, for its warm-up (`GeneratorAverage.updates`);
  /// absent when off, and in sessions saved before the warm-up, whose average goes on
  /// with the decay alone.
  var emaUpdates: Int? = nil
  /// `set ema-warmup`'s K; absent in sessions saved before it existed, which warmed up with
  /// TensorFlow's 10.
  var emaWarmUp: Float? = nil
  /// `set ema-warmup K layers=A..B`: the generator's layers with a K of their own, by index
  /// ("0": 3); absent when none has.
  var emaWarmUpLayers: [String: Float]? = nil
  /// `augment translation shift=R`: the largest shift; absent when it is DiffAugment's 1/8.
  var translationShift: Float? = nil
  /// A relative data folder (`data.source`) as the absolute path it named when saved: `load`
  /// reads it from there when ganrepl starts in another folder. Absent for an absolute folder,
  /// other data, and sessions saved before it existed.
  var dataFolder: String? = nil
  /// `set label-noise`; absent when 0, and in sessions saved before it existed.
  var labelNoise: Float? = nil
  /// `set g-noise fresh`: true; absent for `same`, and in sessions saved before it existed.
  var freshNoise: Bool? = nil
  /// The training run (`SessionState.run`); absent in sessions saved before it existed.
  var run: String? = nil
  /// How many images (or points) the data held when saved, all ranks' together: `load`
  /// says when the folder now holds another number. Absent without data, and in sessions
  /// saved before it existed.
  var dataCount: Int? = nil
  /// A data folder's file names and sizes, hashed (`FolderListing.fingerprint`): `load` says
  /// when other images stand in the folder, as many as before. Absent for built-in data, and
  /// in sessions saved before it existed.
  var dataListing: String? = nil
  /// The folder ganrepl ran in when it saved (absolute): `load` says when the session's
  /// `every` rules, whose relative paths follow the folder ganrepl runs in, will now write
  /// elsewhere. Absent in sessions saved before it existed.
  var savedFrom: String? = nil
  /// `set portable on`: true; absent when off, and in sessions saved before it existed.
  var portable: Bool? = nil
}

/// A saved session: a folder with `session.json` (`SavedSession`) and `tensors.bin` (every
/// tensor an `ArchiveEntry` names: weights, BatchNorm statistics, optimiser moments, fixed
/// noise). Everything `load` needs to continue training exactly where `save` stopped.
struct SessionArchive {
  static let sessionFile = "session.json"
  static let tensorsFile = "tensors.bin"

  var session: SavedSession
  var networks: [NetworkRole: Sequential]
  var optimizers: [NetworkRole: Optimizer]
  var fixedNoise: Tensor?
  /// The generator's moving average (`GeneratorAverage.network`) when `set ema` is on.
  var averaged: Sequential? = nil

  /// Every tensor with its entry, in the order `tensors.bin` holds them: the networks' in
  /// `NetworkRole` order, then the fixed noise.
  var tensors: [ArchiveEntry.Named] {
    var tensors: [ArchiveEntry.Named] = []
    for role in NetworkRole.allCases {
      guard let network = networks[role], let optimizer = optimizers[role] else { continue }
      tensors += ArchiveEntry.tensors(of: role, network, optimizer)
    }
    if let fixedNoise { tensors.append((.fixedNoise, fixedNoise)) }
    if let averaged { tensors += ArchiveEntry.averageTensors(of: averaged) }
    return tensors
  }

  /// The networks' definitions, as `session.json` holds them.
  var definitions: [NetworkRole: NetworkDefinition] {
    Dictionary(uniqueKeysWithValues: networks.keys.map { ($0, session.networks[$0.rawValue]!.definition) })
  }

  /// Writes folder `path`, atomically and without taking anything (see `SaveFolder`);
  /// returns the size of `tensors.bin` in bytes.
  func write(to path: String) throws(SessionError) -> Int {
    let folder = try SaveFolder(path)
    let json: Data
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      json = try encoder.encode(session)
    } catch {
      throw SessionError(.cannotWrite(path, reason: "the session cannot be written as JSON (\(error))"))
    }
    let tensors = TensorArchive.encode(tensors.map { ($0.entry.description, $0.tensor) })
    try folder.write([(Self.sessionFile, [UInt8](json)), (Self.tensorsFile, tensors)])
    return tensors.count
  }
}

extension SessionArchive {
  /// Reads the session saved in folder `path`: every value checked with the rules typed
  /// values meet (`SavedSession.validate`), then the networks and optimisers built and
  /// every tensor `ArchiveEntry` names read into them. Nothing outside the archive changes.
  /// The networks share `workspace` for scratch (pass the session's).
  init(reading path: String, workspace: Workspace = Workspace()) throws(SessionError) {
    try SavedFiles.checkFolder(path)
    let jsonFile = (path as NSString).appendingPathComponent(Self.sessionFile)
    let tensorsFile = (path as NSString).appendingPathComponent(Self.tensorsFile)
    let (session, needs) = try SavedFiles.readSession(jsonFile, in: path)
    let stored: [String: Tensor]
    switch TensorArchive.decode(try SavedFiles.read(tensorsFile, in: path)) {
    case .success(let t): stored = t
    case .failure(let e): throw SessionError(.badSavedFile(tensorsFile, field: nil, reason: e.message))
    }
    // The weights of the networks are in tensors.bin: networks larger than the file are
    // refused before any memory is set aside for them.
    let values = stored.values.reduce(0) { $0 + $1.count }
    guard needs.values <= values else {
      throw SessionError(
        .badSavedFile(
          tensorsFile, field: nil,
          reason:
            "holds \(values) value\(values == 1 ? "" : "s"), but the networks in session.json need \(needs.values)"))
    }
    self.session = session
    (networks, optimizers) = ([:], [:])
    for role in NetworkRole.allCases {  // in a fixed order, so the first error is always the same
      guard let saved = session.networks[role.rawValue] else { continue }
      let network: Sequential
      do {
        network = try Sequential(
          input: saved.input, specs: saved.definition.layers, initializer: saved.definition.initializer,
          random: RandomSource(seed: 0), workspace: workspace)
      } catch {
        throw SessionError(
          .badSavedFile(
            jsonFile, field: "networks.\(role.rawValue).definition.layers[\(error.layerIndex)]",
            reason: "does not build: \(error)"))
      }
      let optimizer = Optimizer(saved.optimizer, parameters: network.namedParameters)
      for (entry, target) in ArchiveEntry.tensors(of: role, network, optimizer) {
        target.assign(try Self.tensor(entry, shape: target.shape, from: stored, in: tensorsFile))
      }
      optimizer.restore(steps: saved.optimizerSteps)
      networks[role] = network
      optimizers[role] = optimizer
    }
    if networks[.generator] != nil {
      fixedNoise = try Self.tensor(
        .fixedNoise, shape: Shape(SamplingLimits.maximum, session.latent), from: stored, in: tensorsFile)
    }
    if session.ema != nil, let g = networks[.generator] {
      let copy = GeneratorAverage.copy(g)
      for (entry, target) in ArchiveEntry.averageTensors(of: copy) {
        target.assign(try Self.tensor(entry, shape: target.shape, from: stored, in: tensorsFile))
      }
      averaged = copy
    }
  }

  /// The tensor stored for `entry`, which must be there with the shape the definitions give it.
  private static func tensor(
    _ entry: ArchiveEntry, shape: Shape, from stored: [String: Tensor], in file: String
  ) throws(SessionError) -> Tensor {
    let name = entry.description
    guard let tensor = stored[name] else {
      throw SessionError(
        .badSavedFile(file, field: name, reason: "is missing; the definitions in session.json need it"))
    }
    guard tensor.shape == shape else {
      throw SessionError(
        .badSavedFile(
          file, field: name, reason: "has shape \(tensor.shape), expected \(shape) from the definitions in session.json"
        ))
    }
    return tensor
  }
}
