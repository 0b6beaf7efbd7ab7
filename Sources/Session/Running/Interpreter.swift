import Foundation
import Layers
import Tensors

/// Runs commands against one session: the one switch over `Command`. Each case is a few
/// lines that call into the networks, the training, the data, the views or the archive.
public final class Interpreter {
  public enum Outcome: Sendable {
    case proceed
    case quit
  }

  public let state: SessionState
  /// Polled between steps and between files: true stops the running command cleanly (the
  /// executable sets it on Ctrl-C). The session stays consistent.
  let shouldStop: @Sendable () -> Bool
  var report: (SessionEvent) -> Void = { _ in }
  /// The training loop, the trainer it derives from the session, and the batch feeder.
  let training: Training
  /// Where decoded image folders are cached; nil turns the cache off.
  public var cacheDirectory: String? = DatasetCache.defaultDirectory

  /// The parameters given on the command line (`--set name=value`): their values win over
  /// every `param` line.
  public let given: Set<String>
  /// The lines that ran, for `record`.
  var transcript = Transcript()
  /// What `record` wrote, by path: that text there is this session's to replace.
  var recordings: [String: String] = [:]

  /// `variables` are notebook parameters given on the command line (`--set name=value`);
  /// they win over the defaults a notebook declares with `param`.
  public init(variables: [String: String] = [:], shouldStop: @escaping @Sendable () -> Bool = { false }) {
    let state = SessionState()
    state.variables = variables
    given = Set(variables.keys)
    self.state = state
    self.shouldStop = shouldStop
    training = Training(state: state, shouldStop: shouldStop)
  }

  /// Runs one command, reporting what happens through `report`. A failure leaves the
  /// session as it was before the command, except for steps already completed.
  public func execute(_ command: Located<Command>, report: @escaping (SessionEvent) -> Void) throws(SessionError)
    -> Outcome
  {
    self.report = report
    defer {
      self.report = { _ in }
      training.releaseStaleTrainer()
    }
    let mistakes = ClassicMistake.all(in: state)
    training.lastRun = nil
    do {
      try run(filled(command.value), at: command.location)
    } catch {
      transcript.add(command, run: training.lastRun, failed: true, given: given)
      throw error.located(command.location).noting(command.parameters)
    }
    transcript.add(command, run: training.lastRun, failed: false, given: given)
    warnAboutNewMistakes(since: mistakes)
    if case .quit = command.value { return .quit }
    return .proceed
  }

