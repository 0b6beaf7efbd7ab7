import Foundation
import Layers
import Tensors

extension Interpreter {
  func loadData(_ spec: DataSpec) throws(SessionError) {
    install(try prepareData(spec))
    state.batchInEpoch = 0
    state.epochOrder = []
    state.epochShuffleState = nil
  }

  /// Data read and decoded but not yet the session's: `load` checks it against the saved
  /// position before anything changes.
  struct PreparedData {
    var dataset: any Dataset
    var seconds: Double
    var cache: (file: String?, hit: Bool, note: String?) = (nil, false, nil)
  }

  func prepareData(_ spec: DataSpec) throws(SessionError) -> PreparedData {
    let start = ContinuousClock.now
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let dataset: any Dataset
    var cache: (file: String?, hit: Bool, note: String?) = (nil, false, nil)
    switch spec.source {
    case .faces(let count):
      try spec.checkMemory(count: count)
      dataset = BuiltinFaces.dataset(spec, count: count, threads: threads)
    case .ring(let count), .grid(let count):
      try spec.checkMemory(count: count)
      dataset = PointDataset(spec: spec)
    case .folder(let path):
      let loaded = try ImageFolderLoader.load(
        spec, path: path, threads: threads, cacheDirectory: cacheDirectory,
        progress: { report(.loading(done: $0, total: $1)) }, shouldStop: shouldStop)
      dataset = loaded.dataset
      cache = (loaded.cacheFile, loaded.fromCache, loaded.cacheNote)
    }
    return PreparedData(dataset: dataset, seconds: (ContinuousClock.now - start).seconds, cache: cache)
  }

  /// Makes `prepared` the session's data, keeping the position in the epoch.
  func install(_ prepared: PreparedData) {
    state.dataset = prepared.dataset
    state.trainer = nil  // the next step checks again that data and networks fit
    report(.dataLoaded(dataSummary(prepared.dataset, seconds: prepared.seconds, cache: prepared.cache)))
    checkFit(warnOnly: true)
  }

  /// What `data` and `show data` print about `dataset`.
  func dataSummary(
    _ dataset: any Dataset, seconds: Double?, cache: (file: String?, hit: Bool, note: String?) = (nil, false, nil)
  ) -> DataSummary {
    DataSummary(
      spec: dataset.spec, count: dataset.count, sampleShape: dataset.sampleShape, bytes: dataset.bytes,
      skipped: dataset.skipped, seconds: seconds, batchesPerEpoch: state.batchesPerEpoch, batch: state.batch,
      fromCache: cache.hit, cacheFile: cache.file, cacheNote: cache.note)
  }

