import Session

/// A picture as Unicode upper half-blocks: each character cell shows two pixels, the top
/// one as the foreground colour of '▀' and the bottom one as the background, so the
/// pixels stay square on a cell twice as tall as wide.
enum HalfBlockPicture {
  enum Colours {
    /// 24-bit colour (SGR 38;2 and 48;2).
    case truecolor
    /// The xterm 256-colour palette: the nearest of its 6×6×6 cube and 24 grays.
    case palette256
  }

  /// Lines of text for an RGB `image` (height rounded up to an even number with black),
  /// each ending by resetting the colours.
  static func render(_ image: DecodedImage, colours: Colours) -> [String] {
    precondition(image.channels == 3, "half-blocks take RGB, got \(image.channels) channels")
    var lines: [String] = []
    for row in stride(from: 0, to: image.height, by: 2) {
      var line = ""
      var last: (top: String, bottom: String)?
      for x in 0..<image.width {
        let top = colour(image, x, row, colours)
        let bottom = row + 1 < image.height ? colour(image, x, row + 1, colours) : colour(black, colours)
        if last?.top != top { line += "\u{1B}[38;\(top)m" }
        if last?.bottom != bottom { line += "\u{1B}[48;\(bottom)m" }
        last = (top, bottom)
        line += "▀"
      }
      lines.append(line + "\u{1B}[0m")
    }
    return lines
  }

  private static let black: (Int, Int, Int) = (0, 0, 0)

  private static func colour(_ image: DecodedImage, _ x: Int, _ y: Int, _ colours: Colours) -> String {
    let i = (y * image.width + x) * 3
    return colour((Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2])), colours)
  }

  /// The SGR parameters after 38; or 48;.
  private static func colour(_ rgb: (Int, Int, Int), _ colours: Colours) -> String {
    switch colours {
    case .truecolor: "2;\(rgb.0);\(rgb.1);\(rgb.2)"
    case .palette256: "5;\(paletteIndex(rgb))"
    }
  }

  /// The levels of each axis of the 256-colour cube (colours 16–231).
  static let cubeLevels = [0, 95, 135, 175, 215, 255]

  /// The xterm palette entry nearest to `rgb`: the cube's or the gray ramp's (232–255,
  /// 8 + 10·k), whichever is closer in RGB distance.
  static func paletteIndex(_ rgb: (Int, Int, Int)) -> Int {
    func nearestLevel(_ v: Int) -> Int {
      cubeLevels.indices.min { abs(cubeLevels[$0] - v) < abs(cubeLevels[$1] - v) }!
    }
    let (r, g, b) = (nearestLevel(rgb.0), nearestLevel(rgb.1), nearestLevel(rgb.2))
    let cube = (cubeLevels[r], cubeLevels[g], cubeLevels[b])
    let mean = (rgb.0 + rgb.1 + rgb.2) / 3
    let k = min(23, max(0, (mean - 8 + 5) / 10))
    let gray = 8 + 10 * k
    func distance(_ c: (Int, Int, Int)) -> Int {
      (c.0 - rgb.0) * (c.0 - rgb.0) + (c.1 - rgb.1) * (c.1 - rgb.1) + (c.2 - rgb.2) * (c.2 - rgb.2)
    }
    return distance((gray, gray, gray)) < distance(cube) ? 232 + k : 16 + 36 * r + 6 * g + b
  }
}
