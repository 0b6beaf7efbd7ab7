import Layers
import Tensors

/// `set`: one setting at a time, and the table `show settings` prints.
extension Interpreter {
  /// `location`: where the setting's `layers=` was written, else the line.
  func apply(_ setting: Setting, at location: SourceLocation? = nil) throws(SessionError) {
    switch setting {
    case .seed(let seed):
      state.seed = seed
      state.random.reseed(seed)
      report(.notice("seed \(seed): networks defined from now on start from it"))
    case .latent(let n):
      if let g = state.definitions[.generator], n != state.latent {
        let steps = state.trainedSteps(.generator)
        if steps > 0 { throw SessionError(.latentAfterTraining(latent: state.latent, steps: steps)) }
        let old = state.latent
        state.latent = n
        do { try define(.generator, g) } catch {
          state.latent = old
          throw error
        }
      }
      state.latent = n
      report(.notice("latent \(n)"))
    case .batch(let n):
      // Batches of another size are other batches: the epoch starts again (the order and
      // the batches done were for the old size).
      let done = state.batchInEpoch
      if n != state.batch { state.position.restartEpoch() }
      let old = state.batch
      state.batch = n
      let batches = done == 1 ? "1 batch of \(old) was" : "\(done) batches of \(old) were"
      let restart =
        n != old && done > 0 ? "; epoch \(state.epoch) starts over in batches of \(n) (\(batches) done)" : ""
      report(.notice("batch \(n)" + restart))
    case .realLabel(let x):
      state.realLabel = x
      report(.notice("real-label \(x)"))
      warnIfLabelsInverted()
    case .fakeLabel(let x):
      state.fakeLabel = x
      report(.notice("fake-label \(x)"))
      warnIfLabelsInverted()
    case .threads(let n):
      BLAS.threads = n
      report(.notice("threads \(n)"))
    case .keepLastBatch(let keep):
      state.keepLastBatch = keep
      report(.notice("keep-last-batch \(keep)"))
    case .discriminatorLoss(let reduction):
      state.discriminatorLoss = reduction
      report(.notice("d-loss \(reduction.rawValue)"))
    case .diagnose(let on):
      state.diagnose = on
      report(.notice("diagnose \(on ? "on" : "off")"))
    case .ema(let decay): setAverage(decay)
    case .emaWarmup(let k, nil): setAverageWarmUp(k)
    case .emaWarmup(let k, let layers?): try setAverageWarmUp(k, layers: layers, at: location)
    case .syncBatchNorm(let on): setSyncBatchNorm(on)
    case .labelNoise(let x):
      state.labelNoise = x
      let hinge = !state.loss.hasLabels && x > 0 ? "; the hinge loss has no labels, so it does nothing there" : ""
      report(
        .notice(
          "label-noise \(x)" + (x > 0 ? ": D's targets are the labels plus \(x)·u, u uniform in [0, 1)" : "") + hinge))
    case .pictureScale(let n):
      state.pictureScale = n
      report(.notice("picture-scale \(n)" + (n > 1 ? ": each pixel of generated and real images drawn \(n)×\(n)" : "")))
    case .portable(let on):
      BLAS.fixedOrder = on
      report(
        .notice(
          on
            ? "portable on: every matrix product sums in one order, so a seeded run of dense networks prints the same"
              + " numbers whichever kernels OpenBLAS runs for the CPU (a convolution's own kernels still differ);"
              + " slower"
            : "portable off: matrix products run on OpenBLAS's kernels for this CPU"))
    case .freshNoise(let fresh):
      state.freshNoise = fresh
      report(
        .notice(
          fresh
            ? "g-noise fresh: G's step draws a new z and runs G again, as keras.io's tutorial does"
            : "g-noise same: G's step reuses the fakes D just saw, as the tutorial does"))
    }
  }

  /// D learns `realLabel` for real images and `fakeLabel` for fakes, and G is trained towards
  /// `realLabel`: equal, D has nothing to learn; swapped, training still works but every
  /// verdict reads the other way round.
  private func warnIfLabelsInverted() {
    let (real, fake) = (state.realLabel, state.fakeLabel)
    guard state.loss.hasLabels else { return }
    if fake == real {
      report(
        .warning(
          "real-label and fake-label are both \(real): D is taught the same answer for real and fake images and has"
            + " nothing to learn; keep them apart, such as real-label 0.9 and fake-label 0 (swapping them, set the"
            + " other one next)"))
    } else if fake > real {
      report(
        .warning(
          "fake-label \(fake) is above real-label \(real): D learns the labels swapped, so D(x) and D(G(z)) read the"
            + " other way round (near 1 means fake), and the diagnoses with them"))
    }
  }

  func settingsTable() -> [(name: String, value: String)] {
    var rows: [(String, String)] = [
      ("seed", "\(state.seed)"), ("latent", "\(state.latent)"), ("batch", "\(state.batch)"),
      ("real-label", "\(state.realLabel)"), ("fake-label", "\(state.fakeLabel)"),
      ("label-noise", "\(state.labelNoise)"), ("g-noise", state.freshNoise ? "fresh" : "same"),
      ("keep-last-batch", "\(state.keepLastBatch)"),
      ("d-loss", state.discriminatorLoss.rawValue), ("threads", "\(BLAS.threads)"),
      ("loss", state.loss.rawValue), ("diagnose", state.diagnose ? "on" : "off"),
      ("ema", state.emaDecay.map { "\($0)" } ?? "off"), ("ema-warmup", averageWarmUpText),
      ("picture-scale", "\(state.pictureScale)"), ("portable", BLAS.fixedOrder ? "on" : "off"),
    ]
    if state.communicator.size > 1 || state.syncBatchNorm { rows.append(("sync-batchnorm", "\(state.syncBatchNorm)")) }
    for role in NetworkRole.allCases { rows.append(("\(role) optimizer", "\(state.optimizerSpecs[role]!)")) }
    rows.append(("data", state.dataset.map { $0.spec.description } ?? "none"))
    rows.append(
      ("step", "\(state.step) (epoch \(state.epoch), batch \(state.batchInEpoch) of \(state.batchesPerEpoch) done)"))
    for rule in state.every { rows.append(("every", "\(rule)")) }
    if !state.augment.isEmpty {
      rows.append(("augment", state.augmentWords))
    }
    return rows
  }
}
