import Testing

@testable import Session

/// The trainer is derived from the session's `TrainerConfiguration`: every setting that
/// changes training gives a new trainer, anything else keeps the one built.
@Suite("Trainer configuration")
struct TrainerConfigurationTests {
  /// The ring GAN of `TrainingOptionsTests`, untrained (so a network can be redefined).
  static func session() throws -> Interpreter { try TrainingOptionsTests.session() }

  @Test(
    "each setting that changes training gives a new trainer",
    arguments: [
      "loss mse", "set d-loss sum", "set real-label 0.9", "set fake-label 0.1", "optimizer discriminator sgd lr=0.01",
      "optimizer generator sgd", "set batch 8", "set keep-last-batch false", "data ring count=32",
      "discriminator\n  dense 4\n  relu\n  dense 1\nend",
    ])
  func rebuilt(command: String) throws {
    let interpreter = try Self.session()
    let before = try interpreter.readyTrainer()
    try run(command, in: interpreter)
    let after = try interpreter.readyTrainer()
    #expect(before !== after)
    #expect(after.optimizerD === interpreter.state.optimizers[.discriminator])
    #expect(after.discriminator === interpreter.state.networks[.discriminator])
  }

  @Test(
    "anything else keeps the trainer, the same optimiser kind included",
    arguments: [
      "show settings", "set threads 1", "every 2 steps sample 1 \"/tmp/ganrepl-tests/never-written.png\"",
      "set batch 16",
      "optimizer discriminator adam lr=0.01", "set real-label 1", "step 2",
    ])
  func kept(command: String) throws {
    let interpreter = try Self.session()
    let before = try interpreter.readyTrainer()
    try run(command, in: interpreter)
    #expect(try interpreter.readyTrainer() === before)
  }

  @Test("a trainer the session no longer matches is let go with the command that replaced its networks")
  func staleTrainerReleased() throws {
    let interpreter = try Self.session()
    weak var old = try interpreter.readyTrainer()
    #expect(old != nil)
    try run("reset", in: interpreter)
    #expect(old == nil)
  }

  @Test("a batch larger than the data, set after training started, is refused at the next step")
  func batchCheckedAgain() throws {
    let interpreter = try Self.session()
    try run("step 1\nset keep-last-batch false\nset batch 100", in: interpreter)
    #expect(throws: SessionError.self) { try run("step", in: interpreter) }
    #expect(interpreter.state.step == 1)
  }
}
