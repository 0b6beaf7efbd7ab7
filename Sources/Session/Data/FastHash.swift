import Tensors

/// A 64-bit checksum fast enough to verify a multi-gigabyte cache in a fraction of a
/// second: eight independent lanes, each `(lane ⊕ word) · odd prime` over 8-byte words
/// (one multiply per word, no dependency between lanes), then a final avalanche. For
/// detecting truncated or corrupted files, not for security.
enum FastHash {
  static func hash(_ bytes: UnsafeRawPointer, count: Int, seed: UInt64 = 0) -> UInt64 {
    let prime: UInt64 = 0x9E37_79B1_85EB_CA87
    var l0 = seed &+ 1, l1 = seed &+ 2, l2 = seed &+ 3, l3 = seed &+ 4
    var l4 = seed &+ 5, l5 = seed &+ 6, l6 = seed &+ 7, l7 = seed &+ 8
    let blocks = count / 64
    for b in 0..<blocks {
      let p = bytes + b * 64
      l0 = (l0 ^ p.loadUnaligned(as: UInt64.self)) &* prime
      l1 = (l1 ^ p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) &* prime
      l2 = (l2 ^ p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) &* prime
      l3 = (l3 ^ p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)) &* prime
      l4 = (l4 ^ p.loadUnaligned(fromByteOffset: 32, as: UInt64.self)) &* prime
      l5 = (l5 ^ p.loadUnaligned(fromByteOffset: 40, as: UInt64.self)) &* prime
      l6 = (l6 ^ p.loadUnaligned(fromByteOffset: 48, as: UInt64.self)) &* prime
      l7 = (l7 ^ p.loadUnaligned(fromByteOffset: 56, as: UInt64.self)) &* prime
    }
    var h = l0
    for lane in [l1, l2, l3, l4, l5, l6, l7] { h = mix(h, lane, prime) }
    for i in (blocks * 64)..<count { h = mix(h, UInt64(bytes.load(fromByteOffset: i, as: UInt8.self)), prime) }
    h ^= UInt64(count)
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return h
  }

  /// The hash of `count` bytes split into `parts` pieces hashed on all threads, combined in
  /// order (the same value whatever the thread count).
  static func parallelHash(_ bytes: UnsafeRawPointer, count: Int, parts: Int = 16) -> UInt64 {
    let results = SendablePointer(UnsafeMutablePointer<UInt64>.allocate(capacity: parts))
    defer { results.pointer.deallocate() }
    let source = SendablePointer(bytes.assumingMemoryBound(to: UInt8.self))
    parallelFor(parts, threads: parts) { i in
      let start = count * i / parts
      let end = count * (i + 1) / parts
      results.pointer[i] = hash(UnsafeRawPointer(source.pointer + start), count: end - start, seed: UInt64(i))
    }
    var h: UInt64 = 0
    for i in 0..<parts { h = mix(h, results.pointer[i], 0x9E37_79B1_85EB_CA87) }
    return h
  }

  @inline(__always)
  private static func mix(_ h: UInt64, _ w: UInt64, _ prime: UInt64) -> UInt64 {
    rotate(h ^ (w &* prime), 31) &* prime
  }

  @inline(__always)
  private static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
