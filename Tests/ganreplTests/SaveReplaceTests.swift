import Foundation
import Session
import Testing

/// At the REPL, `save` over a saved session this run did not write or load asks once; the
/// run's own saves, and notebooks, save as written.
@Suite(
  "save over another saved session at a terminal",
  .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
struct SaveReplaceTests {
  /// The `step` in `folder`'s session.json.
  func savedStep(_ folder: String) -> Int? { Interpreter.savedStep(in: folder) ?? nil }

  /// A new folder holding `run`, another run's session at step 3 (saved through a pipe, as
  /// written), and the REPL after one step of `tinyGAN`, at its prompt (`at` is past it).
  func anotherRunAndARepl(_ name: String, _ at: inout Int) throws -> (folder: String, terminal: PseudoTerminal) {
    let folder = NSTemporaryDirectory() + "ganrepl-\(name)-\(UUID().uuidString.prefix(8))"
    let first = try ganrepl([], input: tinyGAN + "\nstep 3\nsave \"\(folder)/run\"\n")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(savedStep(folder + "/run") == 3)
    return (folder, try PseudoTerminal.afterTinyGAN(steps: 1, &at))
  }

  @Test("another run's session is kept after one save; the same save again replaces it; the run's own saves go ahead")
  func asksOnce() throws {
    var at = 0
    let (folder, terminal) = try anotherRunAndARepl("save-replace", &at)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    terminal.send("save \"\(folder)/run\"\r")
    #expect(terminal.waitFor("holds another saved session at step 3", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("again replaces it", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    #expect(savedStep(folder + "/run") == 3, "the first save changed nothing")
    terminal.send("save \"\(folder)/run\"\r")
    #expect(terminal.waitFor("wrote \(folder)/run (session at step 1", after: &at), "\(terminal.screenText)")
    #expect(savedStep(folder + "/run") == 1)
    terminal.send("step\r")
    #expect(terminal.waitFor("step 2  epoch 1", after: &at), "\(terminal.screenText)")
    terminal.send("save \"\(folder)/run/\"\r")  // the same folder, written another way: this run's own
    #expect(terminal.waitFor("(session at step 2", after: &at), "\(terminal.screenText)")
    #expect(savedStep(folder + "/run") == 2)
    #expect(terminal.waitFor("ganrepl> ", after: &at))  // ^D before the prompt may be lost
    terminal.send("\u{04}")
    #expect(terminal.exitStatus() == 0)
  }

}

extension SaveReplaceTests {
  @Test("an every … save rule into another run's session is asked about when typed; its saves are then the run's own")
  func everyRuleAsks() throws {
    var at = 0
    let (folder, terminal) = try anotherRunAndARepl("save-rule", &at)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Pasted with the training it was for: the paste stops at the question.
    terminal.send(bracketedPaste("every 1 steps save \"\(folder)/run\"\nstep\n"))
    terminal.send("\r")
    #expect(terminal.waitFor("holds another saved session at step 3", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("type the rule again to keep it", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("the rest of the paste was skipped", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    #expect(!terminal.screenText.contains("step 2  epoch"), "the pasted step ran")
    terminal.send("every 1 steps save \"\(folder)/run\"\r")
    #expect(terminal.waitFor("every step: save", after: &at), "\(terminal.screenText)")
    #expect(terminal.screenText.components(separatedBy: "type the rule again").count == 2, "asked once")
    terminal.send("train 3 steps\r")
    #expect(terminal.waitFor("trained 3 steps", after: &at), "\(terminal.screenText)")
    #expect(Interpreter.savedStep(in: folder + "/run") == 4, "the rule saved")
    // The rule wrote it: an explicit save there is this run's own, not asked about.
    terminal.send("save \"\(folder)/run\"\r")
    #expect(terminal.waitFor("wrote \(folder)/run (session at step 4", after: &at), "\(terminal.screenText)")
    #expect(!terminal.screenText.contains("again replaces it"), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))  // ^D before the prompt may be lost
    terminal.send("\u{04}")
    #expect(terminal.exitStatus() == 0)
  }
}

/// Names one character long: Foundation's `deletingLastPathComponent` trapped on them.
@Suite("one-character paths")
struct OneCharacterPathTests {
  @Test("save \"a\", every … save \"b\" and load \"a\" work in the folder ganrepl runs in")
  func oneCharacter() throws {
    let folder = NSTemporaryDirectory() + "ganrepl-one-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let r = try ganrepl(
      [], input: tinyGAN + "\nstep 2\nsave \"a\"\nevery 1 steps save \"b\"\nstep\nload \"a\" discard\n", in: folder)
    #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
    #expect(r.stdout.contains("wrote a (session at step 2") && r.stdout.contains("loaded a: step 2"), "\(r.stdout)")
    #expect(FileManager.default.fileExists(atPath: folder + "/b/session.json"))
  }
}
