import CImageCodecs
import Glibc

extension DecodedImage {
  /// This image as the bytes of a PNG file, encoded in memory (what kitty's and iTerm2's
  /// inline images carry, in base64).
  public func pngBytes() throws(SessionError) -> [UInt8] {
    var message = [CChar](repeating: 0, count: 256)
    var data: UnsafeMutablePointer<UInt8>?
    var size = 0
    let status = pixels.withUnsafeBufferPointer {
      gr_encode_png_memory($0.baseAddress, Int32(width), Int32(height), Int32(channels), &data, &size, &message, 256)
    }
    guard status == 0, let data else {
      throw SessionError(.cannotWrite("a PNG in memory", reason: String(cString: message)))
    }
    defer { free(data) }
    return Array(UnsafeBufferPointer(start: data, count: size))
  }
}
