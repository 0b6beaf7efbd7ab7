import Foundation
import Tensors

/// GAN Lab's two views of a 2-D toy on one PNG: the scatter plot of real (grey) and
/// generated (red) points over D's verdict as a heat map (green where D says real, purple
/// where it says fake, white at 0.5), each of some fakes with an arrow the way G's loss
/// pushes it; below, a legend and the step. The plot is `ScatterPlot`'s 512×512 square.
struct ForcePlot {
  /// Real points [N, 2] and generated ones [M, 2].
  var real: Tensor
  var generated: Tensor
  var extent: Float
  /// D's verdicts on a resolution × resolution grid over the square, top row first
  /// (`DiscriminatorField.verdicts`).
  var verdicts: [Float]
  var resolution: Int
  /// Where each arrow starts (a generated point) and the push on it (−∂ℓ/∂x), in plane units.
  var arrows: [(at: SIMD2<Float>, push: SIMD2<Float>)]
  var step: Int

  static let legendHeight = 64
  /// The longest arrow, in pixels; the others in proportion to their push.
  static let longestArrow = 32
  static let realHue = RGB(40, 150, 70)
  static let fakeHue = RGB(150, 60, 170)
  static let arrowColor = RGB(25, 25, 25)
  static let ink = RGB(40, 40, 40)

  /// The heat map's colour for a verdict in [0, 1]: white at 0.5, deepening to a light
  /// green at 1 (real) and a light purple at 0 (fake).
  static func color(verdict: Float) -> RGB {
    let strength = Double(min(abs(verdict - 0.5) * 2, 1))
    return (verdict >= 0.5 ? realHue : fakeHue).paler(1 - 0.55 * strength)
  }

  func draw() -> DecodedImage {
    let size = ScatterPlot.size
    var canvas = Canvas(width: size, height: size + Self.legendHeight)
    let cell = Double(size) / Double(resolution)
    for row in 0..<resolution {
      for column in 0..<resolution {
        let (x0, y0) = (Int((Double(column) * cell).rounded()), Int((Double(row) * cell).rounded()))
        let (x1, y1) = (Int((Double(column + 1) * cell).rounded()), Int((Double(row + 1) * cell).rounded()))
        canvas.fill(
          x: x0, y: y0, width: x1 - x0, height: y1 - y0, Self.color(verdict: verdicts[row * resolution + column]))
      }
    }
    ScatterPlot.drawGrid(on: &canvas, extent: extent)
    ScatterPlot.drawPoints(real: real, generated: generated, on: &canvas, extent: extent)
    let shown = shownArrows
    let longest = longestPush
    if longest > 0 {
      for arrow in shown {
        let (x, y) = ScatterPlot.pixel(arrow.at.x, arrow.at.y, extent: extent)
        let d = arrow.push / longest * Float(Self.longestArrow)
        Self.arrow(from: (x, y), by: (d.x, -d.y), on: &canvas)
      }
    }
    drawLegend(on: &canvas, longest: longest)
    return canvas.image
  }

  /// The arrows inside the plotted square.
  var shownArrows: [(at: SIMD2<Float>, push: SIMD2<Float>)] {
    arrows.filter { abs($0.at.x) <= extent && abs($0.at.y) <= extent }
  }

  /// The largest push among the shown arrows (0 without any).
  var longestPush: Float { shownArrows.map { ($0.push * $0.push).sum().squareRoot() }.max() ?? 0 }

  /// A line from `start` by `d` pixels with a two-stroke head; none shorter than 2 pixels.
  static func arrow(from start: (x: Int, y: Int), by d: (x: Float, y: Float), on canvas: inout Canvas) {
    let length = (d.x * d.x + d.y * d.y).squareRoot()
    guard length >= 2 else { return }
    let end = (x: start.x + Int(d.x.rounded()), y: start.y + Int(d.y.rounded()))
    canvas.line(start.x, start.y, end.x, end.y, arrowColor)
    let (ux, uy) = (d.x / length, d.y / length)
    let head = min(6, length / 2)
    for side: Float in [-1, 1] {
      // back along the shaft, turned ±30°
      let hx = -ux * 0.866 + side * uy * 0.5
      let hy = -uy * 0.866 - side * ux * 0.5
      canvas.line(end.x, end.y, end.x + Int((hx * head).rounded()), end.y + Int((hy * head).rounded()), arrowColor)
    }
  }

  /// Two rows under the plot: the step and the verdict scale; what the dots and arrows are.
  private func drawLegend(on canvas: inout Canvas, longest: Float) {
    // Points beyond the plotted square were drawn into the strip: it starts white.
    canvas.fill(x: 0, y: ScatterPlot.size, width: canvas.width, height: Self.legendHeight, .white)
    let (scale, top) = (2, ScatterPlot.size + 10)
    let advance = BitmapFont.advance * scale
    canvas.text("step \(step)", x: 8, y: top, Self.ink, scale: scale)
    let bar = (left: 8 + 22 * advance, width: 120)
    canvas.text("D: fake", x: bar.left - 8 * advance, y: top, Self.ink, scale: scale)
    for x in 0..<bar.width {
      canvas.fill(
        x: bar.left + x, y: top, width: 1, height: 14, Self.color(verdict: Float(x) / Float(bar.width - 1)))
    }
    canvas.text("real", x: bar.left + bar.width + advance, y: top, Self.ink, scale: scale)
    let second = top + 26
    var x = 12
    for (label, color, radius) in [("real", ScatterPlot.realColor, 3), ("fake", ScatterPlot.generatedColor, 4)] {
      ScatterPlot.dot(at: x, second + 7, radius: radius, color, on: &canvas)
      canvas.text(label, x: x + 10, y: second, Self.ink, scale: scale)
      x += 10 + BitmapFont.width(of: label, scale: scale) + 24
    }
    Self.arrow(from: (x, second + 7), by: (24, 0), on: &canvas)
    let push = String(format: "G's push (max %.3g)", Double(longest))
    canvas.text(push, x: x + 32, y: second, Self.ink, scale: scale)
  }
}
