import Foundation
import TestSupport
import Testing

@testable import Session

/// `plot`, `show history N PATH` and the sparkline of `train`.
@Suite("Curves")
struct CurvesTests {
  /// Steps 1…count with D loss rising linearly from 0.2 to 1.8 and the verdicts fixed.
  static func risingHistory(_ count: Int) -> [StepStats] {
    (1...count).map { i in
      let lossD = 0.2 + 1.6 * Float(i - 1) / Float(count - 1)
      return StepStats(
        step: i, epoch: 1, batch: i, batchesPerEpoch: count, lossD: lossD, lossG: 0.7, dReal: 0.8, dFake: 0.3,
        dFakeAfter: 0.25, seconds: 0.01)
    }
  }

  @Test("the plot is 1000×680 and the D loss curve climbs from left to right in the loss panel")
  func plotShowsTheCurve() {
    let history = Self.risingHistory(50)
    let image = CurvePlot.draw(history)
    #expect(image.width == CurvePlot.size.width && image.height == CurvePlot.size.height && image.channels == 3)
    let canvas = Canvas(image)
    let panel = CurvePlot.panels(history).losses
    let color = CurvePlot.losses[0].color
    var rows: [(column: Int, row: Double)] = []
    for x in (panel.left + 1)..<(panel.left + panel.width - 1) {
      let hits = ((panel.top + 1)..<(panel.top + panel.height - 1)).filter { canvas.color(x: x, y: $0) == color }
      if !hits.isEmpty { rows.append((x, Double(hits.reduce(0, +)) / Double(hits.count))) }
    }
    // The curve spans the panel, and each column's mean row is above (smaller than) the last.
    #expect(rows.count > panel.width * 9 / 10, "D loss colour in \(rows.count) of \(panel.width) columns")
    #expect(zip(rows, rows.dropFirst()).allSatisfy { $1.row <= $0.row + 0.5 })
    #expect(rows.first!.row - rows.last!.row > Double(panel.height) / 2)
    // The step where the loss is highest is drawn at its value: 1.8 on an axis up to 2.
    #expect(panel.high == 2)
    #expect(abs(rows.last!.row - Double(panel.y(1.8))) <= 1.5)
    // The verdict panel holds D(x) at 0.8.
    let verdicts = CurvePlot.panels(history).verdicts
    let dx = (verdicts.left..<(verdicts.left + verdicts.width)).filter {
      canvas.color(x: $0, y: verdicts.y(0.8)) == CurvePlot.verdicts[0].color
    }
    #expect(dx.count > verdicts.width / 2)
  }

  @Test("round ticks: 1, 2 or 5 times a power of ten, labelled with the decimals they need")
  func ticks() {
    #expect(AxisTicks.step(covering: 1, count: 5) == 0.2)
    #expect(AxisTicks.step(covering: 96, count: 6) == 20)
    #expect(AxisTicks.values(from: 0, to: 1, step: 0.2).count == 6)
    #expect(AxisTicks.label(0.4, step: 0.2) == "0.4" && AxisTicks.label(40, step: 20) == "40")
    #expect(AxisTicks.label(0.05, step: 0.05) == "0.05" && AxisTicks.label(0.3, step: 0.1) == "0.3")
    #expect(AxisTicks.label(2, step: 1) == "2")
  }

