import Foundation
import Layers
import Tensors

/// Runs commands against one session: the one switch over `Command`. Each case is a few
/// lines that call into the networks, the trainer, the data or the archive.
public final class Interpreter {
  public enum Outcome: Sendable {
    case proceed
    case quit
  }

  public let state = SessionState()
  /// Polled between steps and between files: true stops the running command cleanly (the
  /// executable sets it on Ctrl-C). The session stays consistent.
  let shouldStop: @Sendable () -> Bool
  var report: (SessionEvent) -> Void = { _ in }
  /// Prepares each step's batch of real samples, the next one in the background.
  let feeder = BatchFeeder()
  /// Where decoded image folders are cached; nil turns the cache off.
  public var cacheDirectory: String? = DatasetCache.defaultDirectory

  /// `variables` are notebook parameters given on the command line (`--set name=value`);
  /// they win over the defaults a notebook declares with `param`.
  public init(variables: [String: String] = [:], shouldStop: @escaping @Sendable () -> Bool = { false }) {
    state.variables = variables
    self.shouldStop = shouldStop
  }

  /// Runs one command, reporting what happens through `report`. A failure leaves the
  /// session as it was before the command, except for steps already completed.
  public func execute(_ command: Located<Command>, report: @escaping (SessionEvent) -> Void) throws(SessionError)
    -> Outcome
  {
    self.report = report
    defer { self.report = { _ in } }
    do {
      try run(command.value, at: command.location)
    } catch {
      throw error.located(command.location)
    }
    if case .quit = command.value { return .quit }
    return .proceed
  }

  private func run(_ command: Command, at location: SourceLocation) throws(SessionError) {
    switch command {
    case .help(let topic): try help(topic)
    case .param(let name, let value):
      state.variables[name] = value  // the parser resolved it against --set and earlier lines
      report(.notice("$\(name) = \(value)"))
    case .set(let setting): try apply(setting)
    case .data(let spec, let batch):
      if let batch { state.batch = batch }
      try loadData(spec)
    case .network(let role, let definition): try define(role, definition)
    case .loss(let loss):
      state.loss = loss
      state.trainer = nil
      report(.notice("loss \(loss.rawValue)"))
    case .optimizer(let roles, let spec): setOptimizer(spec, for: roles)
    case .summary(let roles): try summarize(roles)
    case .step(let count): try train(steps: count, verbose: true)
    case .train(let length): try train(length)
    case .every(let rule):
      if let rule { state.every.append(rule) } else { state.every.removeAll() }
      report(.notice(rule.map { "\($0)" } ?? "no periodic actions"))
    case .sample(let count, let path, let fresh, let train):
      try sample(count, to: path, fresh: fresh, batchStatistics: train)
    case .show(let topic): try show(topic)
    case .save(let path):
      try save(to: path)
      state.unsavedSteps = 0
    case .load(let path, let discard):
      if state.unsavedSteps > 0 && !discard {
        throw SessionError(.unsavedTraining(steps: state.unsavedSteps, load: path))
      }
      try load(from: path)
      state.unsavedSteps = 0
    case .bench(let architectures, let steps):
      for architecture in architectures { report(.benchmark(try benchmark(architecture, steps: steps))) }
    case .benchData(let spec, let steps):
      report(.dataBenchmark(try benchmarkData(spec, steps: steps)))
    case .reset:
      resetTraining()
      report(.notice("networks and training forgotten; data and settings kept"))
    case .quit: break
    }
  }

  private func apply(_ setting: Setting) throws(SessionError) {
    switch setting {
    case .seed(let seed):
      state.seed = seed
      state.random.reseed(seed)
      report(.notice("seed \(seed): networks defined from now on start from it"))
    case .latent(let n):
      if let g = state.definitions[.generator] {
        try requireUntrained(.generator)
        state.latent = n
        try define(.generator, g)
      }
      state.latent = n
      report(.notice("latent \(n)"))
    case .batch(let n):
      state.batch = n
      report(.notice("batch \(n)"))
    case .realLabel(let x):
      state.realLabel = x
      state.trainer = nil
      report(.notice("real-label \(x)"))
    case .fakeLabel(let x):
      state.fakeLabel = x
      state.trainer = nil
      report(.notice("fake-label \(x)"))
    case .threads(let n):
      BLAS.threads = n
      report(.notice("threads \(n)"))
    case .keepLastBatch(let keep):
      state.keepLastBatch = keep
      report(.notice("keep-last-batch \(keep)"))
    case .discriminatorLoss(let reduction):
      state.discriminatorLoss = reduction
      state.trainer = nil
      report(.notice("d-loss \(reduction.rawValue)"))
    }
  }

