import Foundation

/// `show history N "h.csv"`: the recorded steps as CSV, one row per step under a header,
/// numbers written in full (the shortest text that reads back as the same value).
enum HistoryCSV {
  static let header = [
    "step", "epoch", "batch", "batches_per_epoch", "d_loss", "g_loss", "d_x", "d_g_z_before", "d_g_z_after",
    "seconds", "data_wait",
  ]

  static func text(_ history: [StepStats]) -> String {
    let rows = history.map { s in
      ["\(s.step)", "\(s.epoch)", "\(s.batch)", "\(s.batchesPerEpoch)", "\(s.lossD)", "\(s.lossG)", "\(s.dReal)"]
        + ["\(s.dFake)", "\(s.dFakeAfter)", "\(s.seconds)", "\(s.dataWait)"]
    }
    return ([header] + rows).map { $0.joined(separator: ",") + "\n" }.joined()
  }

  /// Writes `history` as CSV to `path`, creating missing folders; the file appears whole
  /// or not at all (written beside it, then renamed over it).
  static func write(_ history: [StepStats], to path: String) throws(SessionError) {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text(history).utf8).write(to: url, options: .atomic)
    } catch {
      throw SessionError(.cannotWrite(path, reason: (error as NSError).localizedDescription))
    }
  }
}
