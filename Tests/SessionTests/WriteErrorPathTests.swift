import Foundation
import Testing

@testable import Session

/// A file that cannot be written is reported under the name the user gave, never under the
/// temporary name it is written to first (`.NAME.partial`, `NAME.partial-PID-…`).
@Suite("Write errors name the user's path")
struct WriteErrorPathTests {
  /// A file name of 250 characters: allowed, but its temporary name (longer) is not.
  func longName(in folder: String, _ suffix: String) -> String {
    folder + "/" + String(repeating: "a", count: 250 - suffix.count) + suffix
  }

  @Test("a PNG whose temporary name is too long: the error names the PNG, and nothing is left behind")
  func picture() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = longName(in: folder, ".png")
    let image = DecodedImage(width: 2, height: 2, channels: 1, pixels: [0, 1, 2, 3])
    do {
      try Picture(image: image, what: "a test").write(to: path)
      Issue.record("wrote \(path)")
    } catch {
      guard case .cannotWrite(let named, _, _) = error.kind else { throw error }
      #expect(named == path)
      #expect(!error.message.contains("partial"), "\(error.message)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test("a cache file whose temporary name is too long: the error names the cache file")
  func cacheFile() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = longName(in: folder, ".gdata")
    do {
      _ = try DatasetCache.Writer.create(path)
      Issue.record("created a writer for \(path)")
    } catch {
      guard case .cannotWrite(let named, _, _) = error.kind else { throw error }
      #expect(named == path)
      #expect(!error.message.contains("partial"), "\(error.message)")
    }
  }
}
