import Foundation
import Session

/// Turns session events into text: the only place that chooses number formats.
/// `timings: false` leaves out wall-clock numbers, so transcripts are reproducible.
final class Presenter {
  let timings: Bool
  /// Redraw progress in place (a terminal) or print a line now and then (a log).
  let live: Bool
  private var statusShown = false
  private var lastLogged = -1.0
  private var lastDrawn = -1.0
  /// Draws pictures in the terminal's protocol (or, not `live`, writes them to files).
  let pictures: TerminalPictures
  private(set) var lossTrace = LossTrace()
  /// The terminal's width, for wrapping warnings and help (`fitted`).
  var width: () -> Int = { Terminal.columns }
  /// Under mpirun: this process's rank and the number of ranks (see Presenter+Ranks).
  var rank: (index: Int, of: Int)?

  init(timings: Bool = true, live: Bool = Terminal.stdoutIsTerminal) {
    self.timings = timings
    self.live = live
    pictures = TerminalPictures(
      kind: PictureProtocol.detect(environment: ProcessInfo.processInfo.environment, isTerminal: live))
  }

  /// Prints `event`: loading and progress redraw a status line in place (or log it now
  /// and then); every other event ends that line and prints its text.
  func show(_ event: SessionEvent) {
    if isQuietRank { return }
    lossTrace.record(event)
    switch event {
    case .loading(let done, let total): loading(done, total)
    case .progress(let p): progress(p)
    case .evaluating(let done, let total) where live:
      Terminal.status("eval swd: \(done) of \(total) pyramid levels scored")
      statusShown = true
    case .picture(let picture):
      // A flip-book frame takes the progress line's place; progress resumes below it.
      if picture.isFrame && statusShown && live {
        Terminal.write("\r\u{1B}[2K")
        statusShown = false
      } else {
        endStatus()
      }
      do { Terminal.write(try pictures.render(picture)) } catch { self.error(error) }
    default:
      let text = text(event).map { fitted($0, for: event) }
      // While a flip-book runs, lines of the training go above its frame.
      if let text, !event.endsTraining, let drawn = pictures.above(text) {
        if statusShown { Terminal.write("\r\u{1B}[2K") }
        statusShown = false
        Terminal.write(drawn)
      } else {
        endStatus()
        pictures.interrupt()
        if let text { Terminal.out(text) }
      }
    }
    if live, case .trainFinished = event, let lines = lossTrace.sparklines(width: 60) { Terminal.out(lines) }
  }

  /// A command ended: a flip-book it drew stays where it is, and what comes next is
  /// printed below it; the losses traced for its sparklines are dropped.
  func commandFinished() {
    pictures.interrupt()
    lossTrace.clear()
  }

  func error(_ error: SessionError) {
    if isQuietRank { return rankFailed(error) }
    endStatus(keeping: true)
    pictures.interrupt()
    Terminal.error(live ? TextWrap.wrapped(error.description, width: width()) : error.description)
  }

  /// The lines for an event (nil for progress).
  func text(_ event: SessionEvent) -> String? {
    switch event {
    case .notice(let s): return s
    case .warning(let s): return "warning: " + s
    case .loading, .progress: return nil
    case .dataLoaded(let d): return dataLoaded(d)
    case .summary(let s): return summary(s)
    case .step(let s): return step(s)
    case .epochFinished(let epoch, let a): return "epoch \(epoch): " + averages(a)
    case .trainFinished(let p, let a, let interrupted):
      var s =
        interrupted
        ? "stopped after \(p.done) of \(p.planned) steps" : "trained \(p.done) step\(p.done == 1 ? "" : "s")"
      s += ": " + averages(a) + "; now at step \(p.last.step)"
      return s
    case .wrote(let path, let what): return "wrote \(path) (\(what))"
    case .settings(let rows):
      let width = rows.map(\.name.count).max() ?? 0
      return rows.map { pad($0.name, width) + "  " + $0.value }.joined(separator: "\n")
    case .history(let steps):
      if steps.isEmpty { return "no steps yet" }
      return steps.map(step).joined(separator: "\n")
    case .help(let h): return help(h)
    case .benchmark(let r): return benchmark(r)
    case .dataBenchmark(let r): return dataBenchmark(r)
    case .picture: return nil
    case .partialEpochFinished(let epoch, let batches, let total, let a):
      return "epoch \(epoch) (batches \(batches.lowerBound)–\(batches.upperBound) of \(total)): " + averages(a)
    case .explainedStep(let e): return explanation(e)
    case .gradients(let networks): return gradients(networks)
    case .diagnosis(let f): return "warning: " + diagnosis(f) + "\n  try: " + f.advice
    case .diagnoses(let fs):
      return fs.isEmpty ? "no diagnoses in this session" : fs.map(diagnosis).joined(separator: "\n")
    case .evaluating: return nil
    case .swd(let r): return swd(r)
    case .paths(let n): return networkPaths(n)
    }
  }

