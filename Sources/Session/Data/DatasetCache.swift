import Foundation

/// Decoded datasets on disk, so loading the same folder with the same options again takes
/// about a second: the bytes are mapped, not copied, and checked against a checksum.
///
/// One file per (folder, size, channels, resize, limit), in `$GANREPL_CACHE`, else
/// `$XDG_CACHE_HOME/ganrepl`, else `~/.cache/ganrepl`. It records a key over the folder's
/// file list (paths, sizes, modification times) and the options, so it is rebuilt when
/// the folder or the options change; a truncated or corrupted file fails the checksum and
/// is rebuilt, never trusted.
///
///     0     "GANREPLD"    8 bytes
///     8     version       UInt32 (2)
///     12    headerBytes   UInt32
///     16    payloadHash   UInt64   (FastHash.parallelHash of the payload)
///     24    headerOffset  UInt64   (4096 + payload bytes)
///     4096  payload       count × size × size × channels bytes
///     headerOffset        header, JSON (Header)
///
/// The header comes last because it lists the skipped files, known only after decoding,
/// while the payload's place is fixed before: a fresh load decodes straight into the
/// cache file (see `Writer`), so the cache costs no second copy of the images.
enum DatasetCache {
  static let magic = Array("GANREPLD".utf8)
  static let version: UInt32 = 2
  static let payloadOffset = 4096

  struct Header: Codable {
    var folder: String
    var key: String
    var count: Int
    var size: Int
    var channels: Int
    var skipped: [[String]]
  }

  /// Why a cache was not used.
  enum Miss: Error, CustomStringConvertible {
    case absent
    case stale
    case corrupt(String)

    var description: String {
      switch self {
      case .absent: "no cache yet"
      case .stale: "the folder or the options changed"
      case .corrupt(let why): "the cache is damaged (\(why))"
      }
    }
  }

  /// The default cache folder.
  static var defaultDirectory: String {
    let env = ProcessInfo.processInfo.environment
    if let dir = env["GANREPL_CACHE"], !dir.isEmpty { return dir }
    if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/ganrepl" }
    return (env["HOME"] ?? NSTemporaryDirectory()) + "/.cache/ganrepl"
  }

  /// The cache file for `folder` loaded with `spec`'s decoding options; under mpirun,
  /// one per rank and number of ranks, for that rank's share.
  static func file(in directory: String, folder: String, spec: DataSpec, rank: (index: Int, of: Int)? = nil) -> String {
    let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
    let name = absolute + "|" + options(spec) + (rank.map { "|rank \($0.index) of \($0.of)" } ?? "")
    let hash = name.utf8CString.withUnsafeBufferPointer {
      FastHash.hash(UnsafeRawPointer($0.baseAddress!), count: $0.count)
    }
    return directory + "/" + String(hash, radix: 16) + ".gdata"
  }

  /// A key over the file list (paths, sizes, modification times) and the decoding options.
  static func key(files: [ListedFile], spec: DataSpec) -> String {
    var bytes = Array("v\(version)|\(options(spec))\n".utf8)
    bytes.reserveCapacity(bytes.count + files.count * 40)
    for f in files {
      bytes += f.path.utf8
      withUnsafeBytes(of: Int64(f.size).littleEndian) { bytes += $0 }
      withUnsafeBytes(of: Int64(f.modified).littleEndian) { bytes += $0 }
    }
    let hash = bytes.withUnsafeBytes { FastHash.hash($0.baseAddress!, count: $0.count) }
    return String(hash, radix: 16)
  }

  private static func options(_ spec: DataSpec) -> String {
    let limit = spec.limit.map(String.init) ?? "all"
    return "size=\(spec.size) channels=\(spec.channels) resize=\(spec.resize.rawValue) limit=\(limit)"
  }

