import Foundation

extension DatasetCache {
  /// The cache's size limit: `$GANREPL_CACHE_LIMIT` GiB (a number, 0.1 to 100,000), else
  /// 16 GiB, room for full CelebA at 64×64 in RGB (2.3 GiB) several times over.
  static func limit(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
    guard let text = environment["GANREPL_CACHE_LIMIT"], let gib = Double(text), (0.1...100_000).contains(gib)
    else { return 16 << 30 }
    return Int(gib * Double(1 << 30))
  }

  /// A cache file was just used: its modification time is now, so `trim` keeps it longest.
  static func touch(_ path: String) {
    _ = utimensat(AT_FDCWD, path, nil, 0)
  }

  /// What `trim` removed: files, their bytes, and the limit it kept to.
  struct Trim: Equatable {
    var files: Int
    var bytes: Int
    var limit: Int
  }

  /// Removes the least recently used cache files in `directory` (`HEX.gdata`, oldest
  /// modification first) until those left total at most `limit` bytes; `keeping` is never
  /// removed, even when it alone is larger. A file another process has mapped stays
  /// readable to it (unlinking does not unmap). nil when nothing went.
  @discardableResult
  static func trim(_ directory: String, limit: Int, keeping: String) -> Trim? {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
    var files: [(path: String, bytes: Int, used: Date)] = []
    for name in names where isCacheName(name) {
      let path = directory + "/" + name
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        attributes[.type] as? FileAttributeType == .typeRegular, let bytes = attributes[.size] as? Int,
        let used = attributes[.modificationDate] as? Date
      else { continue }
      files.append((path, bytes, used))
    }
    var total = files.reduce(0) { $0 + $1.bytes }
    var removed = Trim(files: 0, bytes: 0, limit: limit)
    for file in files.sorted(by: { $0.used < $1.used }) where total > limit && file.path != keeping {
      guard unlink(file.path) == 0 else { continue }
      total -= file.bytes
      (removed.files, removed.bytes) = (removed.files + 1, removed.bytes + file.bytes)
    }
    return removed.files > 0 ? removed : nil
  }

  /// `HEX.gdata`: the names `file(in:folder:spec:rank:)` makes, and no other.
  static func isCacheName(_ name: String) -> Bool {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[0].allSatisfy(\.isHexDigit) && parts[1] == "gdata"
  }
}
