import Foundation
import Session

/// The losses of the steps of the `train` or `step` that is running, kept from its
/// progress or step events, and drawn as sparklines when it finishes (in a terminal only:
/// pipes and notebook transcripts stay as they were). `step` ends with a report only when
/// stopped.
struct LossTrace {
  private var lossD: [Float] = []
  private var lossG: [Float] = []

  /// Keeps the losses of a progress or step event; the first step of a `train` starts over.
  mutating func record(_ event: SessionEvent) {
    let last: StepStats
    switch event {
    case .progress(let p):
      if p.done == 1 { clear() }
      last = p.last
    case .step(let s): last = s
    default: return
    }
    lossD.append(last.lossD)
    lossG.append(last.lossG)
  }

  /// A command ended: the next one's steps start a new trace.
  mutating func clear() { (lossD, lossG) = ([], []) }

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
