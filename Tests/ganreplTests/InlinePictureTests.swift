import Foundation
import Testing

/// `sample 4` and `show data 4` without a path, in the tiny GAN's session.
private let pictureNotebook = tinyGAN + "\nshow data 4\nsample 4\n"

/// ganrepl running `text` as a notebook on a pseudo-terminal with `environment`; all it wrote.
private func onTerminal(_ text: String, environment: [String]) throws -> String {
  let terminal = try PseudoTerminal([try notebook(text), "--no-timings"], environment: environment)
  #expect(terminal.exitStatus(within: 60) == 0, "\(terminal.screenText)")
  return terminal.output
}

@Suite(
  "Pictures drawn inline, at a terminal of each kind and through a pipe",
  .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
struct InlinePictureTests {
  @Test("kitty (TERM=xterm-kitty): kitty graphics commands carrying PNGs, one per picture, no half-blocks")
  func kitty() throws {
    let output = try onTerminal(pictureNotebook, environment: ["TERM=xterm-kitty"])
    #expect(output.components(separatedBy: "\u{1B}_Ga=T,f=100,").count == 3, "\(output.debugDescription)")
    #expect(output.contains(";iVBORw0KGgo"))  // base64 of the PNG signature
    #expect(!output.contains("▀"))
    #expect(output.contains("4 real images") && output.contains("4 generated images at step 0"))
  }

  @Test("iTerm2 (TERM_PROGRAM=iTerm.app): OSC 1337 inline files")
  func iterm() throws {
    let output = try onTerminal(pictureNotebook, environment: ["TERM_PROGRAM=iTerm.app"])
    #expect(output.components(separatedBy: "\u{1B}]1337;File=inline=1;").count == 3, "\(output.debugDescription)")
  }

  @Test("truecolor (COLORTERM=truecolor): half-blocks in 24-bit colour")
  func truecolor() throws {
    let output = try onTerminal(pictureNotebook, environment: ["COLORTERM=truecolor"])
    #expect(output.contains("▀") && output.contains("\u{1B}[38;2;") && output.contains("\u{1B}[48;2;"))
    #expect(!output.contains("\u{1B}[38;5;") && !output.contains("\u{1B}_G"))
  }

  @Test("256 colours (no COLORTERM): half-blocks in the xterm palette, no 24-bit colour")
  func palette() throws {
    let output = try onTerminal(pictureNotebook, environment: ["TERM=xterm-256color"])
    #expect(output.contains("▀") && output.contains("\u{1B}[38;5;") && output.contains("\u{1B}[48;5;"))
    #expect(!output.contains("\u{1B}[38;2;"))
  }

  @Test("NO_COLOR (even in kitty): the ASCII ramp, and no escape code at all")
  func noColor() throws {
    let output = try onTerminal(pictureNotebook, environment: ["TERM=xterm-kitty", "NO_COLOR=1"])
    #expect(!output.contains("\u{1B}"), "\(output.debugDescription)")
    #expect(!output.contains("▀"))
    #expect(output.contains("4 real images\r\n"))
    let drawn = output.components(separatedBy: "\r\n").filter { $0.count > 10 && $0.allSatisfy(" .:-=+*#%@".contains) }
    #expect(drawn.count >= 4, "\(output)")
  }

  @Test("every N steps sample 4 without a path is a flip-book: frames drawn over the last, other lines above it")
  func flipBook() throws {
    let output = try onTerminal(
      tinyGAN + "\nevery 1 steps sample 4\ntrain 5 steps\nstep 2\nstep\n", environment: ["COLORTERM=truecolor"])
    // Eight frames; frame 3 drawn again under the line of epoch 1 (3 batches an epoch),
    // frame 6 under the line of step 7.
    let frames = output.components(separatedBy: "4 generated images at step ").count - 1
    #expect(frames == 10, "\(output.debugDescription)")
    // train: frames 2–5 and epoch 1's line move up; step 2: step 7's line and frame 7; the
    // last `step` is another command, so its frame starts a new flip-book below.
    let ups = output.matches(of: /\u{1B}\[(\d+)A\r/).map { Int($0.1)! }
    #expect(ups.count == 7 && Set(ups).count == 1, "\(ups)")
    let screen = output.replacingOccurrences(of: "\r", with: "")
    let epoch = try #require(screen.range(of: "epoch 1: D loss"))
    let lastFrame = try #require(screen.range(of: "4 generated images at step 5"))
    let trained = try #require(screen.range(of: "trained 5 steps"))
    #expect(epoch.lowerBound < lastFrame.lowerBound && lastFrame.lowerBound < trained.lowerBound)
  }

  @Test("through a pipe (TERM=xterm-kitty, COLORTERM=truecolor): no ESC byte; the pictures go to pictures/")
  func pipe() throws {
    let path = try notebook(pictureNotebook)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let r = try ganrepl(
      [path, "--no-timings"], in: folder, environment: ["TERM": "xterm-kitty", "COLORTERM": "truecolor"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("\u{1B}") && !r.stderr.contains("\u{1B}"))
    #expect(r.stdout.contains("wrote pictures/data-4.png (4 real images; the output is not a terminal)"))
    #expect(
      r.stdout.contains("wrote pictures/sample-step0.png (4 generated images at step 0; the output is not a terminal)"))
    for file in ["data-4.png", "sample-step0.png"] {
      let bytes = FileManager.default.contents(atPath: "\(folder)/pictures/\(file)").map { [UInt8]($0) } ?? []
      #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(file)")
    }
  }
}
