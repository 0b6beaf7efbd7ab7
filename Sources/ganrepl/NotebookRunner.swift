import Foundation
import Session

/// Runs a `.gan` notebook top to bottom: the whole file is read first (a mistake on the
/// last line is reported before anything trains), then each command runs in order with
/// its line echoed. Stops at the first error with `file:line:col: error: …`.
struct NotebookRunner {
  let path: String
  let interpreter: Interpreter
  let presenter: Presenter
  let echo: Bool

  /// The process exit code: 0 when every command succeeded, 1 on an error, 130 when
  /// interrupted.
  func run() -> Int32 {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      presenter.error(SessionError(FileManager.default.fileExists(atPath: path)
        ? .cannotRead(path, reason: "not a UTF-8 text file") : .noSuchPath(path)))
      return 1
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let notebook: Notebook
    do {
      notebook = try Notebook(text: text, file: path, variables: interpreter.state.variables)
      try notebook.checkParameters(given: interpreter.state.variables.keys)
    } catch {
      presenter.error(error)
      return 1
    }
    for command in notebook.commands {
      if echo { Terminal.out("ganrepl> " + lines[command.location.line - 1].trimmingCharacters(in: .whitespaces)) }
      do {
        if case .quit = try interpreter.execute(command, report: presenter.show) { return 0 }
      } catch {
        presenter.error(error)
        return Interrupt.requested ? 130 : 1
      }
      if Interrupt.requested {
        presenter.error(SessionError(.interrupted("running \(path)"), at: command.location))
        return 130
      }
    }
    return 0
  }
}
