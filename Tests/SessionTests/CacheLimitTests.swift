import Foundation
import Testing

@testable import Session

/// The cache stays under its limit: a new cache file removes the least recently used
/// others, and a file just read counts as just used.
@Suite("The cache's size limit")
struct CacheLimitTests {
  /// A folder of `count` distinct 4×4 PNGs.
  static func images(_ count: Int, seed: Int) throws -> String {
    let folder = temporaryFolder("images-\(seed)-\(UUID().uuidString.prefix(6))")
    for i in 0..<count {
      let pixels = (0..<48).map { UInt8(($0 * 31 + i * 17 + seed * 7) % 256) }
      try DecodedImage(width: 4, height: 4, channels: 3, pixels: pixels).writePNG(to: folder + "/\(i).png")
    }
    return folder
  }

  static func load(_ folder: String, cache: String, limit: Int) throws -> ImageFolderLoader.Report {
    var spec = DataSpec(source: .folder(folder))
    spec.size = 4
    return try ImageFolderLoader.load(
      spec, path: folder, threads: 2, cacheDirectory: cache, cacheLimit: limit, progress: { _, _ in },
      shouldStop: { false })
  }

  static func cacheFiles(_ cache: String) throws -> Set<String> {
    Set(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".gdata") })
  }

  @Test("a new cache file removes the least recently used others beyond the limit, never itself, and says so")
  func leastRecentlyUsedGo() throws {
    let cache = temporaryFolder()
    let (a, b, c) = (try Self.images(3, seed: 1), try Self.images(3, seed: 2), try Self.images(3, seed: 3))
    let first = try Self.load(a, cache: cache, limit: 1 << 30)
    let bytes = try FileManager.default.attributesOfItem(atPath: first.cacheFile!)[.size] as! Int
    // Room for two files of this size.
    let limit = 2 * bytes + bytes / 2
    _ = try Self.load(b, cache: cache, limit: limit)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: first.cacheFile!)
    let bCache = try Self.load(b, cache: cache, limit: limit).cacheFile!
    let bBytes = try FileManager.default.attributesOfItem(atPath: bCache)[.size] as! Int
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -1800)], ofItemAtPath: bCache)
    // Reading a's cache again makes it the most recently used: b is the oldest now.
    let again = try Self.load(a, cache: cache, limit: limit)
    #expect(again.fromCache)
    let third = try Self.load(c, cache: cache, limit: limit)
    let bFile = try Self.load(b, cache: cache, limit: 1 << 30)
    #expect(!bFile.fromCache, "b's cache was the least recently used and should have gone")
    #expect(third.trimmed == DatasetCache.Trim(files: 1, bytes: bBytes, limit: limit) && third.cacheNote == nil)
    // A limit smaller than one file keeps the file just made, alone.
    _ = try Self.load(try Self.images(2, seed: 4), cache: cache, limit: 1)
    #expect(try Self.cacheFiles(cache).count == 1)
    // Files that are not ganrepl's cache names are never touched.
    try Data(count: 10).write(to: URL(fileURLWithPath: cache + "/notes.txt"))
    try Data(count: 10).write(to: URL(fileURLWithPath: cache + "/x.gdata.partial-1-abcdef"))
    DatasetCache.trim(cache, limit: 0, keeping: "")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: cache).sorted() == ["notes.txt", "x.gdata.partial-1-abcdef"])
  }

  @Test("GANREPL_CACHE_LIMIT sets the limit in GiB; nonsense keeps 16 GiB")
  func limitFromEnvironment() {
    #expect(DatasetCache.limit(environment: [:]) == 16 << 30)
    #expect(DatasetCache.limit(environment: ["GANREPL_CACHE_LIMIT": "2.5"]) == 5 << 29)
    for bad in ["", "-1", "0", "lots", "1e9"] {
      #expect(DatasetCache.limit(environment: ["GANREPL_CACHE_LIMIT": bad]) == 16 << 30, "\(bad)")
    }
  }
}
