import Foundation
import Session
import Testing

@testable import ganrepl

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

  /// A `step` stopped by Ctrl-C ends with a report, and its sparkline is of its own steps,
  /// not of an earlier `train`'s: the presenter drops the trace when a command ends.
  @Test("the trace is of the command that ends: a step after a train draws the step's losses")
  func stepAfterTrain() throws {
    let interpreter = Interpreter()
    let presenter = Presenter(timings: false, live: false)
    var stepped: [StepStats] = []
    for line in [tinyGAN, "train 3 steps", "step 5"] {
      if line == "step 5" { #expect(presenter.lossTrace.sparklines(width: 60) == nil, "the train's trace was kept") }
      for command in try Notebook(text: line, file: "t.gan", variables: [:]).commands {
        _ = try interpreter.execute(command) { event in
          if case .step(let s) = event { stepped.append(s) }
          if case .progress = event { presenter.show(event) }  // traced, not printed: the output is not live
          if case .step = event { presenter.show(event) }
        }
        if line != "step 5" { presenter.commandFinished() }
      }
    }
    let lines = try #require(presenter.lossTrace.sparklines(width: 60)).split(separator: "\n")
    let marks = lines[0].components(separatedBy: "  ").first ?? ""
    #expect(stepped.count == 5 && marks.filter(Self.blocks.contains).count == 5, "\(lines)")
    let (low, high) = (stepped.map(\.lossD).min() ?? 0, stepped.map(\.lossD).max() ?? 0)
    #expect(lines[0].hasSuffix(String(format: "▁ %.4f  █ %.4f", low, high)), "\(lines)")
  }
}
