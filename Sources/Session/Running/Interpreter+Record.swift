import Foundation

extension Interpreter {
  /// `record PATH`: the lines that ran, as a notebook; a file `record` did not write is kept.
  /// A recording this process wrote there, unchanged since, is replaced; another one (from
  /// another session, or edited since) is kept aside as NAME.orig.gan. `record` alone shows
  /// the lines.
  func record(to path: String?) throws(SessionError) {
    guard let path else {
      let lines = transcript.lines
      report(.notice(lines.isEmpty ? "nothing has run yet" : lines.joined(separator: "\n")))
      return
    }
    try Self.checkRecordTarget(path)
    let folder = FileManager.default.currentDirectoryPath
    let text = transcript.notebook(path: path, folder: folder, date: Date())
    var kept: String?
    if state.communicator.isRoot {  // rank 0 alone writes
      let there = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
      if let there, there != recordings[path] { kept = try OwnFile.keepAside(path) }
      do {
        try WholeFile.write(Array(text.utf8), to: path)
      } catch {
        if let kept { rename(kept, path) }  // the recording back where it was
        throw error
      }
      recordings[path] = text
    }
    let n = transcript.entries.count
    for path in transcript.savedOver {
      report(
        .warning(
          "the record loads \(Lexer.quoted(path)), which this session saved over after loading it: run again, it"
            + " loads the later save, not the one loaded here (copy a save elsewhere before training on from it)"))
    }
    report(
      .wrote(
        path: path,
        what: "\(n) command\(n == 1 ? "" : "s"); 'ganrepl \(Self.shellWord(path))' runs \(n == 1 ? "it" : "them")"
          + " again"
          + OwnFile.note(kept)))
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

  /// `path` as a shell reads it back: as it is when it holds only safe characters, else in
  /// double quotes with `"`, `\`, `$` and `` ` `` escaped.
  static func shellWord(_ path: String) -> String {
    let safe = path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+,:@%".contains($0) }
    guard !safe || path.isEmpty else { return path }
    var quoted = "\""
    for c in path {
      if "\"\\$`".contains(c) { quoted.append("\\") }
      quoted.append(c)
    }
    return quoted + "\""
  }

  /// The first line of the file at `path`, if it can be read.
  private static func firstLine(of path: String) -> String? {
    guard let head = OwnFile.head(of: path) else { return nil }
    return String(decoding: head, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(
      String.init)
  }
}
