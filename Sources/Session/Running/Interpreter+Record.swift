import Foundation

extension Interpreter {
  /// `record PATH`: the lines that ran, as a notebook; a file `record` did not write is kept.
  /// `record` alone shows them.
  func record(to path: String?) throws(SessionError) {
    guard let path else {
      let lines = transcript.lines
      report(.notice(lines.isEmpty ? "nothing has run yet" : lines.joined(separator: "\n")))
      return
    }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      let reason =
        isFolder.boolValue
        ? "it is a folder; give a file name ending in .gan"
        : "it exists and 'record' did not write it, so it is kept; choose another name"
      guard !isFolder.boolValue, let first = Self.firstLine(of: path), first.hasPrefix(Transcript.mark) else {
        throw SessionError(.cannotWrite(path, reason: reason, advised: true))
      }
    }
    let folder = FileManager.default.currentDirectoryPath
    let text = transcript.notebook(path: path, folder: folder, date: Date())
    if state.communicator.isRoot { try Self.writeFile(Array(text.utf8), to: path) }  // rank 0 alone writes
    let n = transcript.entries.count
    report(.wrote(path: path, what: "\(n) command\(n == 1 ? "" : "s"); 'ganrepl \(path)' runs them again"))
  }

  /// The first line of the file at `path`, if it can be read.
  private static func firstLine(of path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 256)) ?? Data()
    return String(decoding: head, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(
      String.init)
  }
}
