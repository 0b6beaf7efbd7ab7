import Testing

@testable import Session

/// `train until epoch N` and `train until step N` count from the session's start, so a run
/// loaded from its checkpoint finishes the plan it had.
struct TrainUntilTests {
  func notices(_ events: [SessionEvent]) -> [String] {
    events.compactMap { if case .notice(let text) = $0 { text } else { nil } }
  }

  @Test("until epoch ends that epoch, until step takes the steps left; a goal behind says so and trains nothing")
  func goals() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 2\ntrain until epoch 2", in: interpreter)
    #expect(interpreter.state.step == 10)  // 5 batches of 8 per epoch
    #expect(interpreter.state.epoch == 3 && interpreter.state.batchInEpoch == 0)
    let behind = try run("train until epoch 2\ntrain until step 10", in: interpreter)
    #expect(
      notices(behind) == [
        "epoch 2 has ended already (the session is in epoch 3); nothing to train",
        "step 10 is taken already (the session is at step 10); nothing to train",
      ])
    try run("train until step 13", in: interpreter)
    #expect(interpreter.state.step == 13)
    #expect(parseError("train until").contains("missing epoch or step, what 'until' counts"))
    #expect(parseError("train until step").contains("missing N, the epoch or step to train until"))
  }

  @Test("a run loaded from a mid-epoch checkpoint and trained until epoch 3 ends where the whole run does, bit for bit")
  func resumedPlan() throws {
    let folder = temporaryFolder()
    let whole = Interpreter()
    try run(tinyGAN + "\ntrain 3 epochs", in: whole)
    let first = Interpreter()
    try run(tinyGAN + "\nstep 7\nsave \"\(folder)/s\"", in: first)
    let resumed = Interpreter()
    try run("load \"\(folder)/s\"\ntrain until epoch 3", in: resumed)
    #expect(resumed.state.step == whole.state.step)
    #expect(resumed.state.history.map(\.lossD.bitPattern) == whole.state.history.map(\.lossD.bitPattern))
  }
}
