import Foundation
import Layers

/// The parts of a step that `step d`, `step g` and `explain step` add to the loop: the
/// G half alone (no real batch), and recording any step's numbers.
extension Training {
  /// `step g`: one G update on a batch of fakes. Takes no real batch, so the epoch stays
  /// where it is; the stats name the batch the epoch is at.
  func generatorStep(_ trainer: GANTrainer) throws(SessionError) -> (StepStats, Int, Int?) {
    let start = ContinuousClock.now
    trainer.share = state.communicator.share(of: state.batch)
    let r = try trainer.generatorStep(
      batch: trainer.share!.count, noiseSource: state.random[.noise], dropout: state.random[.dropout],
      step: state.step + 1)
    state.step += 1
    state.unsavedSteps += 1
    let stats = record(
      r, kind: .generator, epoch: state.position.epoch, batch: state.position.batchInEpoch + 1,
      seconds: (ContinuousClock.now - start).seconds, dataWait: 0)
    return (stats, state.batch, nil)
  }

  /// The step's `StepStats`, appended to the history; its other measurements kept for
  /// `explain step` and `show gradients`. Call after `state.step` counts the step.
  func record(
    _ r: GANTrainer.Result, kind: StepKind, epoch: Int, batch: Int, seconds: Double, dataWait: Double
  ) -> StepStats {
    var stats = StepStats(
      step: state.step, epoch: epoch, batch: batch, batchesPerEpoch: state.batchesPerEpoch,
      lossD: r.lossD, lossG: r.lossG, dReal: r.dReal, dFake: r.dFake, dFakeAfter: r.dFakeAfter,
      seconds: seconds, dataWait: dataWait)
    stats.kind = kind
    // A saved history is JSON, which has no ∞: a norm that overflowed is left out.
    stats.gradientNormD = r.norms[.discriminator].map { Float($0.gradientNorm) }.flatMap { $0.isFinite ? $0 : nil }
    stats.gradientNormG = r.norms[.generator].map { Float($0.gradientNorm) }.flatMap { $0.isFinite ? $0 : nil }
    state.history.append(stats)
    state.measured.record(r, networks: state.networks)
    if kind.trains(.generator) { state.updateGeneratorAverage() }
    return stats
  }
}
