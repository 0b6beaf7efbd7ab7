/// How "G fooling D" is judged: as "D winning" is (`Diagnosis+Winning.swift`), by the
/// medians of the last `winningWindow` steps rather than means over `window`, so that it
/// holds once most recent steps (5 of 9) show it, an early stretch of ordinary losses does
/// not delay it, and one step of a D fooled by chance does not fire it.
extension Diagnosis {
  /// The medians of D(G(z)) after D's update, of G's loss and of D's loss per half over the
  /// last `winningWindow` steps (oldest first), when D(G(z)) is above `foolingVerdict`, G's
  /// loss below `foolingGeneratorLoss` and D's loss above `foolingLoss`, each limit widened
  /// by `margin`; nil otherwise, or before that many steps were seen.
  static func fooling(dFakeAfter: [Float], lossG: [Float], lossD: [Float], margin m: Float) -> (
    dFakeAfter: Float, lossG: Float, lossD: Float
  )? {
    guard [dFakeAfter.count, lossG.count, lossD.count].allSatisfy({ $0 >= winningWindow }) else { return nil }
    let (verdict, generator, discriminator) = (
      median(dFakeAfter.suffix(winningWindow)), median(lossG.suffix(winningWindow)),
      median(lossD.suffix(winningWindow))
    )
    guard verdict > 1 - (1 - foolingVerdict) * m, generator < foolingGeneratorLoss * m,
      discriminator > foolingLoss / m
    else { return nil }
    return (verdict, generator, discriminator)
  }
}
