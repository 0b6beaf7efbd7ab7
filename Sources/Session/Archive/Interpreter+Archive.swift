import Foundation
import Layers
import Tensors

extension Interpreter {
  /// Saves into folder `path`, atomically and without taking anything: see `SaveFolder`.
  func save(to path: String) throws(SessionError) {
    // Another run's session, replaced: said, so that a sweep saving over itself shows.
    let replaced = Self.savedHead(in: path).flatMap { $0.run != nil && $0.run != state.run ? $0.step : nil }
    // Under mpirun every rank holds the same session and rank 0 alone writes it.
    let bytes = state.communicator.isRoot ? try archive.write(to: path) : 0
    transcript.saved(path)
    report(
      .wrote(
        path: path,
        what: "session at step \(state.step), \(bytes / 1024) KiB of tensors"
          + (replaced.map { "; replaced another run's session, at step \($0)" } ?? "")))
  }

  /// nil when `folder` holds no saved session (no `session.json`); else the step it was
  /// saved at, or nil inside when that cannot be read. For the REPL's question before a
  /// `save` replaces a session it did not write.
  public static func savedStep(in folder: String) -> Int?? {
    guard let head = savedHead(in: folder) else { return nil }
    return .some(head.step)
  }

  /// The step and run of the session saved in `folder` (nil where unreadable), or nil when
  /// it holds none.
  static func savedHead(in folder: String) -> (step: Int?, run: String?)? {
    let file = (folder as NSString).appendingPathComponent(SessionArchive.sessionFile)
    guard FileManager.default.fileExists(atPath: file) else { return nil }
    guard let data = FileManager.default.contents(atPath: file),
      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return (nil, nil) }
    return (json["step"] as? Int, json["run"] as? String)
  }

  /// The session as `save` writes it.
  var archive: SessionArchive {
    SessionArchive(
      session: savedSession(), networks: state.networks, optimizers: state.optimizers, fixedNoise: state.fixedNoise,
      averaged: state.generatorAverage?.standing(batch: state.batch))
  }

  /// The folder ganrepl runs in, absolute; nil when it was removed since (getcwd fails).
  static var currentFolder: String? {
    let folder = FileManager.default.currentDirectoryPath
    return folder.hasPrefix("/") ? folder : nil
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
      epochShuffleState: state.epochShuffleState, history: state.history, ema: state.emaDecay,
      augment: state.augment.isEmpty ? nil : state.augment.sorted(), emaUpdates: state.generatorAverage?.updates,
      emaWarmUp: state.emaWarmUp == GeneratorAverage.defaultWarmUp ? nil : state.emaWarmUp,
      emaWarmUpLayers: state.emaLayerWarmUps.isEmpty
        ? nil : Dictionary(uniqueKeysWithValues: state.emaLayerWarmUps.map { ("\($0.key)", $0.value) }),
      translationShift: state.translationShift == DiffAugment.defaultShift ? nil : state.translationShift,
      dataFolder: state.dataset.flatMap { DataFolder.absolute($0.spec) },
      labelNoise: state.labelNoise == 0 ? nil : state.labelNoise, freshNoise: state.freshNoise ? true : nil,
      run: state.run, dataCount: state.dataset?.count, dataListing: state.dataset == nil ? nil : state.dataListing,
      savedFrom: Self.currentFolder,
      portable: BLAS.fixedOrder ? true : nil)
  }

  /// Replaces the session with `archive`, read from `path`. Everything was read and checked
  /// with the rules that typed values meet (`SavedSession.validate`), and the data is built
  /// off to the side before anything changes: a failed load leaves the session as it was.
  func load(_ archive: SessionArchive, from path: String) throws(SessionError) {
    let (saved, networks, optimizers) = (archive.session, archive.networks, archive.optimizers)
    let (definitions, fixedNoise) = (archive.definitions, archive.fixedNoise)
    let jsonFile = (path as NSString).appendingPathComponent(SessionArchive.sessionFile)
    // A relative data folder not found from here is read where it was when saved.
    var spec = saved.data
    let moved = spec.flatMap { DataFolder.elsewhere($0, savedAs: saved.dataFolder) }
    if let moved { spec?.source = .folder(moved.absolute) }
    let data = try prepareSavedData(saved, spec: spec, in: jsonFile)

    // Swap it in.
    state.seed = saved.seed
    state.latent = saved.latent
    state.batch = saved.batch
    state.realLabel = saved.realLabel
    state.fakeLabel = saved.fakeLabel
    state.labelNoise = saved.labelNoise ?? 0
    state.freshNoise = saved.freshNoise ?? false
    let portableBefore = BLAS.fixedOrder
    BLAS.fixedOrder = saved.portable ?? false
    state.keepLastBatch = saved.keepLastBatch
    state.discriminatorLoss = saved.discriminatorLoss
    state.loss = saved.loss
    for (key, spec) in saved.optimizerSpecs { state.optimizerSpecs[NetworkRole(rawValue: key)!] = spec }
    state.networks = networks
    state.optimizers = optimizers
    state.definitions = definitions
    state.random.reseed(saved.seed)  // for streams the session predates
    _ = state.random.restore(saved.random)
    state.augment = Set(saved.augment ?? [])
    state.translationShift = saved.translationShift ?? DiffAugment.defaultShift
    state.fixedNoise = fixedNoise
    let typedRules = state.every
    state.every = saved.every
    state.inheritedRules = saved.every
    state.run = saved.run ?? SessionState.newRun()
    for (name, value) in saved.variables where state.variables[name] == nil { state.variables[name] = value }
    state.step = saved.step
    state.position = EpochPosition(
      epoch: saved.epoch, batchInEpoch: saved.batchInEpoch, shuffleState: saved.epochShuffleState)
    state.history = saved.history
    state.emaDecay = saved.ema
    state.emaWarmUp = saved.emaWarmUp ?? GeneratorAverage.defaultWarmUp
    state.emaLayerWarmUps = saved.layerWarmUps
    state.averaged = nil
    if let g = networks[.generator], let average = archive.averaged, let decay = saved.ema {
      state.averaged = GeneratorAverage(
        of: g, averaged: average, decay: decay, warmUp: state.emaWarmUp, layerWarmUps: state.emaLayerWarmUps,
        updates: saved.emaUpdates)
    }
    report(.notice("loaded \(path): step \(saved.step), epoch \(saved.epoch), batch \(saved.batchInEpoch) done"))
    if BLAS.fixedOrder != portableBefore {
      report(.notice("portable \(BLAS.fixedOrder ? "on" : "off"), as the session was saved"))
    }
    if let moved {
      report(
        .notice(
          "data folder '\(moved.typed)' is not in \(FileManager.default.currentDirectoryPath);"
            + " read it from \(moved.absolute), where it was when the session was saved"))
    }
    let here = FileManager.default.currentDirectoryPath
    let relative = saved.every.compactMap(\.action.path).filter { !$0.hasPrefix("/") }
    if let then = saved.savedFrom, then != here, let first = relative.first {
      report(
        .notice(
          "its every rules write relative to this folder, \(here), not \(then) where it was saved"
            + " ('\(first)'\(relative.count > 1 ? " and \(relative.count - 1) more" : ""));"
            + " 'show every' lists them, 'every off N' removes one"))
    }
    if !typedRules.isEmpty && typedRules != saved.every {
      let (n, m) = (typedRules.count, saved.every.count)
      let theirs = m == 0 ? "the saved session's, which has none" : "the saved session's \(m) ('show every' lists them)"
      report(.notice("the \(n) every rule\(n == 1 ? "" : "s") set before the load gave way to \(theirs)"))
    }
    installSavedData(data, spec: saved.data)
    if let then = saved.dataCount, let now = state.dataset?.count, now != then {
      let what = state.dataset is PointDataset ? "points" : "images"
      report(
        .warning(
          "the data holds \(now) \(what) now, but \(then) when the session was saved: training goes on, with"
            + " other batches than the saved run would have taken"))
    } else if let then = saved.dataListing, let now = state.dataListing, now != then {
      report(
        .warning(
          "the data folder holds other files now than when the session was saved (as many, but other names or"
            + " sizes): training goes on, with other images than the saved run would have seen"))
    }
  }

  /// The saved session's data, loaded off to the side (or the session's own, when it is
  /// the same), with the saved position checked against its size. Data that cannot be
  /// loaded is a warning, not a failure: the networks are usable without it.
  private func prepareSavedData(_ saved: SavedSession, spec: DataSpec?, in jsonFile: String) throws(SessionError)
    -> SavedData
  {
    guard let spec else { return .none }
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
      let batches = EpochPosition.batches(of: count, batch: saved.batch, keepLast: saved.keepLastBatch)
      guard saved.batchInEpoch < batches else {
        throw SessionError(
          .badSavedFile(
            jsonFile, field: "batchInEpoch",
            reason: "is \(saved.batchInEpoch), expected 0 to \(max(batches - 1, 0)) "
              + "(an epoch of \(count) samples in batches of \(saved.batch) has \(batches) batches)"
              + (Self.folderNote(spec) ?? "")))
      }
    }
    return data
  }

  /// A saved data folder read again may not hold what it held at the save (another
  /// folder of that name from here, files added or removed): said beside a position that no
  /// longer fits, which is otherwise taken for an edited value.
  static func folderNote(_ spec: DataSpec) -> String? {
    guard case .folder(let folder) = spec.source else { return nil }
    return "; or the data folder \(folder) is not the one the session was saved with (its files changed, or it is"
      + " another folder of that name from here)"
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
      var relative = ""
      if case .folder(let folder) = spec?.source, !folder.hasPrefix("/"),
        !FileManager.default.fileExists(atPath: folder)
      {
        relative =
          "; '\(folder)' is relative to the folder ganrepl was started in, so start ganrepl where it was"
          + " saved from, or"
      }
      report(
        .warning(
          "the saved data could not be loaded (\(message))\(relative.isEmpty ? ";" : relative)"
            + " load it with 'data' before training"))
    }
  }
}
