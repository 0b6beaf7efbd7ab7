import CImageCodecs

/// An 8-bit image in memory: rows top to bottom, channels interleaved (1 gray, 3 RGB).
public struct DecodedImage: Sendable {
  public var width: Int
  public var height: Int
  public var channels: Int
  public var pixels: [UInt8]

  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(pixels.count == width * height * channels, "image \(width)×\(height)×\(channels) with \(pixels.count) bytes")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// Decodes JPEG or PNG bytes (told apart by their signature). For JPEG, `minSide`
  /// lets libjpeg scale down in the DCT domain while keeping both sides ≥ minSide.
  public static func decode(_ bytes: [UInt8], minSide: Int = 0) -> Result<DecodedImage, DecodeError> {
    var image = gr_image()
    var message = [CChar](repeating: 0, count: 256)
    let status: Int32 = bytes.withUnsafeBufferPointer { data in
      if bytes.starts(with: [0xFF, 0xD8]) {
        return gr_decode_jpeg(data.baseAddress, data.count, Int32(minSide), &image, &message, message.count)
      }
      if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
        return gr_decode_png(data.baseAddress, data.count, &image, &message, message.count)
      }
      return -1
    }
    if status == -1 { return .failure(DecodeError(message: "not a JPEG or PNG file")) }
    if status != 0 { return .failure(DecodeError(message: String(cString: message))) }
    defer { gr_image_free(&image) }
    let (w, h, c) = (Int(image.width), Int(image.height), Int(image.channels))
    let pixels = Array(UnsafeBufferPointer(start: image.pixels, count: w * h * c))
    return .success(DecodedImage(width: w, height: h, channels: c, pixels: pixels))
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
  public func writePNG(to path: String) throws(SessionError) {
    var message = [CChar](repeating: 0, count: 256)
    let status = pixels.withUnsafeBufferPointer {
      gr_encode_png(path, $0.baseAddress, Int32(width), Int32(height), Int32(channels), &message, message.count)
    }
    if status != 0 { throw SessionError(.cannotWrite(path, reason: String(cString: message))) }
  }
}

extension DecodedImage {
  /// Writes this image as a JPEG; `cmyk` stores it as Adobe CMYK (as Photoshop does).
  public func writeJPEG(to path: String, quality: Int = 90, progressive: Bool = false, cmyk: Bool = false) throws(SessionError) {
    var message = [CChar](repeating: 0, count: 256)
    let status = pixels.withUnsafeBufferPointer {
      gr_encode_jpeg(
        path, $0.baseAddress, Int32(width), Int32(height), Int32(channels), Int32(quality),
        progressive ? 1 : 0, cmyk ? 1 : 0, &message, message.count)
    }
    if status != 0 { throw SessionError(.cannotWrite(path, reason: String(cString: message))) }
  }
}

extension DecodedImage {
  /// The PNG kinds `writePNG(to:kind:)` writes, for tests of every kind a folder may hold.
  public enum PNGKind: Int32, CaseIterable, Sendable {
    case grayAlpha = 0, rgba, palette, gray16, rgb16
  }

  /// Writes this RGB image as a PNG of `kind`: alpha kinds make every 4th column fully
  /// transparent; the palette quantises to 3-3-2 bits; 16-bit kinds store v·257.
  public func writePNG(to path: String, kind: PNGKind) throws(SessionError) {
    precondition(channels == 3, "writePNG(kind:) takes an RGB image")
    var message = [CChar](repeating: 0, count: 256)
    let status = pixels.withUnsafeBufferPointer {
      gr_encode_png_kind(path, $0.baseAddress, Int32(width), Int32(height), kind.rawValue, &message, message.count)
    }
    if status != 0 { throw SessionError(.cannotWrite(path, reason: String(cString: message))) }
  }
}

/// Why an image could not be decoded.
public struct DecodeError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}
