import Foundation

/// The bytes of a dataset: allocated here, or mapped read-only from a cache file so a
/// cached reload costs no copy. Freed (or unmapped) with its last reference.
public final class PixelStore: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<UInt8>
  public let count: Int
  private let mapping: (base: UnsafeMutableRawPointer, length: Int)?

  /// `count` zero bytes, writable.
  public init(count: Int) {
    self.count = count
    pointer = .allocate(capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
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
    guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else { return nil }
    self.count = count
    pointer = (base + offset).assumingMemoryBound(to: UInt8.self)
    mapping = (base, length)
  }

  /// Bytes resident in this process for the store (mapped pages count once they are read).
  public var isMapped: Bool { mapping != nil }

  deinit {
    if let mapping {
      munmap(mapping.base, mapping.length)
    } else {
      pointer.deallocate()
    }
  }
}