  @Test("plot and show history PATH write files; a loaded session plots the history it saved")
  func plotAndCSVInASession() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(
      tinyGAN + "\nstep 6\nplot \"\(folder)/a.png\"\nshow history 4 \"\(folder)/h.csv\"\nsave \"\(folder)/run\"",
      in: interpreter)
    let loaded = Interpreter()
    try run("load \"\(folder)/run\"\nplot \"\(folder)/b.png\"", in: loaded)
    let a = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/a.png"))
    let b = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/b.png"))
    #expect(a == b)
    let csv = try String(contentsOfFile: "\(folder)/h.csv", encoding: .utf8)
    let lines = csv.split(separator: "\n").map(String.init)
    #expect(lines.first == HistoryCSV.header.joined(separator: ","))
    #expect(lines.count == 5)
    for (line, stats) in zip(lines.dropFirst(), interpreter.state.history.suffix(4)) {
      let cells = line.split(separator: ",").map(String.init)
      #expect(cells.count == HistoryCSV.header.count)
      #expect(Int(cells[0]) == stats.step && Int(cells[1]) == stats.epoch && Int(cells[2]) == stats.batch)
      #expect(Float(cells[4]) == stats.lossD && Float(cells[5]) == stats.lossG && Float(cells[6]) == stats.dReal)
      #expect(Float(cells[7]) == stats.dFake && Float(cells[8]) == stats.dFakeAfter)
    }
    // Without a path, show history still reports the steps as text.
    let events = try run("show history 2", in: interpreter)
    guard case .history(let steps) = events.first else {
      Issue.record("expected the history, got \(events)")
      return
    }
    #expect(steps.map(\.step) == [5, 6])
  }

  @Test("show history PATH leaves what a step of one network did not measure empty, and names the kind")
  func halfStepsInCSV() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep d\nstep g\nstep\nshow history 3 \"\(folder)/h.csv\"", in: interpreter)
    let csv = try String(contentsOfFile: "\(folder)/h.csv", encoding: .utf8)
    let rows = csv.split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    try #require(rows.count == 3)
    let columns = HistoryCSV.header
    func cell(_ row: [String], _ name: String) -> String { row[columns.firstIndex(of: name)!] }
    for (row, kind) in zip(rows, ["d", "g", "full"]) { #expect(cell(row, "kind") == kind, "\(row)") }
    #expect(cell(rows[0], "g_loss").isEmpty && cell(rows[0], "d_g_z_after").isEmpty, "\(rows[0])")
    #expect(Float(cell(rows[0], "d_loss")) != nil && Float(cell(rows[0], "d_x")) != nil, "\(rows[0])")
    #expect(cell(rows[1], "d_loss").isEmpty && cell(rows[1], "d_x").isEmpty && cell(rows[1], "d_g_z_before").isEmpty)
    #expect(Float(cell(rows[1], "g_loss")) != nil, "\(rows[1])")
    #expect(rows[2].allSatisfy { !$0.isEmpty }, "\(rows[2])")
    try run("plot \"\(folder)/c.png\"", in: interpreter)
  }

  @Test("plot and show history PATH refuse what they cannot do, saying where and what to try")
  func curveErrors() throws {
    let interpreter = Interpreter()
    #expect(throws: SessionError.self) { try run("show history 5 \"h.txt\"", in: interpreter) }
    do {
      try run("plot \"x.png\"", in: interpreter)
      Issue.record("plot with no history ran")
    } catch {
      #expect(error.message == "no training history yet")
      #expect(error.hint?.contains("train first") == true)
    }
    do {
      try run("show history 5 \"out/h.txt\"", in: interpreter)
    } catch {
      #expect(error.location?.column == 16)
      #expect(error.message.contains(".csv"))
    }
  }

  @Test("sparklines: one block a value, lowest ▁ to highest █; long runs averaged to fit")
  func sparklines() {
    #expect(Sparkline.draw((0..<8).map(Float.init), width: 60).line == "▁▂▃▄▅▆▇█")
    #expect(Sparkline.draw([3, 3, 3], width: 60).line == "▄▄▄")
    let long = Sparkline.draw((0..<16).map { Float($0 / 2) }, width: 8)
    #expect(long.line == "▁▂▃▄▅▆▇█" && long.perCharacter == 2 && long.low == 0 && long.high == 7)
    #expect(Sparkline.draw((0..<100).map(Float.init), width: 30).line.count <= 30)
    #expect(Sparkline.draw([], width: 10).line.isEmpty)
  }
}

extension Canvas {
  /// A canvas holding `image` (RGB), to read its pixels back.
  init(_ image: DecodedImage) {
    self.init(width: image.width, height: image.height)
    for y in 0..<image.height {
      for x in 0..<image.width {
        let i = (y * image.width + x) * 3
        set(x: x, y: y, RGB(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]))
      }
    }
  }
}
