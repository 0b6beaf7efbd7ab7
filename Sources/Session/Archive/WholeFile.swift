import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A file written whole or not at all: the bytes go to a hidden file beside it, which is
/// then renamed over it, so a failed write leaves the old file, and a reader never sees
/// half of the new one. Pictures, history CSVs, exports and recorded notebooks are written
/// so. A user's file at the name is kept aside first (`OwnFile`), and put back if the
/// rename fails.
enum WholeFile {
  /// Writes `bytes` to `path`; returns where a user's file of `kind` that stood there went.
  @discardableResult
  static func write(_ bytes: [UInt8], to path: String, kind: OwnFile? = nil) throws(SessionError) -> String? {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).partial").path
    try WriteTarget.checkFile(path)
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: temporary))
    } catch {
      unlink(temporary)  // the user named `path`: the file beside it is ours to remove, not to show
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(error, path)))
    }
    let kept: String?
    do throws(SessionError) {
      kept = try kind?.keepForeign(path)
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      if let kept { rename(kept, path) }  // the user's file back where it was
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(code, path)))
    }
    return kept
  }
}
