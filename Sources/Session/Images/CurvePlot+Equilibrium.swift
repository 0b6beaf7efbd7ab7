import Foundation
import Layers

/// The BCE equilibrium on `plot`'s loss panel. Where D cannot tell (D(x) = D(G(z)) = ½)
/// each half of D's loss is −ln ½ = ln 2, and so is G's loss, −ln D(G(z)). D's loss is the
/// mean of its halves with `set d-loss mean` (ln 2) and their sum with `d-loss sum`
/// (2 ln 2), so the panel gets one dashed line, "ln 2", or two, "ln 2 (G)" and "2 ln 2 (D)".
/// Other losses (MSE, hinge) have other equilibria and get none.
extension CurvePlot {
  /// A dashed line at `value` on the loss panel, labelled at its right end.
  struct Reference: Equatable, Sendable {
    var value: Double
    var label: String
  }

  static let referenceColor = RGB(110, 110, 110)

  /// The lines for `loss` with D's loss reduced by `discriminatorLoss`.
  static func equilibrium(_ loss: Loss, _ discriminatorLoss: DiscriminatorLoss) -> [Reference] {
    guard loss == .bce else { return [] }
    let ln2 = log(2.0)
    switch discriminatorLoss {
    case .mean: return [Reference(value: ln2, label: "ln 2")]
    case .sum: return [Reference(value: ln2, label: "ln 2 (G)"), Reference(value: 2 * ln2, label: "2 ln 2 (D)")]
    }
  }

  /// The dashed lines across `panel` (drawn before the curves, so these run on top).
  static func referenceLines(_ references: [Reference], in panel: Panel, on canvas: inout Canvas) {
    for r in references where r.value <= panel.high {
      canvas.dashedLine(
        y: panel.y(r.value), from: panel.left, to: panel.left + panel.width - 1, referenceColor, dash: 6)
    }
  }

  /// Each line's label just above its right end, on white so that a curve through it
  /// does not hide it (drawn after the curves).
  static func referenceLabels(_ references: [Reference], in panel: Panel, on canvas: inout Canvas) {
    for r in references where r.value <= panel.high {
      let width = BitmapFont.width(of: r.label, scale: scale)
      let (x, y) = (panel.left + panel.width - 10 - width, panel.y(r.value) - BitmapFont.height * scale - 4)
      canvas.fill(x: x - 3, y: y - 2, width: width + 6, height: BitmapFont.height * scale + 4, RGB(255, 255, 255))
      canvas.text(r.label, x: x, y: y, referenceColor, scale: scale)
    }
  }
}
