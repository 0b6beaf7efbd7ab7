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
///     0   "GANREPLD"   8 bytes
///     8   version      UInt32 (1)
///     12  headerBytes  UInt32
///     16  payloadHash  UInt64   (FastHash.parallelHash of the payload)
///     24  header       JSON (CacheHeader), then zeros to a multiple of 4096
///     P   payload      count × size × size × channels bytes
enum DatasetCache {
  static let magic = Array("GANREPLD".utf8)
  static let version: UInt32 = 1

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

  /// The cache file for `folder` loaded with `spec`'s decoding options.
  static func file(in directory: String, folder: String, spec: DataSpec) -> String {
    let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
    let name = absolute + "|" + options(spec)
    let hash = name.utf8CString.withUnsafeBufferPointer { FastHash.hash(UnsafeRawPointer($0.baseAddress!), count: $0.count) }
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
    "size=\(spec.size) channels=\(spec.channels) resize=\(spec.resize.rawValue) limit=\(spec.limit.map(String.init) ?? "all")"
  }

  /// The dataset in `path` if its key is `key` and its bytes are intact.
  static func read(_ path: String, key: String, spec: DataSpec) -> Result<ImageDataset, Miss> {
    guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.absent) }
    defer { try? handle.close() }
    guard let prefix = try? handle.read(upToCount: 24), prefix.count == 24, Array(prefix.prefix(8)) == magic else {
      return .failure(.corrupt("not a ganrepl cache"))
    }
    let bytes = [UInt8](prefix)
    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
    let hash = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[16 + $1]) << (8 * $1) }
    guard u32(8) == version else { return .failure(.stale) }
    let headerBytes = Int(u32(12))
    guard headerBytes < 1 << 30, let json = try? handle.read(upToCount: headerBytes), json.count == headerBytes,
      let header = try? JSONDecoder().decode(Header.self, from: json)
    else { return .failure(.corrupt("unreadable header")) }
    guard header.key == key, header.size == spec.size, header.channels == spec.channels else { return .failure(.stale) }
    let perImage = spec.size * spec.size * spec.channels
    let payloadOffset = roundUp(24 + headerBytes)
    let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    guard fileSize == payloadOffset + header.count * perImage else {
      return .failure(.corrupt("\(fileSize) bytes, expected \(payloadOffset + header.count * perImage)"))
    }
    guard let store = PixelStore(mapping: path, offset: payloadOffset, count: header.count * perImage) else {
      return .failure(.corrupt("cannot be mapped"))
    }
    guard FastHash.parallelHash(store.pointer, count: store.count) == hash else {
      return .failure(.corrupt("checksum mismatch"))
    }
    let skipped = header.skipped.compactMap { $0.count == 2 ? (file: $0[0], reason: $0[1]) : nil }
    return .success(ImageDataset(spec: spec, count: header.count, store: store, skipped: skipped))
  }

  /// Writes `dataset` to `path` atomically (a temporary file renamed into place).
  static func write(_ dataset: ImageDataset, key: String, folder: String, to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let header = Header(
      folder: folder, key: key, count: dataset.count, size: dataset.spec.size, channels: dataset.spec.channels,
      skipped: dataset.skipped.map { [$0.file, $0.reason] })
    let json = [UInt8](try JSONEncoder().encode(header))
    var prefix = magic
    func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { prefix += $0 } }
    append(version)
    append(UInt32(json.count))
    append(FastHash.parallelHash(dataset.store.pointer, count: dataset.bytes))
    prefix += json
    prefix += [UInt8](repeating: 0, count: roundUp(prefix.count) - prefix.count)

    let temporary = path + ".partial-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(prefix)),
      let handle = FileHandle(forWritingAtPath: temporary)
    else { throw SessionError(.cannotWrite(temporary, reason: "cannot create the cache file")) }
    do {
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(bytesNoCopy: dataset.store.pointer, count: dataset.bytes, deallocator: .none))
      try handle.close()
      guard rename(temporary, path) == 0 else { throw SessionError(.cannotWrite(path, reason: String(cString: strerror(errno)))) }
    } catch {
      try? handle.close()
      unlink(temporary)
      throw error
    }
  }

  private static func roundUp(_ n: Int) -> Int { (n + 4095) / 4096 * 4096 }
}
