import Layers

/// The diagnoses watch: after each training step (while `set diagnose on`, the default)
/// it judges every `Diagnosis` over the recent steps and names what starts to go wrong,
/// once. A diagnosis fires when its condition starts to hold; it fires again only after
/// it recovered (its numbers have stayed clear of the limit widened by
/// `Diagnosis.recoveryMargin` for `Diagnosis.window` steps in a row) and then recurred. The watch only reads the networks (a gradient-norm
/// pass, and every `Diagnosis.collapseInterval` steps the fixed-noise samples in inference
/// mode): training computes the same numbers with it on or off.
public final class DiagnosisWatch {
  /// What one step looked like.
  struct Observation {
    var stats: StepStats
    var gradientD: Float
    var gradientG: Float
  }

  /// Every finding of this session, in order: what `show diagnoses` lists.
  public private(set) var fired: [DiagnosisFinding] = []
  /// The last `Diagnosis.window` observed steps, consecutive.
  private var recent: [Observation] = []
  private var active: Set<Diagnosis> = []
  /// Steps in a row an active diagnosis's condition has been false.
  private var quiet: [Diagnosis: Int] = [:]
  /// The generator the baselines below belong to; another one (defined, loaded, after
  /// `reset`) starts them and the episodes over.
  private weak var generator: Sequential?
  private var firstGradientG: Float?
  /// The latest spread measurement, and the largest since the generator was built.
  private var latest: (measure: SampleSpread.Measure, step: Int)?
  private var peak: (measure: SampleSpread.Measure, step: Int)?

  public init() {}

  /// Forgets every finding and baseline, for `reset`: a finding of forgotten training
  /// would name a step number the new training reuses.
  func forget() {
    fired = []
    generator = nil
    (firstGradientG, latest, peak) = (nil, nil, nil)
    (recent, active, quiet) = ([], [], [:])
  }

  /// Looks at the step just taken (the last of `state.history`); returns the diagnoses
  /// that start to hold with it, and remembers them in `fired`.
  func observe(_ stats: StepStats, in state: SessionState) -> [DiagnosisFinding] {
    // A full step measured both networks' gradients (the trainer's check before each update).
    guard let g = state.networks[.generator], let gradientD = stats.gradientNormD,
      let gradientG = stats.gradientNormG
    else { return [] }
    if generator !== g {
      generator = g
      (firstGradientG, latest, peak) = (nil, nil, nil)
      (recent, active, quiet) = ([], [], [:])
    }
    if let last = recent.last, last.stats.step + 1 != stats.step { recent = [] }
    let observation = Observation(stats: stats, gradientD: gradientD, gradientG: gradientG)
    recent = Array((recent + [observation]).suffix(Diagnosis.window))
    if firstGradientG == nil { firstGradientG = observation.gradientG }
    if latest == nil || stats.step - latest!.step >= Diagnosis.collapseInterval,
      let measure = SampleSpread.measure(in: state)
    {
      latest = (measure, stats.step)
      if peak == nil || measure.exceeds(peak!.measure) { peak = latest }
    }
    var found: [DiagnosisFinding] = []
    let halfWeight = 2 * state.discriminatorLoss.weight
    for diagnosis in Diagnosis.allCases {
      if active.contains(diagnosis) {
        // Still active while its numbers stay near the limit (`Diagnosis.recoveryMargin`).
        let near = evidence(for: diagnosis, halfWeight: halfWeight, margin: Diagnosis.recoveryMargin) != nil
        quiet[diagnosis] = near ? 0 : quiet[diagnosis, default: 0] + 1
        if quiet[diagnosis]! >= diagnosis.recoverySteps { active.remove(diagnosis) }
      } else if let evidence = evidence(for: diagnosis, halfWeight: halfWeight, margin: 1) {
        active.insert(diagnosis)
        quiet[diagnosis] = 0
        found.append(DiagnosisFinding(diagnosis: diagnosis, step: stats.step, evidence: evidence))
      }
    }
    fired += found
    return found
  }

  /// What shows `diagnosis` in the recent steps, or nil when it does not hold. The D loss
  /// is divided by `halfWeight` (1 for `d-loss mean`, 2 for `sum`) to compare it per half.
  /// `margin` > 1 widens every limit by that factor (its distance from the healthy side).
  private func evidence(for diagnosis: Diagnosis, halfWeight: Float, margin m: Float) -> DiagnosisFinding.Evidence? {
    func mean(_ value: (Observation) -> Float) -> Float { recent.map(value).reduce(0, +) / Float(recent.count) }
    switch diagnosis {
    case .discriminatorWinning:
      guard
        let (lossD, dFake) = Diagnosis.winning(
          lossD: recent.map { $0.stats.lossD / halfWeight }, dFake: recent.map(\.stats.dFake), margin: m)
      else { return nil }
      return .discriminatorWinning(
        lossD: lossD, dFake: dFake, gradientG: mean { $0.gradientG }, firstGradientG: firstGradientG ?? 0)
    case .generatorFoolingDiscriminator:
      guard
        let (dFakeAfter, lossG, lossD) = Diagnosis.fooling(
          dFakeAfter: recent.map(\.stats.dFakeAfter), lossG: recent.map(\.stats.lossG),
          lossD: recent.map { $0.stats.lossD / halfWeight }, margin: m)
      else { return nil }
      return .generatorFoolingDiscriminator(dFakeAfter: dFakeAfter, lossG: lossG, lossD: lossD)
    case .collapse:
      guard let latest, let peak else { return nil }
      let f = 1 - (1 - Diagnosis.collapseFraction) / m
      switch (latest.measure, peak.measure) {
      case (.spread(let now, let real), .spread(let most, _)):
        guard now < f * most, now < f * real else { return nil }
        return .spread(now: now, peak: most, real: real, peakStep: peak.step)
      case (.modes(let covered, let of), .modes(let most, _)):
        guard 2 * most >= of, Float(covered) < f * Float(most) else { return nil }
        return .modes(covered: covered, peak: most, of: of, peakStep: peak.step)
      default: return nil
      }
    case .explodingGradients:
      guard let last = recent.last else { return nil }
      let (role, norm) =
        last.gradientD >= last.gradientG
        ? (NetworkRole.discriminator, last.gradientD) : (.generator, last.gradientG)
      guard norm > Diagnosis.explodingNorm / m || !norm.isFinite else { return nil }
      return .explodingGradients(role, norm: norm)
    }
  }
}

extension SampleSpread.Measure {
  /// Whether this measure shows more variety than `other` (a new peak).
  func exceeds(_ other: Self) -> Bool {
    switch (self, other) {
    case (.spread(let a, _), .spread(let b, _)): a > b
    case (.modes(let a, _), .modes(let b, _)): a > b
    default: true
    }
  }
}
