import Foundation
import Tensors
import Testing

@testable import Session

/// `eval swd` as a notebook runs it: the score, the history, the errors.
@Suite("eval swd")
struct SWDCommandTests {
  static func scores(_ events: [SessionEvent]) -> [SWDReport] {
    events.compactMap { if case .swd(let r) = $0 { r } else { nil } }
  }

  @Test("scores generated images into the history and the CSV, and changes nothing else")
  func scoresGenerated() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 2", in: interpreter)
    let random = interpreter.state.random.states
    let events = try run("eval swd count=8", in: interpreter)
    let report = try #require(Self.scores(events).first)
    #expect(report.count == 8 && report.levels.map(\.resolution) == [16])
    #expect(report.mean > 0 && report.mean == report.levels[0].distance)
    #expect(interpreter.state.history.last?.swd == Float(report.mean))
    #expect(interpreter.state.random.states == random)
    #expect(events.contains { if case .evaluating(1, 1) = $0 { true } else { false } })
    // The same generator scores the same again.
    #expect(Self.scores(try run("eval swd count=8", in: interpreter)).first?.mean == report.mean)
    let csv = HistoryCSV.text(interpreter.state.history)
    #expect(csv.hasPrefix("step,") && csv.contains(",swd\n") && csv.hasSuffix(",\(Float(report.mean))\n"))
  }

  @Test(
    "mode=train normalises BatchNorm over the generated batch, scores differently, and keeps the running statistics")
  func batchStatistics() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 2", in: interpreter)
    let buffers = try #require(interpreter.state.viewedGenerator).namedBuffers.map { Array($0.value.buffer) }
    let eval = try #require(Self.scores(try run("eval swd count=8", in: interpreter)).first).mean
    let train = try #require(Self.scores(try run("eval swd count=8 mode=train", in: interpreter)).first).mean
    #expect(train != eval)
    #expect(try #require(interpreter.state.viewedGenerator).namedBuffers.map { Array($0.value.buffer) } == buffers)
    #expect(Self.scores(try run("eval swd count=8", in: interpreter)).first?.mean == eval)
  }

  @Test("refuses points, small images and a missing generator with what to do")
  func errors() throws {
    let cases: [(String, String)] = [
      ("data ring count=64\neval swd", "images of at least 16×16"),
      ("data faces count=8 size=8\neval swd", "images of at least 16×16"),
      ("data faces count=8 size=16\neval swd", "define it with a 'generator'"),
      ("eval swd", "data"),
      ("data faces count=8 size=16\neval fid", "one of 'swd'"),
      ("data ring count=64\neval swd", "invalid eval swd data '2-D points'"),
      ("data faces count=8 size=16\neval swd mode=train \"elsewhere\"", "no mode with a FOLDER"),
    ]
    for (text, words) in cases {
      do {
        try run(text, in: Interpreter())
        Issue.record("\(text) was accepted")
      } catch {
        #expect(error.description.contains(words), "\(text): \(error.description)")
      }
    }
  }

  @Test("scores a folder's images against the data, without touching the history")
  func folder() throws {
    guard let faces = sharedData("celeba-gray-1500") else {
      print("skipped: ../shared/data/celeba-gray-1500 is absent")
      return
    }
    let interpreter = Interpreter()
    try run("data faces count=16 size=16 channels=1", in: interpreter)
    let report = try #require(Self.scores(try run("eval swd count=12 \"\(faces)\"", in: interpreter)).first)
    #expect(report.count == 12 && report.mean > 0)
    // More than the data holds: scored with what there is, and said so.
    let events = try run("eval swd count=5000 \"\(faces)\"", in: interpreter)
    #expect(Self.scores(events).first?.count == 16)
    let said = events.contains {
      if case .notice(let s) = $0 { return s == "scoring 16 images in each set, not 5000: the data has 16" }
      return false
    }
    #expect(said, "\(events)")
    if case .folder(let path) = report.compared { #expect(path == faces) } else { Issue.record("\(report.compared)") }
    #expect(interpreter.state.history.isEmpty)
  }
}
