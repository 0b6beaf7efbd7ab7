import CImageCodecs
import Glibc

extension DecodedImage {
  /// This image as the bytes of a PNG file, encoded in memory (what kitty's and iTerm2's
  /// inline images carry, in base64, and what `writePNG` writes), with a `tEXt` chunk
  /// `Software: ganrepl` after the header: how ganrepl knows its own pictures from a
  /// user's before replacing one (`OwnFile`).
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
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The signature (8 bytes) and IHDR (4 + 4 + 13 + 4) come first; the chunk goes next.
    bytes.insert(contentsOf: Self.softwareChunk, at: 33)
    return bytes
  }

  /// `Software: ganrepl` as a PNG text chunk: length, type, keyword NUL text, CRC-32.
  static let softwareChunk: [UInt8] = {
    let body = Array("tEXt".utf8) + OwnFile.pngMark
    var chunk = withUnsafeBytes(of: UInt32(OwnFile.pngMark.count).bigEndian, Array.init)
    chunk += body
    chunk += withUnsafeBytes(of: crc32(body).bigEndian, Array.init)
    return chunk
  }()

  /// PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320).
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
