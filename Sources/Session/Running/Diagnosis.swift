/// What the diagnoses watch (`DiagnosisWatch`) can name while training, each with the
/// condition that shows it over a window of recent steps, and what to try.
///
/// The thresholds are named constants below; the D loss they compare is per half (the
/// mean of the losses on real and on generated samples, whichever `d-loss` is set), so a
/// balanced GAN sits near ln 2 ≈ 0.693 whatever the reduction.
public enum Diagnosis: String, CaseIterable, Codable, Sendable {
  /// D tells real from fake perfectly: its loss → 0, D(G(z)) → 0, and G learns little.
  case discriminatorWinning = "D winning"
  /// D calls the fakes real: D(G(z)) → 1 and G's loss → 0 while D's loss is high.
  case generatorFoolingDiscriminator = "G fooling D"
  /// The fixed-noise samples stop differing from each other (on 2-D toys: modes lost).
  case collapse = "collapse"
  /// A gradient norm above `explodingNorm`.
  case explodingGradients = "exploding gradients"

  /// Steps a condition is judged over; a diagnosis also counts as recovered only after
  /// its numbers have been clear of its limits, widened by `recoveryMargin`, for this
  /// many steps in a row.
  public static let window = 20
  /// How much a fired diagnosis's limits widen before it counts as recovered, so numbers
  /// hovering at a limit do not fire it again and again: D loss 0.02 instead of 0.01,
  /// D(G(z)) 0.8 instead of 0.9, a gradient norm of 500 instead of 1,000, a spread at 75%
  /// of its peak instead of 50%.
  public static let recoveryMargin: Float = 2
  /// D winning: mean D loss per half below this (D(x) ≈ 0.99 and D(G(z)) ≈ 0.01 give 0.01)…
  /// A healthy DCGAN passes through D-dominated stretches: the quickstart notebook's
  /// lowest 20-step means are D loss 0.039 and D(G(z)) 0.035 (its saved history, seed 1),
  /// four times these limits.
  public static let winningLoss: Float = 0.01
  /// … and mean D(G(z)) below this.
  public static let winningVerdict: Float = 0.01
  /// G fooling D: the median D(G(z)) after D's update above this (`Diagnosis+Fooling.swift`)…
  public static let foolingVerdict: Float = 0.9
  /// … the median G loss below this (−ln 0.9 ≈ 0.105)…
  public static let foolingGeneratorLoss: Float = 0.1
  /// … and the median D loss per half above this (well over ln 2: D is losing).
  public static let foolingLoss: Float = 1.0
  /// Exploding gradients: an L2 norm over a network's gradients above this. Healthy runs
  /// stay well below it: quickstart.gan's largest norms in 640 steps are 59 (D) and 54
  /// (G); gray-faces.gan's first 120 steps (d-loss sum, 2.8M parameters in D) reach 148
  /// and 95. A learning rate far too high passes it within a few steps and keeps growing
  /// (SGD at lr 10 on the toy: 1.2e3 at step 4, NaN at step 8).
  public static let explodingNorm: Float = 1000
  /// Collapse: the fixed-noise samples' spread (or, on toys, modes covered) below this
  /// fraction of the most it has been since the generator was built. On toys only once
  /// the points have covered at least half the modes: before that, a mode or two covered
  /// by chance comes and goes (toy-ring.gan's first 1,000 steps: 0 to 2 of 8).
  public static let collapseFraction: Float = 0.5
  /// Collapse: steps between two measurements of the spread.
  public static let collapseInterval = 25
  /// G's gradients count as vanishing below this fraction of their first value.
  public static let vanishingFraction: Float = 0.1

  /// Steps in a row a fired diagnosis's numbers must stay clear before it counts as
  /// recovered: a window, and for collapse (measured every `collapseInterval` steps) two
  /// measurements in a row, since one can be luck (toy-ring.gan regains and loses modes
  /// within 50 steps).
  public var recoverySteps: Int { self == .collapse ? Self.window + Self.collapseInterval : Self.window }

  /// What to try, in the notebook's own words.
  public var advice: String {
    switch self {
    case .discriminatorWinning:
      "slow D down or speed G up ('optimizer discriminator adam lr=…' lower, or the generator's higher),"
        + " smooth the real labels ('set real-label 0.9'), add 'dropout 0.3' to D, or make D smaller"
        + " (see 'help vanishing-gradients')"
    case .generatorFoolingDiscriminator:
      "D is not learning: raise its learning rate ('optimizer discriminator adam lr=2e-4'), or lower G's;"
        + " check D's layers with 'summary discriminator'; look at the samples ('sample 16 \"now.png\"')"
    case .collapse:
      "G makes nearly the same sample for every z: lower G's learning rate, use Adam with beta1=0.5,"
        + " add batchnorm to G, or load a save from before the collapse ('every 500 steps save \"runs/x-{step}\"'"
        + " keeps one per save) (see 'help mode-collapse')"
    case .explodingGradients:
      "lower the learning rate ('optimizer … lr=…', 10× lower), prefer Adam to SGD, add batchnorm,"
        + " or normalise the data to range=-1..1"
    }
  }
}

/// One diagnosis as it fired: which, at what step, and the numbers that showed it (the
/// executable words and formats them).
public struct DiagnosisFinding: Sendable, Equatable {
  public enum Evidence: Sendable, Equatable {
    /// Means over the window; G's gradient norm now and at its first watched step.
    case discriminatorWinning(lossD: Float, dFake: Float, gradientG: Float, firstGradientG: Float)
    /// Means over the window.
    case generatorFoolingDiscriminator(dFakeAfter: Float, lossG: Float, lossD: Float)
    /// Mean pairwise RMS distance of the fixed-noise samples, now and at its peak, and
    /// of as many real samples.
    case spread(now: Float, peak: Float, real: Float, peakStep: Int)
    /// Modes of a 2-D toy covered by the fixed-noise points, now and at the peak.
    case modes(covered: Int, peak: Int, of: Int, peakStep: Int)
    case explodingGradients(NetworkRole, norm: Float)
  }

  public var diagnosis: Diagnosis
  public var step: Int
  public var evidence: Evidence
  public var advice: String { diagnosis.advice }
}
