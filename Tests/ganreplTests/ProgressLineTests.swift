import Foundation
import Testing

/// At a terminal the progress bar is a live line: the epoch's line replaces it, so no frozen
/// copy of the bar stays on screen above each epoch.
@Suite("The live progress line")
struct ProgressLineTests {
  /// A terminal where tinyGAN was pasted and trained for 2 epochs (6 steps), back at the prompt.
  static func trainedTwoEpochs() throws -> PseudoTerminal {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    // The session pasted, then Enter to run it.
    terminal.send(bracketedPaste(tinyGAN + "\ntrain 2 epochs\n") + "\r")
    #expect(terminal.waitFor("trained 6 steps", after: &at, seconds: 60), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    return terminal
  }

  @Test(
    "at a terminal, each epoch's line takes the progress bar's place",
    .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
  func epochLineReplacesBar() throws {
    let terminal = try Self.trainedTwoEpochs()
    // What stays on each finished line: the text after its last carriage return (the
    // terminal ends lines with CR LF).
    let lines = terminal.output.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
    let shown = lines.map { line in
      line.components(separatedBy: "\r").last { !$0.isEmpty } ?? ""
    }
    let epochs = shown.filter { $0.contains("epoch 1:") || $0.contains("epoch 2:") }
    #expect(epochs.count == 2, "\(terminal.screenText)")
    let bars = shown.filter { $0.contains("/6  step ") }
    #expect(bars.isEmpty, "frozen progress bars: \(bars)")
  }
}
