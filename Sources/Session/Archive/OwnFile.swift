import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The files ganrepl writes over when told to — pictures, history CSVs, safetensors — and
/// how it knows its own from a user's: a user's file at the name is moved aside, never
/// replaced (`keepForeign`), so that `sample 16 "photo.png"` cannot destroy a photo.
enum OwnFile {
  case png, csv, safetensors

  /// A PNG text chunk's keyword and text: `Software`, `ganrepl` (`DecodedImage.pngBytes`).
  static let pngMark = Array("Software".utf8) + [0] + Array("ganrepl".utf8)

  /// The bytes read from the start of a file to tell.
  static let headLength = 4096

  /// Whether `head`, the start of a file, is ganrepl's output of this kind. An empty file
  /// holds nothing to keep.
  func isOurs(_ head: [UInt8]) -> Bool {
    if head.isEmpty { return true }
    switch self {
    case .png: return contains(head, Array("tEXt".utf8) + Self.pngMark)
    case .csv: return head.starts(with: Array((HistoryCSV.header.joined(separator: ",") + "\n").utf8))
    case .safetensors: return head.count > 8 && contains(Array(head.dropFirst(8)), Array("\"ganrepl.".utf8))
    }
  }

  private func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
    guard bytes.count >= part.count else { return false }
    return (0...(bytes.count - part.count)).contains { bytes[$0..<($0 + part.count)].elementsEqual(part) }
  }

  /// Moves a regular file at `path` that ganrepl did not write to `NAME.orig.EXT` (or
  /// `NAME.orig-2.EXT`, … when that is taken) and returns that path; nil when there was
  /// nothing to keep.
  func keepForeign(_ path: String) throws(SessionError) -> String? {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let head = Self.head(of: path) else { return nil }
    guard !isOurs(head) else { return nil }
    return try Self.keepAside(path)
  }

  /// Moves the file at `path` to `NAME.orig.EXT` (or `NAME.orig-2.EXT`, …) and returns that
  /// path.
  static func keepAside(_ path: String) throws(SessionError) -> String {
    let url = URL(fileURLWithPath: path)
    let (stem, ext) = (url.deletingPathExtension().lastPathComponent, url.pathExtension)
    let folder = parentFolder(of: path)
    for n in 1...1000 {
      let name = stem + ".orig" + (n == 1 ? "" : "-\(n)") + (ext.isEmpty ? "" : "." + ext)
      let kept = folder.isEmpty ? name : (folder == "/" ? "/" : folder + "/") + name
      guard access(kept, F_OK) != 0 else { continue }
      guard rename(path, kept) == 0 else {
        throw SessionError(
          .cannotWrite(path, reason: "the file there could not be kept aside: " + FileProblem.text(errno, kept)))
      }
      return kept
    }
    throw SessionError(
      .cannotWrite(
        path, reason: "it holds a file ganrepl did not write, and 1000 kept copies are beside it", advised: true))
  }

  /// The first `headLength` bytes of the file at `path`, if it can be read.
  static func head(of path: String) -> [UInt8]? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return [UInt8]((try? handle.read(upToCount: headLength)) ?? Data())
  }

  /// Whether the file at `path` is, by its marks, a picture, CSV or export ganrepl wrote.
  static func isGanrepls(_ path: String) -> Bool {
    guard let head = head(of: path), !head.isEmpty else { return false }
    return [OwnFile.png, .csv, .safetensors].contains { $0.isOurs(head) }
  }

  /// What a `wrote` line adds when a user's file was kept aside.
  static func note(_ kept: String?) -> String {
    kept.map { "; the file that was there is kept as \($0)" } ?? ""
  }
}
