import Foundation
import Layers
import Tensors

/// Named tensors in one binary file, checked by a trailing hash so a truncated or
/// corrupted file is refused rather than half-read.
///
///     "GANREPLT"  version:u32  count:u32
///     count × ( nameLength:u32 name:utf8  rank:u32 dims:u32×rank  values:f32×∏dims )
///     fnv1a64 of everything above:u64
///
/// All integers and floats little-endian.
#if !_endian(little)
  #error("TensorArchive stores floats as little-endian bytes")
#endif

enum TensorArchive {
  static let magic = Array("GANREPLT".utf8)
  static let version: UInt32 = 1

  static func encode(_ tensors: [(name: String, value: Tensor)]) -> [UInt8] {
    var bytes = magic
    append(version, to: &bytes)
    append(UInt32(tensors.count), to: &bytes)
    for (name, value) in tensors {
      let utf8 = Array(name.utf8)
      append(UInt32(utf8.count), to: &bytes)
      bytes += utf8
      append(UInt32(value.shape.rank), to: &bytes)
      for d in value.shape.dims { append(UInt32(d), to: &bytes) }
      // Floats are stored as the host's little-endian bytes (x86-64 and arm64 both are).
      bytes += UnsafeRawBufferPointer(start: value.pointer, count: value.count * 4)
    }
    append(fnv1a(bytes[...]), to: &bytes)
    return bytes
  }

  /// The tensors in `bytes`, or a reason they cannot be trusted.
  static func decode(_ bytes: [UInt8]) -> Result<[String: Tensor], DecodeError> {
    guard bytes.count >= magic.count + 16, Array(bytes.prefix(magic.count)) == magic else {
      return .failure(DecodeError(message: "is not a ganrepl tensor file"))
    }
    let body = bytes[..<(bytes.count - 8)]
    var reader = ByteReader(bytes: bytes, offset: bytes.count - 8)
    guard reader.u64() == fnv1a(body) else {
      return .failure(DecodeError(message: "is truncated or damaged (its checksum does not match)"))
    }
    reader = ByteReader(bytes: Array(body), offset: magic.count)
    guard let v = reader.u32(), v == version else {
      return .failure(
        DecodeError(message: "has format version \(reader.lastU32); this ganrepl reads version \(version)"))
    }
    var tensors: [String: Tensor] = [:]
    guard let count = reader.u32() else { return .failure(DecodeError(message: "ends early")) }
    for _ in 0..<count {
      guard let nameLength = reader.u32(), let name = reader.string(Int(nameLength)), let rank = reader.u32(), rank <= 8
      else { return .failure(DecodeError(message: "has a malformed entry after \(tensors.count) tensors")) }
      var dims: [Int] = []
      for _ in 0..<rank {
        guard let d = reader.u32() else { return .failure(DecodeError(message: "ends early in \(name)")) }
        dims.append(Int(d))
      }
      // The sizes come from the file: their product is checked, never trusted to fit.
      guard let values = Rule.product(dims, limit: reader.remaining / 4) else {
        return .failure(DecodeError(message: "ends early in \(name) (its sizes \(dims) need more values than remain)"))
      }
      let shape = Shape(dims)
      guard shape.count == values else { return .failure(DecodeError(message: "has a malformed entry \(name)")) }
      let t = Tensor(zeros: shape)
      reader.copy(into: UnsafeMutableRawPointer(t.pointer), count: shape.count * 4)
      tensors[name] = t
    }
    return .success(tensors)
  }

  private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      hash ^= UInt64(b)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }
}

/// Reads little-endian values from a byte array, returning nil past the end.
private struct ByteReader {
  let bytes: [UInt8]
  var offset: Int
  var lastU32: UInt32 = 0

  var remaining: Int { bytes.count - offset }

  mutating func u32() -> UInt32? {
    guard remaining >= 4 else { return nil }
    var v: UInt32 = 0
    for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
    offset += 4
    lastU32 = v
    return v
  }

  mutating func u64() -> UInt64? {
    guard let lo = u32(), let hi = u32() else { return nil }
    return UInt64(lo) | UInt64(hi) << 32
  }

  mutating func copy(into target: UnsafeMutableRawPointer, count: Int) {
    bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
    offset += count
  }

  mutating func string(_ length: Int) -> String? {
    guard remaining >= length else { return nil }
    defer { offset += length }
    return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
  }
}
