import Foundation
import Testing

/// At the REPL: `reset` warns once about unsaved training, like `load` and Ctrl-D; a load
/// that cannot load (no such path) fails as such, without a warning; warnings and errors
/// are wrapped at the terminal's width, never inside a word.
@Suite(
  "Unsaved training and wrapped warnings at a terminal",
  .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
struct DiscardWarningTests {
  /// The REPL after two unsaved steps of `tinyGAN`, at its prompt (`at` is past it).
  func trained(_ at: inout Int) throws -> PseudoTerminal { try PseudoTerminal.afterTinyGAN(steps: 2, &at) }

  @Test("reset after training warns once and keeps the networks; 'reset' again forgets them")
  func resetWarnsOnce() throws {
    var at = 0
    let terminal = try trained(&at)
    terminal.send("reset\r")
    #expect(terminal.waitFor("2 training steps since the last save will be lost", after: &at), "\(terminal.screenText)")
    #expect(
      terminal.waitFor("'reset' again (or 'reset discard') to reset anyway", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("step\r")
    #expect(terminal.waitFor("step 3  epoch 1", after: &at), "the first reset forgot:\n\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("reset\r")
    #expect(terminal.waitFor("3 training steps since the last save will be lost", after: &at))
    terminal.send("reset\r")
    #expect(terminal.waitFor("networks and training forgotten", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("\u{04}")
    #expect(terminal.exitStatus() == 0, "nothing left unsaved after the reset")
  }

  @Test("reset discard after training goes ahead without asking")
  func resetDiscard() throws {
    var at = 0
    let terminal = try trained(&at)
    terminal.send("reset discard\r")
    #expect(terminal.waitFor("networks and training forgotten", after: &at), "\(terminal.screenText)")
    #expect(!terminal.screenText.contains("will be lost"), "\(terminal.screenText)")
  }

  @Test("load of a path that does not exist fails at once, without the unsaved-steps warning")
  func missingPathNotWarned() throws {
    var at = 0
    let terminal = try trained(&at)
    terminal.send("load \"nowhere\"\r")
    #expect(terminal.waitFor("error: no such file or folder: nowhere", after: &at), "\(terminal.screenText)")
    #expect(!terminal.screenText.contains("will be lost"), "\(terminal.screenText)")
  }

  @Test("on a terminal 50 columns wide, a warning and an error's hint break between words, indented")
  func wrapped() throws {
    let terminal = try PseudoTerminal(columns: 50)
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("optimizer generator adam lr=5\r")
    #expect(terminal.waitFor("warning: the generator's learning rate 5.0 is", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("help wasserstein\r")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    let banner = terminal.screenText.split(separator: "\n").prefix { !$0.hasPrefix("ganrepl> ") }
    #expect(banner.count == 3 && banner.allSatisfy { $0.count <= 50 }, "the banner:\n\(terminal.screenText)")
    // Every line is broken between words, the optimizer's notice too.
    let lines = terminal.screenText.split(separator: "\n").drop { !$0.hasPrefix("ganrepl> optimizer") }.dropFirst()
    #expect(lines.first?.hasPrefix("generator optimizer adam lr=5.0") == true, "\(terminal.screenText)")
    #expect(lines.count > 6 && lines.allSatisfy { $0.count <= 50 }, "\(terminal.screenText)")
    #expect(lines.contains("error: no command or concept 'wasserstein'"), "\(terminal.screenText)")
    #expect(lines.contains("  hint: concepts: gan, generator, discriminator,"), "\(terminal.screenText)")
    #expect(lines.contains { $0.hasPrefix("    losses,") }, "\(terminal.screenText)")
  }
}
