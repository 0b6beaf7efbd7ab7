import Foundation

/// `show history N "h.csv"`: the recorded steps as CSV, one row per step under a header,
/// numbers written in full (the shortest text that reads back as the same value). A step of
/// one network alone (`kind` d or g) leaves the numbers it did not measure empty.
enum HistoryCSV {
  static let header = [
    "step", "epoch", "batch", "batches_per_epoch", "d_loss", "g_loss", "d_x", "d_g_z_before", "d_g_z_after",
    "seconds", "data_wait", "kind",
  ]

  static func text(_ history: [StepStats]) -> String {
    let rows = history.map { s in
      ["\(s.step)", "\(s.epoch)", "\(s.batch)", "\(s.batchesPerEpoch)"]
        + [s.measuredLossD, s.measuredLossG, s.measuredDReal, s.measuredDFake, s.measuredDFakeAfter].map {
          $0.map { "\($0)" } ?? ""
        } + ["\(s.seconds)", "\(s.dataWait)", s.kind == .full ? "full" : s.kind == .discriminator ? "d" : "g"]
    }
    // A history with an `eval swd` score gains an swd column, empty where none was measured.
    if history.contains(where: { $0.swd != nil }) {
      let scored = zip(rows, history).map { $0 + [$1.swd.map { "\($0)" } ?? ""] }
      return ([header + ["swd"]] + scored).map { $0.joined(separator: ",") + "\n" }.joined()
    }
    return ([header] + rows).map { $0.joined(separator: ",") + "\n" }.joined()
  }

  /// Writes `history` as CSV to `path`, creating missing folders; the file appears whole
  /// or not at all (written beside it, then renamed over it).
  /// A user's file at `path` is kept aside first, and its new path returned (`OwnFile`).
  static func write(_ history: [StepStats], to path: String) throws(SessionError) -> String? {
    try WholeFile.write(Array(text(history).utf8), to: path, kind: .csv)
  }
}