  private func setOptimizer(_ spec: OptimizerSpec, for roles: [NetworkRole]) {
    for role in roles {
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
      report(.notice("\(role) optimizer \(spec)"))
    }
    state.trainer = nil
  }

  /// Forgets networks, optimisers, counters and history.
  func resetTraining() {
    state.definitions = [:]
    state.networks = [:]
    state.optimizers = [:]
    state.trainer = nil
    state.fixedNoise = nil
    state.step = 0
    state.epoch = 1
    state.batchInEpoch = 0
    state.epochOrder = []
    state.epochShuffleState = nil
    state.history = []
    state.unsavedSteps = 0
  }

  func requireUntrained(_ role: NetworkRole) throws(SessionError) {
    let steps = state.trainedSteps(role)
    if steps > 0 { throw SessionError(.alreadyTrained(role.rawValue, steps: steps)) }
  }

  private func show(_ topic: ShowTopic) throws(SessionError) {
    switch topic {
    case .data(let count, let path):
      guard let dataset = state.dataset else { throw missingData() }
      let n = min(count, dataset.count)
      let samples = Tensor(zeros: dataset.sampleShape.batched(n))
      dataset.fill(samples, with: Array(0..<n)[...])
      if let points = dataset as? PointDataset {
        try writeImage(
          ScatterPlot.draw(real: samples, generated: Tensor(zeros: Shape(0, 2)), extent: points.extent), to: path,
          what: "\(n) real points")
      } else {
        try writeGrid(samples, range: dataset.spec.range, to: path, what: "\(n) real images")
      }
    case .dataSummary:
      guard let dataset = state.dataset else { throw missingData() }
      report(.dataLoaded(dataSummary(dataset, seconds: nil)))
    case .settings:
      report(.settings(settingsTable()))
    case .history(let last):
      report(.history(Array(state.history.suffix(last))))
    case .params:
      report(.settings(state.variables.sorted { $0.key < $1.key }.map { ("$" + $0.key, $0.value) }))
    }
  }

  func settingsTable() -> [(name: String, value: String)] {
    var rows: [(String, String)] = [
      ("seed", "\(state.seed)"), ("latent", "\(state.latent)"), ("batch", "\(state.batch)"),
      ("real-label", "\(state.realLabel)"), ("fake-label", "\(state.fakeLabel)"),
      ("keep-last-batch", "\(state.keepLastBatch)"),
      ("d-loss", state.discriminatorLoss.rawValue), ("threads", "\(BLAS.threads)"),
      ("loss", state.loss.rawValue),
    ]
    for role in NetworkRole.allCases { rows.append(("\(role) optimizer", "\(state.optimizerSpecs[role]!)")) }
    rows.append(("data", state.dataset.map { $0.spec.description } ?? "none"))
    rows.append(
      ("step", "\(state.step) (epoch \(state.epoch), batch \(state.batchInEpoch) of \(state.batchesPerEpoch) done)"))
    for rule in state.every { rows.append(("every", "\(rule)")) }
    return rows
  }

  func missingData() -> SessionError {
    SessionError(.missing("data", hint: "load some with 'data \"PATH\" size=64' or 'data faces'"))
  }

  /// Writes images [N, H, W, C] as a grid PNG.
  func writeGrid(_ images: Tensor, range: DataSpec.PixelRange, to path: String, what: String) throws(SessionError) {
    try writeImage(ImageGrid.compose(images, range: range), to: path, what: what)
  }

  /// Writes `grid` as a PNG, creating missing folders; the file appears whole or not at all.
  func writeImage(_ grid: DecodedImage, to path: String, what: String) throws(SessionError) {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw SessionError(.cannotWrite(path, reason: "cannot create the folder \(folder.path)"))
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).partial").path
    try grid.writePNG(to: temporary)
    guard rename(temporary, path) == 0 else {
      unlink(temporary)
      throw SessionError(.cannotWrite(path, reason: String(cString: strerror(errno))))
    }
    report(.wrote(path: path, what: what))
  }
}
