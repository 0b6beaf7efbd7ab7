import Foundation
import Layers
import Tensors

/// The training loop behind `step N` and `train epochs=…/steps=…`: each step takes the
/// epoch's next batch (`EpochPosition`, prepared one step ahead by `BatchFeeder`), runs the
/// `GANTrainer`, records a `StepStats`, reports it, and then hands the `every` actions due
/// to the caller. `shouldStop` (Ctrl-C) ends a run between steps, leaving the session
/// consistent.
///
/// The trainer is derived from the session's `TrainerConfiguration`: kept while the
/// configuration is unchanged, rebuilt (and checked again) when it is not.
final class Training {
  let state: SessionState
  let shouldStop: @Sendable () -> Bool
  /// Prepares each step's batch of real samples, the next one in the background.
  private let feeder = BatchFeeder()
  private var built: (configuration: TrainerConfiguration, trainer: GANTrainer)?
  /// The steps the last run took and the steps it was asked for: fewer after Ctrl-C or an
  /// error (`record` writes the steps taken).
  var lastRun: (done: Int, planned: Int)?

  init(state: SessionState, shouldStop: @escaping @Sendable () -> Bool) {
    self.state = state
    self.shouldStop = shouldStop
  }

  /// The trainer for the session as it is now, built once data and both networks exist and
  /// fit, and the batch fits the data and the memory.
  func readyTrainer() throws(SessionError) -> GANTrainer {
    let configuration = try TrainerConfiguration(state)
    syncBatchNorm()
    if let built, built.configuration == configuration { return built.trainer }
    if let problem = state.fitProblem() { throw problem }
    if state.batchesPerEpoch == 0 {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected:
            "at most \(state.dataset!.count), the number of \(state.dataset is PointDataset ? "points" : "images"),"
            + " or 'set keep-last-batch true'"))
    }
    let bytes = [configuration.generator.object, configuration.discriminator.object].compactMap {
      NetworkMemory.trainingBytes(input: $0.inputShape, specs: $0.specs, batch: state.batch)
    }
    try NetworkMemory.check(bytes.reduce(0, +), for: "training both networks at batch \(state.batch)")
    try checkRanks()
    try checkPacks()
    try checkGroups()
    let trainer = configuration.makeTrainer(communicator: state.communicator)
    shareWeights(of: trainer)
    built = (configuration, trainer)
    return trainer
  }

  /// Lets go of a trainer built for a configuration the session no longer has, so that the
  /// networks it holds are freed with the command that replaced them.
  func releaseStaleTrainer() {
    let current = try? TrainerConfiguration(state)
    built = built.flatMap { $0.configuration == current ? $0 : nil }
  }

  /// Runs `train`: whole epochs (finishing the current one first) or a number of steps.
  func run(
    _ length: TrainLength, report: (SessionEvent) -> Void, perform: (PeriodicAction) throws(SessionError) -> Void
  ) throws(SessionError) {
    _ = try readyTrainer()
    switch length {
    case .steps(let n): try run(steps: n, verbose: false, report: report, perform: perform)
    case .epochs(let n): try run(steps: steps(epochs: n), verbose: false, report: report, perform: perform)
    case .untilEpoch(let n):
      guard n >= state.epoch else {
        report(.notice("epoch \(n) has ended already (the session is in epoch \(state.epoch)); nothing to train"))
        return
      }
      try run(steps: steps(epochs: n - state.epoch + 1), verbose: false, report: report, perform: perform)
    case .untilStep(let n):
      guard n > state.step else {
        report(.notice("step \(n) is taken already (the session is at step \(state.step)); nothing to train"))
        return
      }
      try run(steps: n - state.step, verbose: false, report: report, perform: perform)
    }
  }

  /// The steps that end the current epoch and n - 1 more. n and the epoch's length come
  /// from the user; the product is checked, and a run too long to count is as good as
  /// endless (Ctrl-C stops it).
  private func steps(epochs n: Int) -> Int {
    let remaining = state.batchesPerEpoch - state.position.batchInEpoch
    let (more, overflow) = (n - 1).multipliedReportingOverflow(by: state.batchesPerEpoch)
    let (steps, overflow2) = remaining.addingReportingOverflow(more)
    return overflow || overflow2 ? Int.max : steps
  }

  /// Runs `steps` steps of `kind`. `verbose` (the `step` command) reports every step;
  /// otherwise progress, epoch averages and a final report. Stops early, cleanly, on
  /// `shouldStop`. `every` rules follow full steps only.
  func run(
    steps: Int, verbose: Bool, kind: StepKind = .full, report: (SessionEvent) -> Void,
    perform: (PeriodicAction) throws(SessionError) -> Void
  ) throws(SessionError) {
    let trainer = try readyTrainer()
    // A fixed folder is checked before the first step, not after it.
    for rule in state.every where kind == .full {
      if case .save(let path) = rule.action, !path.contains("{") { try checkInheritedSave(rule, to: path) }
    }
    let start = ContinuousClock.now
    var total = StepAverages()
    total.points = state.dataset is PointDataset
    var epoch = total
    var last: StepStats?
    var done = 0
    defer { lastRun = (done, steps) }
    while done < steps {
      if state.communicator.any(shouldStop()) { break }
      // A step refused (a NaN, say) leaves the random streams and the epoch's order as they
      // were, so that what follows is what a replay without it would do.
      let (streams, position) = (state.random.states, state.position)
      let (stats, images, finishedEpoch): (StepStats, Int, Int?)
      do {
        (stats, images, finishedEpoch) = try step(trainer, kind: kind)
      } catch {
        _ = state.random.restore(streams)
        state.position = position
        throw error
      }
      done += 1
      last = stats
      total.add(stats, images: images)
      epoch.add(stats, images: images)
      if verbose {
        report(.step(stats))
      } else {
        report(
          .progress(
            TrainProgress(last: stats, done: done, planned: steps, elapsed: (ContinuousClock.now - start).seconds)))
      }
      if state.diagnose && kind == .full {
        for finding in state.watch.observe(stats, in: state) { report(.diagnosis(finding)) }
      }
      // The epoch's line first, then what its rules write (a grid "at step 64" follows the
      // epoch that ended there).
      if let finishedEpoch, !verbose {
        report(.epochEnded(finishedEpoch, last: stats, averages: epoch))
        epoch = StepAverages()
        epoch.points = total.points
      }
      for rule in state.every where kind == .full {
        if let action = rule.due(after: stats, finishedEpoch: finishedEpoch) {
          averageRunningStatistics()
          if case .save(let path) = action { try checkInheritedSave(rule, to: path) }
          try perform(action)
        }
      }
    }
    averageRunningStatistics()
    if let last, !verbose || done < steps {
      report(
        .trainFinished(
          TrainProgress(last: last, done: done, planned: steps, elapsed: (ContinuousClock.now - start).seconds),
          averages: total, interrupted: done < steps))
    }
  }

  /// One step on the next batch; returns its stats, the batch size, and the epoch that
  /// this step finished, if any. While the step computes, the next batch of the same
  /// epoch is prepared in the background.
  private func step(_ trainer: GANTrainer, kind: StepKind) throws(SessionError) -> (StepStats, Int, Int?) {
    if kind == .generator { return try generatorStep(trainer) }
    let start = ContinuousClock.now
    let dataset = state.dataset!  // the trainer was built for it
    let order = state.position.order(of: dataset.count, shuffle: state.random[.shuffle])
    let current = BatchKey(
      epoch: state.position.epoch, index: state.position.batchInEpoch, size: state.batch,
      rank: state.communicator.rank, ranks: state.communicator.size)
    trainer.share = current.share(of: order.count)
    let (real, waited) = feeder.batch(current, order: order, dataset: dataset, mirror: mirroring(current))
    var next = current
    next.index += 1
    if next.index < state.batchesPerEpoch {
      feeder.prefetch(next, order: order, dataset: dataset, mirror: mirroring(next))
    }
    let (noise, dropout) = (state.random[.noise], state.random[.dropout])
    let r =
      kind == .full
      ? try trainer.step(real: real, noiseSource: noise, dropout: dropout, step: state.step + 1)
      : try trainer.discriminatorStep(real: real, noiseSource: noise, dropout: dropout, step: state.step + 1)
    state.step += 1
    state.unsavedSteps += 1
    let finished = state.position.advance(batchesPerEpoch: state.batchesPerEpoch)
    let stats = record(
      r, kind: kind, epoch: current.epoch, batch: current.index + 1, seconds: (ContinuousClock.now - start).seconds,
      dataWait: waited)
    return (stats, trainer.share!.global, finished)
  }

  private func mirroring(_ key: BatchKey) -> Mirroring? {
    guard state.dataset?.spec.flip == true else { return nil }
    return Mirroring(seed: state.seed, epoch: key.epoch, first: key.index * key.size)
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
