import Foundation
@preconcurrency import Glibc
import Testing

/// Whether this machine can give a test a pseudo-terminal.
let pseudoTerminalsAvailable: Bool = {
  let fd = open("/dev/ptmx", O_RDWR | O_NOCTTY)
  guard fd >= 0 else { return false }
  close(fd)
  return true
}()

/// A terminal's bracketed paste of `text`: newlines arrive as carriage returns, as from
/// a real terminal, between the start and end markers readline asked for.
func bracketedPaste(_ text: String) -> String {
  "\u{1B}[200~" + text.replacingOccurrences(of: "\n", with: "\r") + "\u{1B}[201~"
}

@Suite(
  "The REPL at a terminal", .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
struct TerminalTests {
  @Test("Ctrl-C at the prompt drops the line and gives a fresh prompt at once; the next keys are not eaten")
  func interruptAtPrompt() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("abc")
    #expect(terminal.waitFor("abc", after: &at))
    terminal.send("\u{03}")
    #expect(
      terminal.waitFor("^C\nganrepl> ", after: &at, seconds: 5), "no fresh prompt after Ctrl-C:\n\(terminal.screenText)"
    )
    terminal.send("help\r")
    #expect(terminal.waitFor("commands (help COMMAND", after: &at), "\(terminal.screenText)")
    #expect(!terminal.screenText.contains("unknown command"), "\(terminal.screenText)")
  }

  @Test("Ctrl-C inside a network block abandons it at once and returns to the normal prompt")
  func interruptInsideBlock() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("generator\r")
    #expect(terminal.waitFor("...> ", after: &at))
    terminal.send("  dense 4\r")
    #expect(terminal.waitFor("...> ", after: &at))
    terminal.send("\u{03}")
    #expect(terminal.waitFor("(block abandoned)\nganrepl> ", after: &at, seconds: 5), "\(terminal.screenText)")
    terminal.send("end\r")
    #expect(
      terminal.waitFor("'end' without a 'generator'", after: &at), "the block was still open:\n\(terminal.screenText)")
  }

  @Test("a bracketed paste of a whole generator block waits for Enter, then defines the network line by line")
  func pasteBlock() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send(bracketedPaste("generator\n  dense 2*2*8\n  reshape 2x2x8\n  relu\nend\n"))
    terminal.settle(0.5)
    #expect(!terminal.screenText.contains("generator (init"), "the paste ran before Enter:\n\(terminal.screenText)")
    terminal.send("\r")
    #expect(
      terminal.waitFor("   ...>   reshape 2x2x8\n   ...>   relu\n   ...> end\ngenerator (init", after: &at),
      "\(terminal.screenText)")
    #expect(terminal.waitFor("total parameters: 3,232\nganrepl> ", after: &at), "\(terminal.screenText)")
    #expect(!terminal.screenText.contains("error"), "\(terminal.screenText)")
  }

  @Test("a paste stops at its first failing line: the rest is skipped and the block abandoned")
  func pasteStopsAtError() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send(bracketedPaste("generator\n  dense 2*2*8\n  batchnrm\n  reshape 2x2x8\nend\nset seed 7\n"))
    terminal.send("\r")
    #expect(terminal.waitFor("unknown layer 'batchnrm'", after: &at), "\(terminal.screenText)")
    #expect(
      terminal.waitFor("(the rest of the paste was skipped; block abandoned)\nganrepl> ", after: &at),
      "\(terminal.screenText)")
    terminal.send("show settings\r")
    #expect(terminal.waitFor("seed", after: &at), "\(terminal.screenText)")
    terminal.settle(0.3)
    let screen = terminal.screenText
    #expect(!screen.contains("generator (init"), "the block was defined:\n\(screen)")
    #expect(!screen.contains("seed 7: networks"), "the paste went on after the error:\n\(screen)")
  }

  @Test(
    "a block with a failed line says at its end that the line is not in it: a paste without bracketed paste runs on")
  func blockWithFailedLine() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    // All at once, as a terminal without bracketed paste sends it: every line runs.
    terminal.send("generator\rdense 8\rdense 4 actvation=relu\rdense 2\rend\r")
    #expect(terminal.waitFor("'dense' has no option 'actvation'", after: &at), "\(terminal.screenText)")
    // Said once the block is kept, after its summary.
    #expect(terminal.waitFor("generator (init", after: &at), "\(terminal.screenText)")
    #expect(
      terminal.waitFor(
        "warning: 1 line of this generator block failed and is not in it: 'dense 4 actvation=relu'", after: &at),
      "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    // A block refused as a whole says so, not that its summary shows it.
    let refused = at
    terminal.send("discriminator\rdense 8\rdense 4 actvation=relu\rconv 2 kernel=3\rend\r")
    #expect(terminal.waitFor("the discriminator was not kept", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.settle(0.3)
    #expect(!terminal.text(after: refused).contains("'summary discriminator' shows"), "\(terminal.screenText)")
    // A block without a failure says nothing.
    let second = at
    terminal.send("generator\rdense 4\rend\r")
    #expect(terminal.waitFor("generator (init", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    #expect(!terminal.text(after: second).contains("block failed and"), "\(terminal.screenText)")
  }

  @Test("after training, Ctrl-D and load warn once about the unsaved steps; the same again goes ahead")
  func unsavedTraining() throws {
    let terminal = try PseudoTerminal()
    let saved = NSTemporaryDirectory() + "ganrepl-unsaved-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: saved) }
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send(bracketedPaste(tinyGAN + "\nstep 1\nsave \"\(saved)\"\nstep 2\n"))
    terminal.send("\r")
    #expect(terminal.waitFor("step 3  epoch 1", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("load \"\(saved)\"\r")
    #expect(terminal.waitFor("2 training steps since the last save will be lost", after: &at), "\(terminal.screenText)")
    terminal.send("load \"\(saved)\"\r")
    #expect(
      terminal.waitFor("loaded \(saved): step 1", after: &at),
      "the second load did not go ahead:\n\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("step 2\r")
    #expect(terminal.waitFor("step 3  epoch 1", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("\u{04}")
    #expect(terminal.waitFor("2 training steps since the last save will be lost", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    #expect(terminal.exitStatus(within: 0.5) == nil, "quit without asking")
    terminal.send("\u{04}")
    #expect(terminal.exitStatus() == 0)
  }

  @Test(
    "Ctrl-C during training still stops after the current step, back at the prompt; a trained network's block is refused at once"
  )
  func interruptTraining() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send((tinyGAN + "\n").replacingOccurrences(of: "\n", with: "\r"))  // typed, not pasted
    #expect(terminal.waitFor("discriminator optimizer adam", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("train 10000000 steps\r")
    terminal.settle(1)
    terminal.send("\u{03}")
    #expect(terminal.waitFor("stopped after ", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("show settings\r")
    #expect(terminal.waitFor("keep-last-batch", after: &at), "\(terminal.screenText)")
    // Typed, a block for a trained network is refused at its first line: no '...>' follows.
    terminal.send("generator\r")
    #expect(terminal.waitFor("redefining it would throw that away", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at), "\(terminal.screenText)")
    terminal.send("show every\r")
    #expect(terminal.waitFor("no every rules", after: &at), "\(terminal.screenText)")
  }

  @Test("help mode-<Tab> completes to mode-collapse, and Enter explains it")
  func tabCompletesConcept() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    // Keys to send (none: just wait), then the text that must follow them.
    let script: [(keys: String, shown: String)] = [
      ("", "ganrepl> "), ("help mode-\t", "help mode-collapse "),
      ("\r", "mode-collapse: G makes only a few kinds of output"), ("", "modes covered 5 of 8"),
    ]
    for (keys, shown) in script {
      if !keys.isEmpty { terminal.send(keys) }
      #expect(
        terminal.waitFor(shown, after: &at, seconds: 5), "after \(keys.debugDescription):\n\(terminal.screenText)")
    }
  }
}
