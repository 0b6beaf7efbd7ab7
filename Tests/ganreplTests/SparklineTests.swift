import Foundation
import Testing

/// `train` ends with sparklines of the losses at a terminal, and with none in a pipe.
@Suite("Loss sparklines after train")
struct SparklineTests {
  static let blocks = Set("▁▂▃▄▅▆▇█")

  @Test(
    "at a terminal, train ends with a sparkline of each loss",
    .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
  func terminal() throws {
    let terminal = try ProgressLineTests.trainedTwoEpochs()
    let lines = terminal.screenText.split(separator: "\n")
    for name in ["D loss ", "G loss "] {
      let line = lines.last { $0.hasPrefix(name) }
      // 2 epochs of 3 batches: one block per step, then what the lowest and highest stand for.
      let marks = line?.components(separatedBy: "  ").first
      #expect(marks.map { $0.filter(Self.blocks.contains).count } == 6, "\(terminal.screenText)")
      #expect(line?.contains("  ▁ 0.") == true && line?.contains("  █ 0.") == true, "\(terminal.screenText)")
    }
  }

  @Test("in a pipe, train prints no sparkline")
  func pipe() throws {
    let r = try ganrepl([], input: tinyGAN + "\ntrain 2 epochs\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("trained 6 steps"))
    #expect(!r.stdout.contains { Self.blocks.contains($0) }, "\(r.stdout)")
  }
}
