import CImageCodecs
import HostileImages
import Session

/// Image helpers only the tests use: decoding bytes in Swift and writing JPEGs and every
/// PNG kind. The library decodes in C while loading (`gr_load_file`) and writes only RGB
/// and gray PNGs (`DecodedImage.writePNG(to:)`).
extension DecodedImage {
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

  /// Writes this image as a JPEG; `cmyk` stores it as Adobe CMYK (as Photoshop does).
  public func writeJPEG(to path: String, quality: Int = 90, progressive: Bool = false, cmyk: Bool = false)
    throws(SessionError)
  {
    var message = [CChar](repeating: 0, count: 256)
    let status = pixels.withUnsafeBufferPointer {
      gr_encode_jpeg(
        path, $0.baseAddress, Int32(width), Int32(height), Int32(channels), Int32(quality),
        progressive ? 1 : 0, cmyk ? 1 : 0, &message, message.count)
    }
    if status != 0 { throw SessionError(.cannotWrite(path, reason: String(cString: message))) }
  }

  /// The PNG kinds `writePNG(to:kind:)` writes, for tests of every kind a folder may hold.
  public enum PNGKind: Int32, CaseIterable, Sendable {
    case grayAlpha = 0
    case rgba, palette, gray16, rgb16
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
