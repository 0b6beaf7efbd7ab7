import Foundation
@preconcurrency import Glibc
import Testing

/// Ctrl-C while a command runs: the first press says the command stops after its step, a
/// second only says what a third would do, the third quits. In a notebook the error names
/// the line that stopped and what ran.
@Suite("Ctrl-C during a command", .serialized)
struct InterruptTests {
  /// A network whose steps take a second or more in a debug build (a tenth in release), so
  /// that presses land inside one step.
  static let slowGAN = """
    set seed 5
    data faces count=256 size=64 batch=256 range=-1..1
    generator
      dense 8*8*128
      reshape 8x8x128
      deconv 128 kernel=4 stride=2 padding=same
      relu
      deconv 64 kernel=4 stride=2 padding=same
      relu
      deconv 3 kernel=4 stride=2 padding=same
      tanh
    end
    discriminator
      conv 64 kernel=4 stride=2 padding=same
      leakyrelu 0.2
      conv 128 kernel=4 stride=2 padding=same
      leakyrelu 0.2
      flatten
      dense 1
      sigmoid
    end
    """

  /// A REPL with `slowGAN` pasted, at its prompt.
  static func slowREPL(_ at: inout Int) throws -> PseudoTerminal {
    let terminal = try PseudoTerminal()
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send(bracketedPaste(slowGAN + "\n") + "\r")
    #expect(terminal.waitFor("total parameters", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("total parameters", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    return terminal
  }

  /// Starts training and presses Ctrl-C `presses` times inside its first step: true when
  /// each press's words came before the step ended (a press can miss the step when the
  /// machine stalls; the caller tries again).
  static func press(_ presses: Int, in terminal: PseudoTerminal, _ at: inout Int) -> Bool {
    terminal.send("train 100 steps\r")
    #expect(terminal.waitFor("train 100 steps", after: &at))
    terminal.settle(0.2)
    let words = [
      "stopping; training stops after its current step, other commands at their next check",
      "still stopping; once more (Ctrl-C, or the signal again) quits",
      "interrupted three times; quitting without saving",
    ]
    for said in words.prefix(presses) {
      terminal.send("\u{03}")
      var probe = at
      guard terminal.waitFor(said, after: &probe, seconds: 0.5) else { return false }
      guard !terminal.text(after: at).contains("stopped after") else { return false }
      at = probe
    }
    return true
  }

  /// `press` until the presses land inside one step, up to five tries; a try whose step
  /// ended first stops training like one Ctrl-C, back at the prompt.
  static func pressWithinOneStep(_ presses: Int, in terminal: PseudoTerminal, _ at: inout Int) -> Bool {
    for _ in 0..<5 {
      if press(presses, in: terminal, &at) { return true }
      #expect(terminal.waitFor("ganrepl> ", after: &at))
    }
    return false
  }

  @Test("a second Ctrl-C during a step only warns: training stops after the step, the REPL goes on")
  func secondPressWarns() throws {
    var at = 0
    let terminal = try Self.slowREPL(&at)
    #expect(Self.pressWithinOneStep(2, in: terminal, &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("stopped after ", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    #expect(terminal.exitStatus(within: 0.5) == nil, "a second Ctrl-C quit")
    terminal.send("show settings\r")
    #expect(terminal.waitFor("keep-last-batch", after: &at), "\(terminal.screenText)")
  }

  @Test("a third Ctrl-C during a step quits at once, with status 130")
  func thirdPressQuits() throws {
    var at = 0
    let terminal = try Self.slowREPL(&at)
    #expect(Self.pressWithinOneStep(3, in: terminal, &at), "\(terminal.screenText)")
    #expect(terminal.exitStatus() == 130)
  }

  @Test("Ctrl-C stops a notebook after the step: the error names the line, what ran, and what was not saved")
  func notebookStops() throws {
    let folder = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    let path = try notebook(tinyGAN + "\ntrain 10000000 steps\nsample 4 \"\(folder)/never.png\"\n")
    let terminal = try PseudoTerminal([path])
    var at = 0
    terminal.settle(1.5)
    terminal.send("\u{03}")
    for said in [
      "stopping; training stops after its current step, other commands at their next check", "stopped after ",
      "\(path):21:1: error: interrupted while running",
      "hint: the lines before this one ran, and this one stopped cleanly; the lines after it did not run",
      "note: the notebook stopped with",
    ] {
      #expect(terminal.waitFor(said, after: &at), "\(said):\n\(terminal.screenText)")
    }
    #expect(terminal.exitStatus() == 130)
    #expect(!FileManager.default.fileExists(atPath: folder + "/never.png"), "a line after the stop ran")
  }
}

extension InterruptTests {
  @Test("Ctrl-C in a command other than training: it stops at its next check, with no caret under the line")
  func otherCommand() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("bench dcgan steps=1000\r")
    #expect(terminal.waitFor("bench dcgan: step 1 of 1000", after: &at, seconds: 120), "\(terminal.screenText)")
    terminal.send("\u{03}")
    #expect(terminal.waitFor("other commands at their next check", after: &at), "\(terminal.screenText)")
    #expect(
      terminal.waitFor("error: interrupted while benchmarking", after: &at, seconds: 60), "\(terminal.screenText)")
    let lines = terminal.screenText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(!lines.contains("^"), "a caret under nothing:\n\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
  }
}
