import Foundation
import Testing

/// Lesson 4 ends with what BatchNorm does, seen through its classic mistake: a D with
/// `batchnorm` after a dense layer at batch 1. Its comments promise the warning at
/// `set batch 1`, three steps frozen at "no opinion", and numbers that move at batch 128;
/// the lesson's text is only right while the run says so.
@Suite("Lesson 4's BatchNorm at batch 1")
struct LessonBatchNormTests {
  static let frozen = "D loss 0.6931  G loss 0.6931  D(x) 0.500  D(G(z)) 0.500 → 0.500"

  @Test("the warning at its line, three frozen steps, then batch 128 moves")
  func batchOneFreezesD() throws {
    let work = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    let sets = ["steps=40", "balanced=40", "out=\(work)/out"]
    let r = try ganrepl(
      [LessonTests.folder + "/04-what-goes-wrong.gan", "--no-timings"] + sets.flatMap { ["--set", $0] },
      in: work, environment: ["GANREPL_CACHE": work + "/cache"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    guard let warned = lines.firstIndex(where: { $0.hasPrefix("warning: batch 1 with batchnorm in the discriminator") })
    else {
      Issue.record("no batch-1 warning:\n\(r.stdout.suffix(2000))")
      return
    }
    #expect(lines[warned - 1].hasPrefix("batch 1"), "the warning is not at 'set batch 1': \(lines[warned - 1])")
    let steps = lines[warned...].filter { $0.hasPrefix("step ") }
    #expect(steps.count == 6, "\(steps)")
    for line in steps.prefix(3) { #expect(line.contains(Self.frozen), "batch 1: \(line)") }
    for line in steps.dropFirst(3) {
      #expect(line.contains("batch") && !line.contains("D loss 0.6931"), "batch 128: \(line)")
    }
  }
}
