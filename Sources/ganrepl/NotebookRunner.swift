import Foundation
import Session

/// Runs a `.gan` notebook top to bottom: the whole file is read first (a mistake on the
/// last line is reported before anything trains), then each command runs in order with
/// its line (which the parser kept with it) echoed. Stops at the first error with `file:line:col: error: …`.
struct NotebookRunner {
  let path: String
  let interpreter: Interpreter
  let presenter: Presenter
  let echo: Bool
  /// Whether Ctrl-C was pressed; under mpirun, on any rank (so all stop together).
  var interrupted: () -> Bool = { Interrupt.requested }

  /// The process exit code: 0 when every command succeeded, 1 on an error, 130 when
  /// interrupted (143 or 129 when SIGTERM or SIGHUP stopped it). The whole run counts as
  /// running for those signals, so one between two lines stops it cleanly too.
  func run() -> Int32 {
    Interrupt.running = true
    defer { Interrupt.running = false }
    if let problem = Self.notAFile(path) {
      presenter.error(SessionError(problem))
      return 1
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      presenter.error(SessionError(.cannotRead(path, reason: "not a UTF-8 text file")))
      return 1
    }
    let notebook: Notebook
    do {
      notebook = try Notebook(text: text, file: path, variables: interpreter.state.variables)
      try notebook.checkParameters(given: interpreter.state.variables.keys)
      try notebook.checkWriteTargets()
    } catch {
      presenter.error(error)
      return 1
    }
    for command in notebook.commands {
      if echo && !presenter.isQuietRank {
        Terminal.out("ganrepl> " + command.source.trimmingCharacters(in: .whitespaces))
      }
      do {
        if case .quit = try interpreter.execute(command, report: presenter.show) { return 0 }
        presenter.commandFinished()
      } catch {
        presenter.error(error)
        if case .unsavedTraining = error.kind {} else { unsavedNote() }  // that error says so itself
        return Interrupt.requested ? Interrupt.status : 1
      }
      if interrupted() {
        presenter.error(SessionError(.notebookStopped(path), at: command.location))
        unsavedNote()
        return Interrupt.status
      }
    }
    return 0
  }

  /// A notebook that stops early throws away what it trained since its last save: say so,
  /// so that a long run's loss is not a surprise (the end of a notebook is on purpose).
  private func unsavedNote() {
    let n = interpreter.state.unsavedSteps
    guard n > 0, !presenter.isQuietRank else { return }
    let rule = interpreter.state.every.contains { if case .save = $0.action { true } else { false } }
    Terminal.error(
      "note: the notebook stopped with \(n) training step\(n == 1 ? "" : "s") not saved since its last save"
        + (rule ? "" : "; an 'every 500 steps save \"PATH\"' rule keeps a long run's work"))
  }

  /// Why `path` cannot be a notebook before reading it (missing, a folder, a FIFO or a
  /// device, which would block or never end), or nil for a regular file.
  static func notAFile(_ path: String) -> SessionError.Kind? {
    var info = stat()
    guard stat(path, &info) == 0 else {
      return errno == ENOENT || errno == ENOTDIR
        ? .noSuchPath(path) : .cannotRead(path, reason: String(cString: strerror(errno)))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return .cannotRead(path, reason: "it is a folder, not a notebook file")
    case S_IFIFO: return .cannotRead(path, reason: "it is a FIFO (named pipe), not a regular file")
    default: return .cannotRead(path, reason: "it is not a regular file")
    }
  }
}
