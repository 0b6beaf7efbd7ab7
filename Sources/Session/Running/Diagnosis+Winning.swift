/// How "D winning" is judged: by the median of the last `winningWindow` steps, not the mean
/// of the last `window`. A mean lets one large value mask the rest: a run whose D wins
/// from step 13 on (D loss under 0.01 every step) kept the first steps' losses near ln 2
/// in its 20-step mean and was named only at step 30. The median holds once most of the
/// recent steps show it, so an early spike neither delays it nor a one-step blip fires it.
extension Diagnosis {
  /// Steps D winning is judged over: it holds when at least `winningWindow / 2 + 1` of
  /// them (5 of 9) are under both limits. A healthy run stays clear: quickstart.gan (seed
  /// 1, 640 steps) comes closest at step 191, medians D loss 0.034 and D(G(z)) 0.029, 3.4
  /// times the limits.
  public static let winningWindow = 9

  /// The medians of D's loss per half and of D(G(z)) over the last `winningWindow` steps
  /// (oldest first), when both are under the limits widened by `margin`; nil otherwise, or
  /// before that many steps were seen.
  static func winning(lossD: [Float], dFake: [Float], margin: Float) -> (lossD: Float, dFake: Float)? {
    guard lossD.count >= winningWindow, dFake.count >= winningWindow else { return nil }
    let (loss, verdict) = (median(lossD.suffix(winningWindow)), median(dFake.suffix(winningWindow)))
    guard loss < winningLoss * margin, verdict < winningVerdict * margin else { return nil }
    return (loss, verdict)
  }

  /// The middle value of `values` (an odd count; the upper middle of an even one). NaN
  /// sorts last, so a NaN step counts as a high one.
  static func median(_ values: ArraySlice<Float>) -> Float {
    let sorted = values.sorted { $0 < $1 || (!$0.isNaN && $1.isNaN) }
    return sorted[sorted.count / 2]
  }
}