  private func run(_ command: Command, at location: SourceLocation) throws(SessionError) {
    switch command {
    case .help(let topic): try help(topic)
    case .param(let name, let value):
      state.variables[name] = value  // the parser resolved it against --set and earlier lines
      report(
        .notice(
          "$\(name) = \(value)" + (given.contains(name) ? ", as --set gave it (a param line gives a default)" : "")))
    case .set(let setting, let column): try apply(setting, at: location.at(column: column ?? location.column))
    case .data(let spec, let batch):
      if let batch { state.batch = batch }
      try loadData(spec)
    case .network(let role, let definition): try define(role, definition)
    case .loss(let loss):
      state.loss = loss
      report(.notice("loss \(loss.rawValue)"))
    case .optimizer(let roles, let spec, let given): setOptimizer(spec, for: roles, given: given)
    case .summary(let roles): try summarize(roles)
    case .step(let count):
      try training.run(steps: count, verbose: true, report: report) { action throws(SessionError) in
        try run(action.command, at: location)
      }
    case .train(let length):
      try training.run(length, report: report) { action throws(SessionError) in try run(action.command, at: location) }
    case .every(let rule):
      if let rule { try addEveryRule(rule) } else { try removeEveryRules(nil) }
    case .sample(let count, let path, let fresh, let train):
      try present(
        Sampling.generated(count, fresh: fresh, batchStatistics: train, in: state), at: path,
        name: "sample-step\(state.step)" + (fresh ? "-fresh" : ""))
    case .show(let topic): try show(topic)
    case .save(let path):
      try save(to: path)
      state.unsavedSteps = 0
    case .load(let path, let discard):
      // Read first: a path that cannot be loaded fails as such, losing nothing, unwarned.
      // Into a new workspace, so the replaced networks' scratch goes with them.
      let workspace = Workspace()
      let archive = try SessionArchive(reading: path, workspace: workspace)
      if state.unsavedSteps > 0 && !discard {
        throw SessionError(.unsavedTraining(steps: state.unsavedSteps, load: path))
      }
      try load(archive, from: path)
      if state.communicator.isRoot {
        SaveFolder.sweepStaging(in: parentFolder(of: path).isEmpty ? "." : parentFolder(of: path))
      }
      state.workspace = workspace
      state.unsavedSteps = 0
    case .bench(let architectures, let steps):
      for architecture in architectures { report(.benchmark(try benchmark(architecture, steps: steps))) }
    case .benchData(let spec, let steps):
      report(.dataBenchmark(try benchmarkData(spec, steps: steps)))
    case .reset:
      state.forgetTraining()
      report(.notice("networks and training forgotten; data and settings kept" + keptRulesNote))
    case .quit: break
    case .sampleFrame(let count, let train):
      try present(
        Sampling.generated(count, fresh: false, batchStatistics: train, in: state), at: nil,
        name: "sample-step\(state.step)", isFrame: true)
    case .concept(let concept): explain(concept)
    case .plot(let path): try plot(to: path)
    case .interpolate(let from, let to, let steps, let path):
      try present(LatentWalk.picture(from: from, to: to, steps: steps, in: state), at: path, name: "walk")
    case .nearest(let count, let path):
      try present(NearestImages.picture(count, in: state, shouldStop: shouldStop), at: path, name: "nearest")
    case .stepOnly(let role, let count):
      try training.run(
        steps: count, verbose: true, kind: role == .generator ? .generator : .discriminator, report: report
      ) {
        action throws(SessionError) in try run(action.command, at: location)
      }
    case .explainStep:
      try explainStep { action throws(SessionError) in try run(action.command, at: location) }
    case .export(let item, let path): try export(item, to: path)
    case .importWeights(let role, let path): try importWeights(role, from: path)
    case .everyOff(let number): try removeEveryRules(number)
    case .evaluate(let count, let folder, let train):
      try evaluateSWD(count: count, folder: folder, batchStatistics: train)
    case .augment(let policy, let shift): try setAugment(policy, shift: shift)
    case .record(let path): try record(to: path)
    }
  }

  private func show(_ topic: ShowTopic) throws(SessionError) {
    switch topic {
    case .data(let count, let path):
      guard let dataset = state.dataset else { throw .missingData }
      try present(Sampling.real(count, of: dataset), at: path, name: "data-\(count)")
    case .dataSummary:
      guard let dataset = state.dataset else { throw .missingData }
      report(.dataLoaded(dataSummary(dataset, seconds: nil)))
    case .settings:
      report(.settings(settingsTable()))
    case .history(let last):
      report(.history(Array(state.history.suffix(last))))
    case .params:
      report(.settings(state.variables.sorted { $0.key < $1.key }.map { ("$" + $0.key, $0.value) }))
    case .historyFile(let last, let path): try writeHistory(last: last, to: path)
    case .gradients:
      report(.gradients(NetworkRole.allCases.map { ($0, state.measured.norms($0, of: state.networks[$0])) }))
    case .diagnoses:
      report(.diagnoses(state.watch.fired))
    case .every:
      report(.notice(everyListing))
    case .paths(let role): try showPaths(role)
    }
  }

  /// The trainer for the session as it is now (see `Training.readyTrainer`).
  func readyTrainer() throws(SessionError) -> GANTrainer { try training.readyTrainer() }
}
