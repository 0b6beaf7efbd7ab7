import Foundation
import Testing

@testable import Session

@Suite("Stranded cache files")
struct CacheSweepTests {
  /// The pid of a process that has exited.
  static func deadPid() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  static func touch(_ path: String, modified: Date = Date()) throws {
    try Data(count: 100).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
  }

  @Test("only ganrepl's own names count as its temporaries")
  func names() {
    #expect(DatasetCache.strandedOwner("1f3a.gdata.partial-4242-Ab12cD") == .some(4242))
    #expect(DatasetCache.strandedOwner("1f3a.gdata.partial-Ab12cD") == .some(nil))
    for other in [
      "1f3a.gdata", "photos.gdata.partial-4242-Ab12cD", "1f3a.gdata.partial-4242-Ab12c", "1f3a.gdata.partial--Ab12cD",
      "1f3a.gdata.partial-0-Ab12cD", "1f3a.gdata.partial-4242-Ab12cD.bak", "notes.partial-4242-Ab12cD",
      ".gdata.partial-1-abcdef",
    ] {
      #expect(DatasetCache.strandedOwner(other) == nil, "\(other)")
    }
  }

  @Test("a partial file from a dead process is swept; a live writer's, a locked one and the user's files are not")
  func sweep() throws {
    let folder = temporaryFolder()
    let dead = try Self.deadPid()
    let stale = "a1.gdata.partial-\(dead)-Zz9Qq1"
    let old = "a2.gdata.partial-Qq1Zz9"
    let fresh = "a3.gdata.partial-Qq1Zz8"
    let locked = "a4.gdata.partial-\(dead)-Lock12"
    let mine = "a5.gdata.partial-\(getpid())-Mine12"
    let users = ["a6.gdata", "photos.gdata.partial-\(dead)-Zz9Qq1", "notes.txt"]
    for name in [stale, fresh, locked, mine] + users { try Self.touch(folder + "/" + name) }
    try Self.touch(folder + "/" + old, modified: Date(timeIntervalSinceNow: -3 * 24 * 3600))
    // A writer elsewhere (another pid namespace, say) holds the lock of `locked`.
    let holder = open(folder + "/" + locked, O_RDONLY)
    #expect(flock(holder, LOCK_EX) == 0)
    defer { close(holder) }

    #expect(DatasetCache.sweepStranded(in: folder) == [stale, old].sorted())
    let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(left == ([fresh, locked, mine] + users).sorted())
  }

  @Test("a cache writer's temporary carries the pid, survives a sweep while it lives, and is gone after")
  func writerSurvivesSweep() throws {
    let folder = temporaryFolder()
    var writer: DatasetCache.Writer? = try DatasetCache.Writer.create(folder + "/beef.gdata")
    let name = (writer!.temporary as NSString).lastPathComponent
    #expect(DatasetCache.strandedOwner(name) == .some(getpid()))
    #expect(DatasetCache.sweepStranded(in: folder).isEmpty)
    #expect(FileManager.default.fileExists(atPath: writer!.temporary))
    writer = nil
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test("a load with the cache on sweeps what a killed load left behind")
  func loadSweeps() throws {
    let folder = temporaryFolder(), cache = temporaryFolder("cache")
    try ImageTests.card(20, 20).writePNG(to: folder + "/a.png")
    let stale = "c0ffee.gdata.partial-\(try Self.deadPid())-Kill09"
    try Self.touch(cache + "/" + stale)
    var spec = DataSpec(source: .folder(folder))
    spec.size = 8
    let report = try ImageFolderLoader.load(
      spec, path: folder, threads: 1, cacheDirectory: cache, progress: { _, _ in }, shouldStop: { false })
    #expect(report.dataset.count == 1)
    #expect(!FileManager.default.fileExists(atPath: cache + "/" + stale))
  }
}
