import Foundation

/// The bytes of a dataset: allocated here, or mapped read-only from a cache file so a
/// cached reload costs no copy. Freed (or unmapped) with its last reference.
public final class PixelStore: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<UInt8>
  public let count: Int
  private let mapping: (base: UnsafeMutableRawPointer, length: Int)?

  /// `count` zero bytes, writable. Large stores are anonymous mappings with huge pages
  /// where the system allows: zero pages come from the kernel as the decoding threads first
  /// write them, instead of a single-threaded memset and a fault per 4 KiB (2.3 GiB for
  /// CelebA is 600,000 of them).
  public init(count: Int) {
    self.count = count
    let length = max(count, 1)
    if length >= 64 << 20,
      let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
      base != MAP_FAILED
    {
      madvise(base, length, 14)  // MADV_HUGEPAGE
      pointer = base.assumingMemoryBound(to: UInt8.self)
      mapping = (base, length)
      return
    }
    pointer = .allocate(capacity: length)
    pointer.initialize(repeating: 0, count: length)
    mapping = nil
  }

  /// A copy of `bytes`.
  public convenience init(_ bytes: [UInt8]) {
    self.init(count: bytes.count)
    bytes.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: bytes.count) }
  }

  /// `count` bytes at `offset` in the file at `path`, mapped read-only; nil if the file
  /// cannot be mapped.
  init?(mapping path: String, offset: Int, count: Int) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    let length = offset + count
    // MAP_POPULATE maps every page up front: the checksum reads them all anyway, and one
    // populate is far cheaper than a page fault per 4 KiB.
    guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else {
      return nil
    }
    self.count = count
    pointer = (base + offset).assumingMemoryBound(to: UInt8.self)
    mapping = (base, length)
  }

  /// `count` bytes at `offset` in the open file `fd`, mapped shared and writable: what is
  /// written here lands in the file. The file must already be that long, with its blocks
  /// reserved. Nil if it cannot be mapped.
  init?(sharedFile fd: Int32, offset: Int, count: Int) {
    let length = offset + max(count, 1)
    guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), base != MAP_FAILED else {
      return nil
    }
    self.count = count
    pointer = (base + offset).assumingMemoryBound(to: UInt8.self)
    mapping = (base, length)
  }

  /// Makes a mapped store read-only, so no stray write can reach the file behind it.
  func makeReadOnly() {
    if let mapping { mprotect(mapping.base, mapping.length, PROT_READ) }
  }

  /// Whether the bytes are a mapping (of the cache, or anonymous memory for a large store).
  public var isMapped: Bool { mapping != nil }

  deinit {
    if let mapping {
      munmap(mapping.base, mapping.length)
    } else {
      pointer.deallocate()
    }
  }
}
