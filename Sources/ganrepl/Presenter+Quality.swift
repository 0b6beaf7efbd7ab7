import Foundation
import Session

/// The words for `eval swd`.
extension Presenter {
  /// The mean and each level's distance, what was compared, and (with timings) how long.
  func swd(_ r: SWDReport) -> String {
    let what: String
    switch r.compared {
    case .generated(let step, let averaged):
      what = "\(r.count) generated images at step \(step)" + (averaged ? " (moving average)" : "")
    case .folder(let path): what = "\(r.count) images of \(path)"
    }
    var text = String(format: "SWD %.2f", r.mean) + " (×10³, lower is closer): \(what) vs \(r.count) real images"
    text +=
      "\n  per level: "
      + r.levels.map { String(format: "%d×%d %.2f", $0.resolution, $0.resolution, $0.distance) }
      .joined(separator: ", ")
    if timings { text += String(format: "; %.1f s", r.seconds) }
    return text
  }
}