  private func summary(_ s: NetworkSummary) -> String {
    var rows: [[String]] = [["#", "layer", "definition", "output", "params"]]
    rows.append(["", "Input", "", s.input.compact, ""])
    for r in s.rows { rows.append(["\(r.index)", r.kind, r.definition, r.output.compact, grouped(r.parameters)]) }
    let widths = (0..<5).map { c in rows.map { $0[c].count }.max()! }
    var lines = ["\(s.role) (init \(s.initializer); \(s.optimizer))"]
    for (i, row) in rows.enumerated() {
      lines.append(
        "  " + pad(row[0], widths[0], right: true) + "  " + pad(row[1], widths[1]) + "  " + pad(row[2], widths[2])
          + "  "
          + pad(row[3], widths[3]) + "  " + pad(row[4], widths[4], right: true))
      if i == 0 { lines.append("  " + String(repeating: "─", count: widths.reduce(8, +))) }
    }
    lines.append("  total parameters: \(grouped(s.total))")
    return lines.joined(separator: "\n")
  }

  func step(_ s: StepStats) -> String {
    if s.kind != .full { return partialStep(s) }
    var text = "step \(s.step)  epoch \(s.epoch) batch \(s.batch)/\(s.batchesPerEpoch)  "
    text += String(
      format: "D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f → %.3f", s.lossD, s.lossG, s.dReal, s.dFake,
      s.dFakeAfter)
    if let swd = s.swd { text += String(format: "  SWD %.2f", swd) }
    if timings { text += String(format: "  %.2f s", s.seconds) }
    return text
  }

  private func averages(_ a: StepAverages) -> String {
    // A run of `step d` or `step g` measured only one half: the other's numbers are left out.
    let m = a.mean
    var parts: [String] = []
    if let x = m.lossD { parts.append(String(format: "D loss %.4f", x)) }
    if let x = m.lossG { parts.append(String(format: "G loss %.4f", x)) }
    if let x = m.dReal { parts.append(String(format: "D(x) %.3f", x)) }
    switch (m.dFake, m.dFakeAfter) {
    case (let before?, let after?): parts.append(String(format: "D(G(z)) %.3f → %.3f", before, after))
    case (let only?, nil), (nil, let only?): parts.append(String(format: "D(G(z)) %.3f", only))
    case (nil, nil): break
    }
    var s = parts.joined(separator: "  ")
    if timings {
      let unit = a.points ? "points" : "images"
      s += String(
        format: "  (%d %@ in %@, %.1f %@/s)", a.images, unit, duration(a.seconds), a.imagesPerSecond, unit)
    }
    return s
  }

  private var loadingStarted: ContinuousClock.Instant?

  private func loading(_ done: Int, _ total: Int) {
    guard live else { return }
    let now = ContinuousClock.now
    let start = loadingStarted ?? now
    loadingStarted = start
    let elapsed = (now - start) / .seconds(1)
    var line = "loading \(grouped(done))/\(grouped(total)) images"
    if elapsed > 0.5 && done > 0 {
      let rate = Double(done) / elapsed
      line += "  \(grouped(Int(rate)))/s  ETA \(duration(Double(total - done) / rate))"
    }
    Terminal.status(line)
    statusShown = true
  }

  private func progress(_ p: TrainProgress) {
    let fraction = Double(p.done) / Double(max(p.planned, 1))
    let rate = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
    let eta = rate > 0 ? Double(p.planned - p.done) / rate : 0
    let s = p.last
    var text = "step \(s.step)  epoch \(s.epoch) batch \(s.batch)/\(s.batchesPerEpoch)  "
    text += String(format: "D loss %.3f  G loss %.3f  D(x) %.2f  D(G(z)) %.2f", s.lossD, s.lossG, s.dReal, s.dFake)
    if live {
      guard p.elapsed - lastDrawn >= 0.1 || p.done == p.planned else { return }
      lastDrawn = p.elapsed
      let width = 24
      let filled = Int(fraction * Double(width))
      let bar = "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]"
      // The ETA before the losses: a narrow terminal cuts the line's end.
      let line = "\(bar) \(p.done)/\(p.planned)  " + (timings ? "ETA " + duration(eta) + "  " : "") + text
      Terminal.status(line)
      statusShown = true
    } else if timings && (p.elapsed - lastLogged >= 30 || lastLogged < 0) {
      lastLogged = p.elapsed
      Terminal.out("\(p.done)/\(p.planned) " + text + "  ETA " + duration(eta))
    }
  }

  /// Ends the live status line: cleared, so that the line printed next (an epoch's, a
  /// notice) takes its place, or with `keeping` left on screen above it (where an error struck).
  private func endStatus(keeping: Bool = false) {
    loadingStarted = nil
    if statusShown {
      Terminal.write(keeping ? "\n" : "\r\u{1B}[2K")
      statusShown = false
    }
    lastDrawn = -1
  }

}

/// 3979651 → "3,979,651"
func grouped(_ n: Int) -> String {
  let digits = Array(String(abs(n)))
  var out = ""
  for (i, d) in digits.enumerated() {
    if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
    out.append(d)
  }
  return (n < 0 ? "-" : "") + out
}

func bytes(_ n: Int) -> String {
  if n >= 1 << 30 { return String(format: "%.2f GiB", Double(n) / Double(1 << 30)) }
  if n >= 1 << 20 { return String(format: "%.1f MiB", Double(n) / Double(1 << 20)) }
  return String(format: "%.0f KiB", Double(n) / 1024)
}

func duration(_ seconds: Double) -> String {
  if seconds < 60 { return String(format: "%.1f s", seconds) }
  let s = Int(seconds.rounded())
  if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
  return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
}

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
  let padding = String(repeating: " ", count: max(0, width - s.count))
  return right ? padding + s : s + padding
}
