import Tensors

/// A PNG scatter plot of real points (grey) and generated points (red) on a 512×512
/// canvas, with a light grid at every unit and darker axes through the origin. The plane's
/// square [−extent, extent]² fills the canvas, +y up.
enum ScatterPlot {
  static let size = 512
  static let realColor = RGB(120, 120, 120)
  static let generatedColor = RGB(215, 40, 40)

  static func draw(real: Tensor, generated: Tensor, extent: Float) -> DecodedImage {
    var canvas = Canvas(width: size, height: size)
    drawGrid(on: &canvas, extent: extent)
    drawPoints(real: real, generated: generated, on: &canvas, extent: extent)
    return canvas.image
  }

  /// The canvas pixel (column, row) of the plane's point (x, y).
  static func pixel(_ x: Float, _ y: Float, extent: Float) -> (x: Int, y: Int) {
    func toPixel(_ v: Float) -> Int { Int(((v + extent) / (2 * extent) * Float(size - 1)).rounded()) }
    return (toPixel(x), size - 1 - toPixel(y))
  }

  /// A line at every unit, the axes darker; each darkens what is under it (on white: grey
  /// 228, the axes 170; where lines cross, the one drawn last).
  static func drawGrid(on canvas: inout Canvas, extent: Float) {
    var shades = [Int](repeating: 255, count: size * size)
    for tick in Int(-extent)...Int(extent) {
      let (p, q) = pixel(Float(tick), Float(tick), extent: extent)
      for t in 0..<size {
        for (x, y) in [(p, t), (t, q)] where x >= 0 && x < size && y >= 0 && y < size {
          shades[y * size + x] = tick == 0 ? 170 : 228
        }
      }
    }
    for (i, shade) in shades.enumerated() where shade < 255 {
      let (x, y) = (i % size, i / size)
      let c = canvas.color(x: x, y: y)
      func dim(_ v: UInt8) -> UInt8 { UInt8(Int(v) * shade / 255) }
      canvas.set(x: x, y: y, RGB(dim(c.r), dim(c.g), dim(c.b)))
    }
  }

  /// Real points [N, 2] as grey dots, generated ones [M, 2] as larger red dots over them.
  static func drawPoints(real: Tensor, generated: Tensor, on canvas: inout Canvas, extent: Float) {
    func dots(_ points: Tensor, radius: Int, _ color: RGB) {
      for i in 0..<points.shape[0] {
        let (x, y) = pixel(points[2 * i], points[2 * i + 1], extent: extent)
        dot(at: x, y, radius: radius, color, on: &canvas)
      }
    }
    dots(real, radius: 1, realColor)
    dots(generated, radius: 2, generatedColor)
  }

  /// A filled disc of `radius` pixels around (x, y).
  static func dot(at x: Int, _ y: Int, radius: Int, _ color: RGB, on canvas: inout Canvas) {
    for dy in -radius...radius {
      for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { canvas.set(x: x + dx, y: y + dy, color) }
    }
  }
}
