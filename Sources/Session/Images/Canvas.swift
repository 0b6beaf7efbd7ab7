/// A colour of a plot, 8 bits a channel.
struct RGB: Equatable, Sendable {
  var r: UInt8, g: UInt8, b: UInt8

  init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { (self.r, self.g, self.b) = (r, g, b) }

  static let white = RGB(255, 255, 255)
  static let black = RGB(0, 0, 0)

  /// This colour mixed with white: 0 keeps it, 1 is white.
  func paler(_ amount: Double) -> RGB {
    func mix(_ c: UInt8) -> UInt8 { UInt8((Double(c) + (255 - Double(c)) * amount).rounded()) }
    return RGB(mix(r), mix(g), mix(b))
  }
}

/// An RGB image [height, width, 3] to draw plots on: points, lines, rectangles and text
/// in the 5×7 `BitmapFont`. Drawing outside the canvas is clipped.
struct Canvas {
  let width: Int
  let height: Int
  private(set) var pixels: [UInt8]

  init(width: Int, height: Int, background: RGB = .white) {
    self.width = width
    self.height = height
    pixels = [UInt8](repeating: 0, count: width * height * 3)
    fill(x: 0, y: 0, width: width, height: height, background)
  }

  var image: DecodedImage { DecodedImage(width: width, height: height, channels: 3, pixels: pixels) }

  func color(x: Int, y: Int) -> RGB {
    let i = (y * width + x) * 3
    return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
  }

  mutating func set(x: Int, y: Int, _ color: RGB) {
    guard x >= 0, x < width, y >= 0, y < height else { return }
    let i = (y * width + x) * 3
    (pixels[i], pixels[i + 1], pixels[i + 2]) = (color.r, color.g, color.b)
  }

  mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
    let (top, bottom, left, right) = (max(y, 0), min(y + h, height), max(x, 0), min(x + w, width))
    guard top < bottom, left < right else { return }  // wholly off the canvas
    for row in top..<bottom {
      for column in left..<right { set(x: column, y: row, color) }
    }
  }

  /// A straight line from (x0, y0) to (x1, y1), both ends included (Bresenham), `thickness`
  /// pixels wide.
  mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: RGB, thickness: Int = 1) {
    let (dx, dy) = (abs(x1 - x0), -abs(y1 - y0))
    let (sx, sy) = (x0 < x1 ? 1 : -1, y0 < y1 ? 1 : -1)
    var (x, y, error) = (x0, y0, dx + dy)
    while true {
      fill(x: x - (thickness - 1) / 2, y: y - (thickness - 1) / 2, width: thickness, height: thickness, color)
      if x == x1 && y == y1 { break }
      let e2 = 2 * error
      if e2 >= dy {
        error += dy
        x += sx
      }
      if e2 <= dx {
        error += dx
        y += sy
      }
    }
  }

  /// A horizontal line of dashes `dash` pixels long.
  mutating func dashedLine(y: Int, from x0: Int, to x1: Int, _ color: RGB, dash: Int = 4) {
    for x in x0...x1 where (x - x0) / dash % 2 == 0 { set(x: x, y: y, color) }
  }

  /// `text` with its top-left corner at (x, y), each font pixel `scale` pixels square.
  mutating func text(_ text: String, x: Int, y: Int, _ color: RGB, scale: Int = 1) {
    for (n, character) in text.enumerated() {
      let left = x + n * BitmapFont.advance * scale
      for (row, bits) in BitmapFont.rows(character).enumerated() {
        for column in 0..<BitmapFont.width where bits & (0x10 >> UInt8(column)) != 0 {
          fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, color)
        }
      }
    }
  }
}
