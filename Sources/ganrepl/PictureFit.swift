import Session

/// How big a picture is drawn: in terminal cells, within the terminal and a maximum, and
/// the pixels shrunk to a size by averaging areas.
enum PictureFit {
  /// The widest picture in cells, however wide the terminal: a grid stays one glance.
  static let maximumColumns = 96

  /// Cells (columns × rows) for a `width`×`height` image on a terminal of `columns` ×
  /// `rows`, whose cells are `cellAspect` times as tall as wide; `pixelsPerColumn` > 0 never
  /// enlarges (half-blocks: one pixel a column, two a row), 0 fills the width. Leaves
  /// lines for the caption, the progress line and the prompt, so a flip-book frame stays
  /// on the screen to be drawn over.
  static func cells(
    width: Int, height: Int, columns: Int, rows: Int, cellAspect: Double, pixelsPerColumn: Int
  ) -> (columns: Int, rows: Int) {
    var c = min(columns - 1, maximumColumns)
    if pixelsPerColumn > 0 { c = min(c, max(1, width / pixelsPerColumn)) }
    c = max(c, 1)
    let maxRows = max(rows - 4, 1)
    var r = Double(c) * Double(height) / Double(width) / cellAspect
    if r > Double(maxRows) {
      c = max(1, Int(Double(c) * Double(maxRows) / r))
      r = Double(c) * Double(height) / Double(width) / cellAspect
    }
    return (c, max(1, Int(r.rounded())))
  }

  /// The widest or tallest image sent to kitty or iTerm2: a grid of 4096 64-pixel samples
  /// (4,224 pixels a side) would be 30 MB of base64 for a picture 96 columns wide.
  static let maximumSentSide = 2048

  /// `image` shrunk, if it must be, so neither side exceeds `maximumSentSide`.
  static func limited(_ image: DecodedImage, _ keepingMarks: Bool) -> DecodedImage {
    let side = max(image.width, image.height)
    guard side > maximumSentSide else { return image }
    return resized(
      image, width: max(1, image.width * maximumSentSide / side), height: max(1, image.height * maximumSentSide / side),
      keepingMarks: keepingMarks)
  }

  /// `image` as RGB, `width`×`height`, each output pixel the mean of the input pixels
  /// its area covers (a box filter), or with `keepingMarks` the one farthest from white
  /// (a plot: a red point beats a grey one, which beats the axes, which beat the grid).
  static func resized(_ image: DecodedImage, width: Int, height: Int, keepingMarks: Bool = false) -> DecodedImage {
    let rgb = image.converted(toChannels: 3)
    if rgb.width == width && rgb.height == height { return rgb }
    var out = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      let y0 = y * rgb.height / height
      let y1 = max(y0 + 1, (y + 1) * rgb.height / height)
      for x in 0..<width {
        let x0 = x * rgb.width / width
        let x1 = max(x0 + 1, (x + 1) * rgb.width / width)
        var sum = [0, 0, 0]
        var mark = (distance: -1, offset: 0)
        for sy in y0..<y1 {
          for sx in x0..<x1 {
            let offset = (sy * rgb.width + sx) * 3
            var distance = 0
            for c in 0..<3 {
              let v = Int(rgb.pixels[offset + c])
              sum[c] += v
              distance += (255 - v) * (255 - v)
            }
            if distance > mark.distance { mark = (distance, offset) }
          }
        }
        let n = (y1 - y0) * (x1 - x0)
        for c in 0..<3 {
          out[(y * width + x) * 3 + c] = keepingMarks ? rgb.pixels[mark.offset + c] : UInt8((sum[c] + n / 2) / n)
        }
      }
    }
    return DecodedImage(width: width, height: height, channels: 3, pixels: out)
  }
}