  /// The trainer, built on first use once data and both networks exist and fit.
  func readyTrainer() throws(SessionError) -> GANTrainer {
    if let trainer = state.trainer { return trainer }
    guard let dataset = state.dataset else { throw missingData() }
    guard let g = state.networks[.generator] else {
      throw SessionError(.missing("generator", hint: "define it with a 'generator' … 'end' block"))
    }
    guard let d = state.networks[.discriminator] else {
      throw SessionError(.missing("discriminator", hint: "define it with a 'discriminator' … 'end' block"))
    }
    if let problem = checkFit(warnOnly: false) { throw problem }
    if state.batchesPerEpoch == 0 {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected: "at most \(dataset.count), the number of images, or 'set keep-last-batch true'"))
    }
    let bytes = [g, d].compactMap {
      NetworkMemory.trainingBytes(input: $0.inputShape, specs: $0.specs, batch: state.batch)
    }
    try NetworkMemory.check(bytes.reduce(0, +), for: "training both networks at batch \(state.batch)")
    let trainer = GANTrainer(
      generator: g, discriminator: d, optimizerG: state.optimizers[.generator]!,
      optimizerD: state.optimizers[.discriminator]!, loss: state.loss, discriminatorLoss: state.discriminatorLoss,
      realLabel: state.realLabel, fakeLabel: state.fakeLabel)
    state.trainer = trainer
    return trainer
  }

  func train(_ length: TrainLength) throws(SessionError) {
    _ = try readyTrainer()
    switch length {
    case .steps(let n): try train(steps: n, verbose: false)
    case .epochs(let n):
      // n and the epoch's length come from the user; the product is checked, and a run
      // too long to count is as good as endless (Ctrl-C stops it).
      let remaining = state.batchesPerEpoch - state.batchInEpoch
      let (more, overflow) = (n - 1).multipliedReportingOverflow(by: state.batchesPerEpoch)
      let (steps, overflow2) = remaining.addingReportingOverflow(more)
      try train(steps: overflow || overflow2 ? Int.max : steps, verbose: false)
    }
  }

  /// Runs `steps` steps. `verbose` (the `step` command) reports every step; otherwise
  /// progress, epoch averages and a final report. Stops early, cleanly, on `shouldStop`.
  func train(steps: Int, verbose: Bool) throws(SessionError) {
    let trainer = try readyTrainer()
    let start = ContinuousClock.now
    var total = StepAverages()
    var epoch = StepAverages()
    var last: StepStats?
    var done = 0
    while done < steps {
      if shouldStop() { break }
      let (stats, images, finishedEpoch) = try trainOneStep(trainer)
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
      try runPeriodic(stats: stats, finishedEpoch: finishedEpoch)
      if let finishedEpoch, !verbose {
        report(.epochFinished(epoch: finishedEpoch, averages: epoch))
        epoch = StepAverages()
      }
    }
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
  private func trainOneStep(_ trainer: GANTrainer) throws(SessionError) -> (StepStats, Int, Int?) {
    let start = ContinuousClock.now
    let current = BatchKey(epoch: state.epoch, index: state.batchInEpoch, size: state.batch)
    let (real, waited) = feeder.batch(current, order: epochOrder(), dataset: state.dataset!, mirror: mirroring(current))
    let next = BatchKey(epoch: current.epoch, index: current.index + 1, size: current.size)
    if next.index < state.batchesPerEpoch {
      feeder.prefetch(next, order: state.epochOrder, dataset: state.dataset!, mirror: mirroring(next))
    }
    let r = try trainer.step(
      real: real, noiseSource: state.random[.noise], dropout: state.random[.dropout], step: state.step + 1)
    state.step += 1
    state.unsavedSteps += 1
    state.batchInEpoch += 1
    let stats = StepStats(
      step: state.step, epoch: state.epoch, batch: state.batchInEpoch, batchesPerEpoch: state.batchesPerEpoch,
      lossD: r.lossD, lossG: r.lossG, dReal: r.dReal, dFake: r.dFake, dFakeAfter: r.dFakeAfter,
      seconds: (ContinuousClock.now - start).seconds, dataWait: waited)
    state.history.append(stats)
    var finished: Int?
    if state.batchInEpoch >= state.batchesPerEpoch {
      finished = state.epoch
      state.epoch += 1
      state.batchInEpoch = 0
      state.epochOrder = []
      state.epochShuffleState = nil
    }
    return (stats, real.shape[0], finished)
  }

  /// The current epoch's order of samples, drawn from the shuffle stream when it starts.
  func epochOrder() -> [Int] {
    if state.epochOrder.isEmpty, let dataset = state.dataset {
      state.epochShuffleState = state.random[.shuffle].generator.state
      state.epochOrder = state.random[.shuffle].permutation(dataset.count)
    }
    return state.epochOrder
  }

  private func mirroring(_ key: BatchKey) -> Mirroring? {
    guard state.dataset?.spec.flip == true else { return nil }
    return Mirroring(seed: state.seed, epoch: key.epoch, first: key.index * key.size)
  }

  /// The `every` rules due after `stats`: step rules after steps 1, N + 1, …; batch rules
  /// when the 0-based batch index within the epoch is a multiple of N (the tutorial's
  /// `if idx % 100 == 0`); epoch rules at the end of every N-th epoch.
  private func runPeriodic(stats: StepStats, finishedEpoch: Int?) throws(SessionError) {
    for rule in state.every {
      let due: Bool
      let epoch: Int
      switch rule.period {
      case .steps(let n):
        due = (stats.step - 1) % n == 0
        epoch = stats.epoch
      case .batches(let n):
        due = (stats.batch - 1) % n == 0
        epoch = stats.epoch
      case .epochs(let n):
        due = finishedEpoch.map { $0 % n == 0 } ?? false
        epoch = finishedEpoch ?? stats.epoch
      }
      guard due else { continue }
      func fill(_ path: String) -> String {
        path.replacingOccurrences(of: "{epoch}", with: "\(epoch)")
          .replacingOccurrences(of: "{step}", with: "\(stats.step)")
          .replacingOccurrences(of: "{index}", with: "\(stats.batch - 1)")
      }
      switch rule.action {
      case .sample(let count, let path, let train):
        try sample(count, to: fill(path), fresh: false, batchStatistics: train)
      case .save(let path):
        try save(to: fill(path))
        state.unsavedSteps = 0
      }
    }
  }

  /// Writes `count` samples from the fixed noise (or fresh noise) as a grid of images, or
  /// for 2-D points as a scatter plot over the real ones with the modes they cover;
  /// generated in inference mode (BatchNorm's running statistics, no dropout), or with
  /// `batchStatistics` BatchNorm normalising over these samples (the running statistics
  /// are left as they were).
  func sample(_ count: Int, to path: String, fresh: Bool, batchStatistics: Bool) throws(SessionError) {
    guard let g = state.networks[.generator], let fixed = state.fixedNoise else {
      throw SessionError(.missing("generator", hint: "define it with a 'generator' … 'end' block"))
    }
    if let bytes = NetworkMemory.inferenceBytes(input: g.inputShape, specs: g.specs, count: count) {
      try NetworkMemory.check(bytes, for: "sampling \(count) images")
    }
    let z = Tensor(zeros: g.inputShape.batched(count))
    if fresh {
      state.random[.samples].fillNormal(z.buffer, mean: 0, std: 1)
    } else {
      z.pointer.update(from: fixed.pointer, count: z.count)
    }
    let images: Tensor
    if batchStatistics {
      let saved = g.namedBuffers.map { $0.value.copy() }
      images = g.forward(z, mode: .training(RandomSource(seed: 0)))
      for (buffer, value) in zip(g.namedBuffers, saved) { buffer.value.assign(value) }
    } else {
      images = g.forward(z, mode: .inference)
    }
    if let points = state.dataset as? PointDataset, images.shape.sample == Shape(2) {
      let real = Tensor(zeros: Shape(min(count, points.count), 2))
      points.fill(real, with: Array(0..<real.shape[0])[...])
      let c = points.coverage(images)
      let what =
        "\(count) generated points at step \(state.step): modes covered \(c.covered) of \(c.modes), "
        + "\(Int((c.nearFraction * 100).rounded()))% of points within 3σ of a mode"
      try writeImage(ScatterPlot.draw(real: real, generated: images, extent: points.extent), to: path, what: what)
      return
    }
    guard images.shape.rank == 4 else {
      throw SessionError(
        .invalidValue(
          images.shape.sample.compact, for: "generator output", expected: "images (H×W×C) or 2-D points to draw"))
    }
    let range =
      (state.dataset?.spec.source.isPoints == false ? state.dataset?.spec.range : nil)
      ?? (g.specs.last == .tanh ? .symmetric : .unit)
    try writeGrid(
      images, range: range, to: path, what: "\(count) generated image\(count == 1 ? "" : "s") at step \(state.step)")
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