  /// The dataset in `path` if its key is `key` and its bytes are intact.
  static func read(_ path: String, key: String, spec: DataSpec) -> Result<ImageDataset, Miss> {
    guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.absent) }
    defer { try? handle.close() }
    guard let prefix = try? handle.read(upToCount: 32), prefix.count == 32, Array(prefix.prefix(8)) == magic else {
      return .failure(.corrupt("not a ganrepl cache"))
    }
    let bytes = [UInt8](prefix)
    func u64(_ at: Int, _ n: Int = 8) -> UInt64 { (0..<n).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
    guard u64(8, 4) == UInt64(version) else { return .failure(.stale) }
    let (headerBytes, hash, headerOffset) = (Int(u64(12, 4)), u64(16), u64(24))
    guard headerBytes < 1 << 30, headerOffset >= UInt64(payloadOffset), headerOffset < 1 << 50,
      (try? handle.seek(toOffset: headerOffset)) != nil,
      let json = try? handle.read(upToCount: headerBytes), json.count == headerBytes,
      let header = try? JSONDecoder().decode(Header.self, from: json)
    else { return .failure(.corrupt("unreadable header")) }
    guard header.key == key, header.size == spec.size, header.channels == spec.channels else { return .failure(.stale) }
    guard let payload = MemoryBudget.bytes(header.count, spec.size, spec.size, spec.channels), payload < 1 << 50 else {
      return .failure(.corrupt("a count of \(header.count) images"))
    }
    let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    guard Int(headerOffset) == payloadOffset + payload, fileSize == Int(headerOffset) + headerBytes else {
      return .failure(.corrupt("\(fileSize) bytes, expected \(payloadOffset + payload + headerBytes)"))
    }
    guard let store = PixelStore(mapping: path, offset: payloadOffset, count: payload) else {
      return .failure(.corrupt("cannot be mapped"))
    }
    guard FastHash.parallelHash(store.pointer, count: store.count) == hash else {
      return .failure(.corrupt("checksum mismatch"))
    }
    let skipped = header.skipped.compactMap { $0.count == 2 ? (file: $0[0], reason: $0[1]) : nil }
    return .success(ImageDataset(spec: spec, count: header.count, store: store, skipped: skipped))
  }

  /// Writes `dataset` to `path` atomically (a temporary file renamed into place): for
  /// datasets decoded into memory when the cache file could not be prepared up front.
  static func write(_ dataset: ImageDataset, key: String, folder: String, to path: String) throws {
    let file = try Writer.create(path)
    let payload = Data(bytesNoCopy: dataset.store.pointer, count: dataset.bytes, deallocator: .none)
    guard pwriteAll(file.fd, payload, at: payloadOffset) else {
      throw SessionError(.cannotWrite(path, reason: String(cString: strerror(errno))))
    }
    try file.finish(dataset, key: key, folder: folder)
  }

  /// A cache file being built: a temporary file, with room for `payloadBytes` reserved on
  /// disk and mapped shared, so the decoder writes the images straight into the page cache
  /// and `finish` only adds the header and renames it into place. Unfinished, it is
  /// removed when released.
  final class Writer {
    let path: String
    let temporary: String
    let fd: Int32
    /// The payload, mapped; nil for a writer made by `create` (the payload is written).
    private(set) var store: PixelStore?
    private var finished = false

    private init(path: String, temporary: String, fd: Int32) {
      (self.path, self.temporary, self.fd) = (path, temporary, fd)
    }

    /// An empty temporary file next to `path`, named `path.partial-PID-XXXXXX` (unique by
    /// `mkstemp`) and locked with `flock` while this writer lives: a load ended by a crash
    /// or a signal leaves it behind, and `sweepStranded` knows it by that name, the dead pid
    /// and the free lock.
    static func create(_ path: String) throws(SessionError) -> Writer {
      do {
        try FileManager.default.createDirectory(
          atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      } catch {
        throw SessionError(.cannotWrite(path, reason: "cannot create its folder: \(error.localizedDescription)"))
      }
      var template = Array((path + ".partial-\(getpid())-XXXXXX").utf8CString)
      let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
      guard fd >= 0 else { throw SessionError(.cannotWrite(path, reason: String(cString: strerror(errno)))) }
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      flock(fd, LOCK_EX)
      return Writer(path: path, temporary: temporary, fd: fd)
    }

    /// A writer whose `store` holds `payloadBytes`, or nil where the disk space cannot be
    /// reserved or the file cannot be mapped (the caller then decodes into memory).
    /// Reserving first matters: a write to a mapped page the disk has no room for would
    /// kill the process.
    static func mapped(_ path: String, payloadBytes: Int) -> Writer? {
      guard let writer = try? create(path) else { return nil }
      let length = payloadOffset + max(payloadBytes, 1)
      guard posix_fallocate(writer.fd, 0, off_t(length)) == 0,
        let store = PixelStore(sharedFile: writer.fd, offset: payloadOffset, count: payloadBytes)
      else { return nil }
      writer.store = store
      return writer
    }

    /// Adds the header for `dataset` (whose pixels are in place), trims the file to
    /// size and renames it to `path`.
    func finish(_ dataset: ImageDataset, key: String, folder: String) throws {
      let header = Header(
        folder: folder, key: key, count: dataset.count, size: dataset.spec.size, channels: dataset.spec.channels,
        skipped: dataset.skipped.map { [$0.file, $0.reason] })
      let json = try JSONEncoder().encode(header)
      let headerOffset = payloadOffset + dataset.bytes
      var prefix = magic
      func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { prefix += $0 } }
      append(version)
      append(UInt32(json.count))
      append(FastHash.parallelHash(dataset.store.pointer, count: dataset.bytes))
      append(UInt64(headerOffset))
      guard pwriteAll(fd, json, at: headerOffset), ftruncate(fd, off_t(headerOffset + json.count)) == 0,
        pwriteAll(fd, Data(prefix), at: 0)
      else { throw SessionError(.cannotWrite(path, reason: String(cString: strerror(errno)))) }
      store?.makeReadOnly()
      guard rename(temporary, path) == 0 else {
        throw SessionError(.cannotWrite(path, reason: String(cString: strerror(errno))))
      }
      finished = true
    }

    deinit {
      close(fd)
      if !finished { unlink(temporary) }
    }
  }

  /// Writes all of `data` at `offset`; false (errno set) if it could not.
  private static func pwriteAll(_ fd: Int32, _ data: Data, at offset: Int) -> Bool {
    data.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        done += n
      }
      return true
    }
  }

}
