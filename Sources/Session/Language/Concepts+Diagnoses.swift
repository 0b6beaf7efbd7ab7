extension Concepts {
  /// `help diagnoses`: what the watch looks at while training, and when it speaks. The
  /// limits are the watch's own constants (`Diagnosis`).
  static let diagnoses = Concept(
    name: "diagnoses", aliases: ["diagnose", "diagnosis", "watch"],
    summary: "what the watch names while training, and when",
    text: """
      While step and train run, a watch reads every step and names what goes
      wrong, once, with what to try. It never changes the numbers; 'set
      diagnose off' silences it, 'show diagnoses' lists what it named.
        D winning       over the last \(Diagnosis.winningWindow) steps (medians): D loss per half
                        < \(Diagnosis.winningLoss) and D(G(z)) < \(Diagnosis.winningVerdict). D learns much faster
                        than G; G's gradient is called vanishing below \(percent(Diagnosis.vanishingFraction))
                        of its first value (see vanishing-gradients).
        G fooling D     medians again: D(G(z)) after D's update > \(Diagnosis.foolingVerdict), G loss
                        < \(Diagnosis.foolingGeneratorLoss) and D loss per half > \(Diagnosis.foolingLoss). D is not
                        learning: a tiny learning rate, or a broken D.
        collapse        every \(Diagnosis.collapseInterval) steps: the fixed-noise samples' spread falls
                        below \(percent(Diagnosis.collapseFraction)) of its peak and of the real images'
                        (on 2-D points: the modes reached fall below half their
                        peak). See mode-collapse.
        exploding       either network's gradient norm above \(Int(Diagnosis.explodingNorm)) (healthy
                        DCGANs stay below about 150): lower the learning rate.
      The first two read medians: one odd step neither fires nor hides them.
      A finding speaks again only after it recovered, then crossed its limit
      again: its numbers stayed clear of a wider limit (D loss 0.02, D(G(z))
      0.8, norm 500, spread 75% of its peak) for \(Diagnosis.window) steps (collapse: \(Diagnosis.collapse.recoverySteps)).
      """)

  private static func percent(_ fraction: Float) -> String { "\(Int((fraction * 100).rounded()))%" }
}
