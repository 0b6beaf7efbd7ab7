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
    try Self.checkRecordTarget(path)
    let folder = FileManager.default.currentDirectoryPath
    let text = transcript.notebook(path: path, folder: folder, date: Date())
    if state.communicator.isRoot { try Self.writeFile(Array(text.utf8), to: path) }  // rank 0 alone writes
    let n = transcript.entries.count
    report(.wrote(path: path, what: "\(n) command\(n == 1 ? "" : "s"); 'ganrepl \(path)' runs them again"))
  }

  /// Refuses a path `record` may not write: a folder, a file it did not write (its first
  /// line is not `Transcript.mark`), a folder above it that cannot be written.
  static func checkRecordTarget(_ path: String) throws(SessionError) {
    try WriteTarget.checkFile(path)
    guard FileManager.default.fileExists(atPath: path) else { return }
    guard let first = firstLine(of: path), first.hasPrefix(Transcript.mark) else {
      throw SessionError(
        .cannotWrite(
          path, reason: "it exists and 'record' did not write it, so it is kept; choose another name", advised: true))
    }
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
