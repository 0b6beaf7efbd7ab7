import Foundation
import Session

/// The losses of the steps of the `train` that is running, kept from its progress events,
/// and drawn as sparklines when it finishes (in a terminal only: pipes and notebook
/// transcripts stay as they were).
struct LossTrace {
  private var lossD: [Float] = []
  private var lossG: [Float] = []

  /// Keeps the losses of a progress event; the first step of a `train` starts over.
  mutating func record(_ event: SessionEvent) {
    guard case .progress(let p) = event else { return }
    if p.done == 1 { (lossD, lossG) = ([], []) }
    lossD.append(p.last.lossD)
    lossG.append(p.last.lossG)
  }

  /// "D loss ▇▆▄▃▂▁  0.301–0.702" and the same for G, at most `width` marks each, with what
  /// a mark stands for when it is a mean of several steps; nil when nothing was recorded.
  func sparklines(width: Int) -> String? {
    guard !lossD.isEmpty else { return nil }
    var per = 1
    let lines = [("D loss", lossD), ("G loss", lossG)].map { name, values in
      let drawn = Sparkline.draw(values, width: width)
      per = drawn.perCharacter
      let range = String(format: "%.4f–%.4f", values.min()!, values.max()!)
      return "\(name) \(drawn.line)  \(range)"
    }
    let note = per > 1 ? "each mark: the mean of \(per) steps; " : ""
    return lines.joined(separator: "\n") + "\n(\(note)lowest to highest of this run)"
  }
}
