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

  /// "D loss ▇▆▄▃▂▁  ▁ 0.3012  █ 0.7020" and the same for G, at most `width` marks each, and
  /// what a mark stands for when it is the mean of several steps; nil when nothing was
  /// recorded.
  func sparklines(width: Int) -> String? {
    guard !lossD.isEmpty else { return nil }
    var lines = [("D loss", lossD), ("G loss", lossG)].map { name, values in
      let drawn = Sparkline.draw(values, width: width)
      return "\(name) \(drawn.line)  " + String(format: "▁ %.4f  █ %.4f", drawn.low, drawn.high)
    }
    let per = Sparkline.draw(lossD, width: width).perCharacter
    if per > 1 { lines.append("(each mark: the mean of \(per) steps)") }
    return lines.joined(separator: "\n")
  }
}
