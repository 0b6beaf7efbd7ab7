import Foundation
import Session

/// The words and numbers of a diagnosis: "step 57: D winning — …".
extension Presenter {
  func diagnosis(_ f: DiagnosisFinding) -> String {
    "step \(f.step): \(f.diagnosis.rawValue) — " + evidence(f.evidence)
  }

  private func evidence(_ e: DiagnosisFinding.Evidence) -> String {
    switch e {
    case .discriminatorWinning(let lossD, let dFake, let gradient, let first):
      let vanishing = gradient < Diagnosis.vanishingFraction * first ? ", vanishing" : ""
      return String(
        format: "D loss %.3f and D(G(z)) %.3f (medians over the last %d steps): D tells every fake apart;"
          + " G's gradient norm %.3g (%.3g at first%@)",
        lossD, dFake, Diagnosis.winningWindow, gradient, first, vanishing)
    case .generatorFoolingDiscriminator(let dFakeAfter, let lossG, let lossD):
      return String(
        format:
          "D(G(z)) %.3f, G loss %.3f and D loss %.3f (medians over the last %d steps): D calls the fakes real,"
          + " whatever they look like",
        dFakeAfter, lossG, lossD, Diagnosis.winningWindow)
    case .spread(let now, let peak, let real, let peakStep):
      return String(
        format: "the fixed-noise samples differ by %.3g on average (pairwise RMS), down from %.3g at step %d;"
          + " real images differ by %.3f",
        now, peak, peakStep, real)
    case .modes(let covered, let peak, let of, let peakStep):
      return "the fixed-noise points reach \(covered) of \(of) modes, down from \(peak) at step \(peakStep)"
    case .explodingGradients(let role, let norm):
      return String(
        format: "the %@'s gradient norm is %.3g, above %.0f", role.rawValue, norm, Diagnosis.explodingNorm)
    }
  }
}
