import Session

/// The interactive loop: read a line, run it, show what happened. A user error never
/// ends the loop; Ctrl-C stops a running command (or clears the line) and returns here.
struct REPL {
  let interpreter: Interpreter
  let presenter: Presenter
  let editor: LineEditor

  static let banner = """
    ganrepl \(version): train and teach GANs on your CPU.
    Type 'help' for commands, Tab to complete, Ctrl-C to stop training, Ctrl-D to quit.
    """

  func run() {
    if editor.interactive { Terminal.out(Self.banner) }
    var parser = Parser(file: "<stdin>")
    var number = 0
    while true {
      LineEditor.insideBlock = parser.isInsideBlock
      let prompt = parser.isInsideBlock ? "   ...> " : "ganrepl> "
      guard let line = editor.readLine(prompt: prompt) else {
        if editor.interactive { Terminal.out("") }
        return
      }
      number += 1
      if Interrupt.requested {
        Interrupt.clear()
        if parser.isInsideBlock { Terminal.out("(block abandoned)") }
        parser.abandonBlock()
        continue
      }
      do {
        guard let command = try parser.read(line, number: number, variables: interpreter.state.variables) else { continue }
        let outcome = try interpreter.execute(command, report: presenter.show)
        if case .quit = outcome { return }
      } catch {
        if editor.interactive, let location = error.location, location.line == number {
          Terminal.error(String(repeating: " ", count: prompt.count + location.column - 1) + "^")
          var local = error
          local.location = nil
          presenter.error(local)
        } else {
          presenter.error(error)
        }
      }
      Interrupt.clear()
    }
  }
}
