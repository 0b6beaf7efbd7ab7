import Testing

@testable import Session

/// "D winning" is judged by the median of the last `Diagnosis.winningWindow` steps: named
/// soon after most recent steps show it, however high the losses before; never for one step.
@Suite("D winning, promptly")
struct DiagnosisWinningTests {
  @Test("seeded: D wins from step 13 (D loss < 0.01) and D(G(z)) < 0.01 from step 17; named at step 21, not 30")
  func promptAfterHighStart() throws {
    // The first steps' D losses (0.71, 0.43, 0.32 …) kept a 20-step mean above 0.01 until step 30.
    let events = try run(
      DiagnosisTests.faces + "\noptimizer discriminator adam lr=0.01\noptimizer generator adam lr=1e-7\ntrain 40 steps",
      in: Interpreter())
    let found = events.compactMap { if case .diagnosis(let f) = $0 { f } else { nil } }
    #expect(found.map(\.diagnosis) == [.discriminatorWinning], "\(found)")
    #expect(found.first?.step == 21, "\(found)")
  }

  /// `lossD` and D(G(z)) for each step: winning steps are 0.001 / 0.002, others 0.7 / 0.5.
  func steps(_ winning: [Bool]) -> (lossD: [Float], dFake: [Float]) {
    (winning.map { $0 ? 0.001 : 0.7 }, winning.map { $0 ? 0.002 : 0.5 })
  }

  @Test("a spike among winning steps does not mask them; a one-step blip of winning does not fire")
  func spikeAndBlip() {
    // Nine winning steps with a spike of 9 in D loss (a mean would be 1.0).
    var spiked = steps(Array(repeating: true, count: 9))
    spiked.lossD[2] = 9
    let held = Diagnosis.winning(lossD: spiked.lossD, dFake: spiked.dFake, margin: 1)
    #expect(held?.lossD == 0.001 && held?.dFake == 0.002)
    // A spike in the step's verdict too, and a NaN: still most of the window.
    spiked.dFake[5] = 1
    spiked.lossD[7] = .nan
    #expect(Diagnosis.winning(lossD: spiked.lossD, dFake: spiked.dFake, margin: 1) != nil)
    // One winning step among healthy ones, and four of nine: not yet.
    let blip = steps([false, false, false, false, true, false, false, false, false])
    #expect(Diagnosis.winning(lossD: blip.lossD, dFake: blip.dFake, margin: 1) == nil)
    let four = steps([false, false, false, false, false, true, true, true, true])
    #expect(Diagnosis.winning(lossD: four.lossD, dFake: four.dFake, margin: 1) == nil)
    let five = steps([false, false, false, false, true, true, true, true, true])
    #expect(Diagnosis.winning(lossD: five.lossD, dFake: five.dFake, margin: 1) != nil)
    // Fewer steps than the window: not judged.
    let short = steps(Array(repeating: true, count: Diagnosis.winningWindow - 1))
    #expect(Diagnosis.winning(lossD: short.lossD, dFake: short.dFake, margin: 1) == nil)
  }

  @Test("the median: the middle value, NaN counted as high")
  func median() {
    #expect(Diagnosis.median([3, 1, 2]) == 2)
    #expect(Diagnosis.median([.nan, 1, 2]) == 2)
    #expect(Diagnosis.median([4, 1, 3, 2]) == 3)
  }
}
