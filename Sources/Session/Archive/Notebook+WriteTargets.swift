/// A notebook's write targets, checked before its first line runs: a `save` into a folder
/// that holds the user's files, a picture into a folder that cannot be written, would
/// otherwise stop a long run at its last line, with its training lost.
extension Notebook {
  /// Throws the first command's error whose path cannot be written now, at its line, with a
  /// note that nothing ran. A folder an earlier line would create counts as writable where
  /// its parent is.
  public func checkWriteTargets() throws(SessionError) {
    for command in commands {
      do {
        try Self.checkTarget(of: command.value)
      } catch {
        var located = error.located(command.location).noting(command.parameters)
        let before = "checked before the notebook ran: nothing has run yet"
        located.note = located.note.map { $0 + "\n  note: " + before } ?? before
        throw located
      }
    }
  }

  static func checkTarget(of command: Command) throws(SessionError) {
    switch command {
    case .every(let rule?): try checkTarget(of: rule.action.command)  // its save or sample
    case .save(let path) where !path.contains("{"): _ = try SaveFolder(path)
    case .record(let path?): try Interpreter.checkRecordTarget(path)
    default:
      // A file, or a folder whose name is not known yet: its folders.
      _ = try command.mappingOutputPath { path throws(SessionError) in
        try WriteTarget.checkFile(path)
        return path
      }
    }
  }
}
