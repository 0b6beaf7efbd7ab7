import Testing

@testable import Session

/// "G fooling D" is judged as "D winning" is: by the medians of the last
/// `Diagnosis.winningWindow` steps, so 5 of 9 steps showing it are enough and one is not.
@Suite("G fooling D, by medians")
struct DiagnosisFoolingTests {
  /// D(G(z)) after D's update, G's loss and D's loss per half for each step: fooled steps
  /// are 0.97 / 0.03 / 2.5, others 0.5 / 0.7 / 0.7.
  func steps(_ fooled: [Bool]) -> (dFakeAfter: [Float], lossG: [Float], lossD: [Float]) {
    (fooled.map { $0 ? 0.97 : 0.5 }, fooled.map { $0 ? 0.03 : 0.7 }, fooled.map { $0 ? 2.5 : 0.7 })
  }

  func fooling(_ s: (dFakeAfter: [Float], lossG: [Float], lossD: [Float]), margin: Float = 1) -> (
    dFakeAfter: Float, lossG: Float, lossD: Float
  )? {
    Diagnosis.fooling(dFakeAfter: s.dFakeAfter, lossG: s.lossG, lossD: s.lossD, margin: margin)
  }

  @Test("5 of the last 9 steps fire it, 4 do not; a spike does not mask it, a one-step blip does not fire it")
  func medians() {
    let five = steps([false, false, false, false, true, true, true, true, true])
    let held = fooling(five)
    #expect(held?.dFakeAfter == 0.97 && held?.lossG == 0.03 && held?.lossD == 2.5)
    #expect(fooling(steps([false, false, false, false, false, true, true, true, true])) == nil)
    #expect(fooling(steps([false, false, false, false, true, false, false, false, false])) == nil)
    // Ordinary steps long before the last nine do not hold it back (a 20-step mean would).
    #expect(fooling(steps(Array(repeating: false, count: 11) + Array(repeating: true, count: 9))) != nil)
    // A spike of G's loss and a NaN of D's among fooled steps: still most of the window.
    var spiked = steps(Array(repeating: true, count: 9))
    spiked.lossG[3] = 40
    spiked.lossD[6] = .nan
    #expect(fooling(spiked) != nil)
    // Each of the three conditions is needed: D's loss per half near ln 2 is not D losing.
    var balanced = steps(Array(repeating: true, count: 9))
    balanced.lossD = Array(repeating: 0.69, count: 9)
    #expect(fooling(balanced) == nil)
    // Fewer steps than the window: not judged.
    #expect(fooling(steps(Array(repeating: true, count: Diagnosis.winningWindow - 1))) == nil)
  }

  @Test("the recovery margin widens each limit: D(G(z)) 0.85 still counts as near once fired")
  func margin() {
    var near = steps(Array(repeating: true, count: 9))
    near.dFakeAfter = Array(repeating: 0.85, count: 9)
    #expect(fooling(near) == nil)
    #expect(fooling(near, margin: Diagnosis.recoveryMargin) != nil)
  }
}
