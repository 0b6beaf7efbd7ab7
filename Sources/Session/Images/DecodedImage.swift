import CImageCodecs

/// An 8-bit image in memory: rows top to bottom, channels interleaved (1 gray, 3 RGB).
public struct DecodedImage: Sendable {
  public var width: Int
  public var height: Int
  public var channels: Int
  public var pixels: [UInt8]

  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(
      pixels.count == width * height * channels, "image \(width)×\(height)×\(channels) with \(pixels.count) bytes")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// This image with `channels` channels: gray → RGB repeats the value, RGB → gray uses
  /// ITU-R BT.601 luma (what PIL's convert("L") does).
  public func converted(toChannels target: Int) -> DecodedImage {
    if target == channels { return self }
    var out = [UInt8](repeating: 0, count: width * height * target)
    for p in 0..<(width * height) {
      if target == 3 {
        let v = pixels[p]
        out[3 * p] = v
        out[3 * p + 1] = v
        out[3 * p + 2] = v
      } else {
        let r = Int(pixels[3 * p]), g = Int(pixels[3 * p + 1]), b = Int(pixels[3 * p + 2])
        out[p] = UInt8((299 * r + 587 * g + 114 * b + 500) / 1000)
      }
    }
    return DecodedImage(width: width, height: height, channels: target, pixels: out)
  }

  /// Writes this image as a PNG.
  /// This image `n` times larger, each pixel an n×n block (nearest neighbour: no blur, so
  /// a projected 64×64 face keeps its pixels).
  public func scaled(by n: Int) -> DecodedImage {
    guard n > 1 else { return self }
    let (w, c) = (width * n, channels)
    var out = [UInt8](repeating: 0, count: w * height * n * c)
    for y in 0..<(height * n) {
      for x in 0..<w {
        let from = ((y / n) * width + x / n) * c
        for ch in 0..<c { out[(y * w + x) * c + ch] = pixels[from + ch] }
      }
    }
    return DecodedImage(width: w, height: height * n, channels: c, pixels: out)
  }

  /// Writes this image as a PNG marked as ganrepl's (`pngBytes`), whole or not at all; a
  /// user's file at the name is kept aside (`OwnFile`).
  public func writePNG(to path: String) throws(SessionError) {
    try WholeFile.write(pngBytes(), to: path, kind: .png)
  }

}

/// Why an image or a tensor file could not be decoded.
public struct DecodeError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}
