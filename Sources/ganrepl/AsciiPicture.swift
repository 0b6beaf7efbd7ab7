import Session

/// A picture as plain characters, for NO_COLOR and dumb terminals: each cell is one pixel
/// wide and two tall (their mean brightness), drawn from the ramp " .:-=+*#%@", dark to
/// bright (light text on a dark background).
enum AsciiPicture {
  static let ramp = Array(" .:-=+*#%@")

  /// Lines of text for an RGB `image`: no escape codes.
  static func render(_ image: DecodedImage) -> [String] {
    precondition(image.channels == 3, "the ASCII ramp takes RGB, got \(image.channels) channels")
    var lines: [String] = []
    for row in stride(from: 0, to: image.height, by: 2) {
      var line = ""
      for x in 0..<image.width {
        let rows = row + 1 < image.height ? [row, row + 1] : [row]
        let luma = rows.map { brightness(image, x, $0) }.reduce(0, +) / rows.count
        line.append(ramp[luma * ramp.count / 256])
      }
      lines.append(line)
    }
    return lines
  }

  /// BT.601 luma, 0–255.
  private static func brightness(_ image: DecodedImage, _ x: Int, _ y: Int) -> Int {
    let i = (y * image.width + x) * 3
    return (299 * Int(image.pixels[i]) + 587 * Int(image.pixels[i + 1]) + 114 * Int(image.pixels[i + 2])) / 1000
  }
}
