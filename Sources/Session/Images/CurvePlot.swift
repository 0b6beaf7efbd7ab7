import Foundation

/// The training curves as a 1000×680 PNG: two panels over the same step axis, the losses
/// (D loss, G loss, from 0) above and the verdicts (D(x), D(G(z)) before and after D's
/// update, 0..1) below, each with tick labels and a legend. Every step is drawn as
/// recorded: nothing is smoothed.
enum CurvePlot {
  /// A panel's frame in pixels and the values its bottom and top edges stand for.
  struct Panel {
    var left = 96
    var top: Int
    var width = 880
    var height = 240
    var low = 0.0
    var high: Double

    init(top: Int, high: Double) {
      self.top = top
      self.high = high
    }

    /// The pixel row of `value`.
    func y(_ value: Double) -> Int {
      top + height - 1 - Int(((value - low) / (high - low) * Double(height - 1)).rounded())
    }
  }

  struct Curve: Sendable {
    var label: String
    var color: RGB
    /// nil where the step did not measure it (a step of one network alone): the line breaks.
    var value: @Sendable (StepStats) -> Float?
  }

  static let size = (width: 1000, height: 680)
  static let scale = 2
  static let ink = RGB(40, 40, 40)
  static let gridColor = RGB(228, 228, 228)
  static let losses = [
    Curve(label: "D loss", color: RGB(31, 119, 180)) { $0.measuredLossD },
    Curve(label: "G loss", color: RGB(214, 39, 40)) { $0.measuredLossG },
  ]
  static let verdicts = [
    Curve(label: "D(x)", color: RGB(44, 160, 44)) { $0.measuredDReal },
    Curve(label: "D(G(z)) before D's step", color: RGB(255, 127, 14)) { $0.measuredDFake },
    Curve(label: "after", color: RGB(148, 103, 189)) { $0.measuredDFakeAfter },
  ]

  /// The panels for `history` (the verdicts' dashed at 0.5, where D cannot tell): the losses from 0 to a round number 5% or more above the
  /// largest (curve or `references` line), so no curve runs along the frame.
  static func panels(_ history: [StepStats], references: [Reference] = []) -> (losses: Panel, verdicts: Panel) {
    let largest = max(
      history.compactMap { s in losses.compactMap { $0.value(s) }.max().map(Double.init) }.max() ?? 1,
      references.map(\.value).max() ?? 0)
    let step = AxisTicks.step(covering: max(largest, 1e-3), count: 5)
    return (Panel(top: 44, high: (largest * 1.05 / step).rounded(.up) * step), Panel(top: 372, high: 1))
  }

  /// history: the steps to draw, in order (at least one); references: dashed lines on the
  /// loss panel (`CurvePlot+Equilibrium.swift`).
  static func draw(_ history: [StepStats], references: [Reference] = []) -> DecodedImage {
    precondition(!history.isEmpty, "a curve plot needs at least one step")
    var canvas = Canvas(width: size.width, height: size.height)
    let (lossPanel, verdictPanel) = panels(history, references: references)
    let steps = (first: Double(history.first!.step), last: Double(history.last!.step))
    func x(_ step: Int, _ panel: Panel) -> Int {
      guard steps.last > steps.first else { return panel.left + panel.width / 2 }
      return panel.left
        + Int(((Double(step) - steps.first) / (steps.last - steps.first) * Double(panel.width - 1)).rounded())
    }
    let panels = [("losses", lossPanel, losses, false), ("verdicts", verdictPanel, verdicts, true)]
    for (title, panel, curves, undecided) in panels {
      frame(panel, steps: steps, on: &canvas) { x($0, panel) }
      if undecided {
        canvas.dashedLine(y: panel.y(0.5), from: panel.left, to: panel.left + panel.width - 1, RGB(150, 150, 150))
      } else {
        referenceLines(references, in: panel, on: &canvas)
      }
      legend(title, curves, at: panel.top - 30, left: panel.left, on: &canvas)
      let thickness = history.count * 3 < panel.width ? 2 : 1
      for curve in curves {
        var previous: (Int, Int)?
        for stats in history {
          guard let value = curve.value(stats) else {
            previous = nil
            continue
          }
          let point = (x(stats.step, panel), panel.y(Double(value)))
          let from = previous ?? point
          canvas.line(from.0, from.1, point.0, point.1, curve.color, thickness: thickness)
          previous = point
        }
      }
    }
    referenceLabels(references, in: lossPanel, on: &canvas)
    let caption = "step"
    canvas.text(
      caption, x: verdictPanel.left + (verdictPanel.width - BitmapFont.width(of: caption, scale: scale)) / 2,
      y: size.height - 24, ink, scale: scale)
    return canvas.image
  }

  /// The box, the grid, and the tick labels of both axes.
  private static func frame(
    _ panel: Panel, steps: (first: Double, last: Double), on canvas: inout Canvas, x: (Int) -> Int
  ) {
    let right = panel.left + panel.width - 1
    let valueStep = AxisTicks.step(covering: panel.high - panel.low, count: 5)
    for value in AxisTicks.values(from: panel.low, to: panel.high, step: valueStep) {
      let y = panel.y(value)
      canvas.line(panel.left, y, right, y, gridColor)
      let label = AxisTicks.label(value, step: valueStep)
      canvas.text(label, x: panel.left - 8 - BitmapFont.width(of: label, scale: scale), y: y - 7, ink, scale: scale)
    }
    let stepStep = max(1, AxisTicks.step(covering: steps.last - steps.first, count: 6))
    for step in AxisTicks.values(from: steps.first, to: steps.last, step: stepStep) {
      let column = x(Int(step))
      canvas.line(column, panel.top, column, panel.top + panel.height - 1, gridColor)
      canvas.line(column, panel.top + panel.height, column, panel.top + panel.height + 4, ink)
      let label = AxisTicks.label(step, step: stepStep)
      let left = min(
        max(column - BitmapFont.width(of: label, scale: scale) / 2, 0),
        size.width - BitmapFont.width(of: label, scale: scale))
      canvas.text(label, x: left, y: panel.top + panel.height + 8, ink, scale: scale)
    }
    for (x0, y0, x1, y1) in [
      (panel.left, panel.top, right, panel.top),
      (panel.left, panel.top + panel.height - 1, right, panel.top + panel.height - 1),
      (panel.left, panel.top, panel.left, panel.top + panel.height - 1),
      (right, panel.top, right, panel.top + panel.height - 1),
    ] {
      canvas.line(x0, y0, x1, y1, ink)
    }
  }

  /// "title  ── label  ── label": each label after a short line in its curve's colour.
  private static func legend(_ title: String, _ curves: [Curve], at top: Int, left: Int, on canvas: inout Canvas) {
    canvas.text(title, x: left, y: top, ink, scale: scale)
    var x = left + BitmapFont.width(of: title, scale: scale) + 36
    for curve in curves {
      canvas.line(x, top + 7, x + 28, top + 7, curve.color, thickness: 4)
      x += 38
      canvas.text(curve.label, x: x, y: top, ink, scale: scale)
      x += BitmapFont.width(of: curve.label, scale: scale) + 30
    }
  }
}
