import Glibc
import Session

/// The interactive loop: read a line, run it, show what happened. A user error never
/// ends the loop; Ctrl-C stops a running command (or drops the line) and returns here.
struct REPL {
  let interpreter: Interpreter
  let presenter: Presenter
  let editor: LineEditor

  static let banner = """
    ganrepl \(version): train and teach GANs on your CPU.
    Type 'help' for commands, Tab to complete, Ctrl-C to stop training, Ctrl-D to quit.
    """

  /// What became of one line.
  private enum LineOutcome {
    case ran
    /// Asked to be confirmed (a save over another session, a discard): not a failure, but a
    /// paste stops there, as the lines after it assumed it ran.
    case refused
    case failed
    case quit
  }

  /// The session's line reader and what it is waiting for.
  private struct Reading {
    var parser = Parser(file: "<stdin>")
    var number = 0
    /// A command refused because it would discard unsaved training (asked once).
    var refused: DiscardConfirmation?
    /// Saved sessions this run may save over, and a save refused once.
    let saves = SaveTargets()
    /// Lines of the open network block that failed: `end` says they are not in it (a paste
    /// without bracketed paste runs on past a failing layer line).
    var failedInBlock: [String] = []

    var prompt: String { parser.isInsideBlock ? "   ...> " : "ganrepl> " }
  }

  /// Runs until `quit` or the end of the input; true if any command failed (the exit code
  /// for piped input).
  func run() -> Bool {
    if editor.interactive { Terminal.out(TextWrap.wrapped(Self.banner, width: Terminal.columns)) }
    var reading = Reading()
    var failed = false
    while true {
      LineEditor.insideBlock = reading.parser.isInsideBlock
      switch editor.read(prompt: reading.prompt) {
      case .end:
        if editor.interactive { Terminal.out("") }
        if mayDiscard(.quit, &reading) { return failed }
      case .interrupted:
        reading.refused = nil
        reading.saves.forgetRefusal()
        if reading.parser.isInsideBlock { Terminal.out("(block abandoned)") }
        reading.parser.abandonBlock()
        reading.failedInBlock = []
      case .lines(let lines, let pasted):
        paste: for (i, line) in lines.enumerated() {
          if pasted { Terminal.out(reading.prompt + line) }
          let outcome = run(line, &reading)
          if Interrupt.terminating != 0 { end() }
          let interrupted = Interrupt.requested
          Interrupt.clear()
          switch outcome {
          case .quit: return failed
          case .failed: failed = true
          case .refused: break
          case .ran: if !interrupted { continue }
          }
          // A paste stops at its first failure, refusal or Ctrl-C, like a notebook.
          if i + 1 < lines.count {
            Terminal.out(
              "(the rest of the paste was skipped\(reading.parser.isInsideBlock ? "; block abandoned" : ""))")
            reading.parser.abandonBlock()
            reading.failedInBlock = []
          }
          break paste
        }
      }
    }
  }

  /// SIGTERM or SIGHUP stopped the command: ganrepl ends, saying what was not saved.
  private func end() -> Never {
    let n = interpreter.state.unsavedSteps
    if n > 0 {
      Terminal.error("note: ganrepl ended with \(n) training step\(n == 1 ? "" : "s") not saved since the last save")
    }
    exit(Interrupt.status)
  }

  /// Reads `line` into the parser and runs the command it completes.
  private func run(_ line: String, _ reading: inout Reading) -> LineOutcome {
    let prompt = reading.prompt
    reading.number += 1
    do throws(SessionError) {
      let wasInsideBlock = reading.parser.isInsideBlock
      guard
        var command = try reading.parser.read(
          line, number: reading.number, variables: interpreter.state.variables, given: interpreter.given)
      else {
        // Typed, a trained network is refused at the block's first line, not after all of
        // it; piped, at its end (the lines after the first would each fail on their own).
        if editor.interactive, !wasInsideBlock, let header = reading.parser.openBlock {
          do throws(SessionError) {
            try interpreter.requireUntrained(header.value)
          } catch {
            reading.parser.abandonBlock()
            throw error.located(header.location)
          }
        }
        return .ran
      }
      if let confirmation = DiscardConfirmation(command.value) {
        guard !confirmation.asksFirst || mayDiscard(confirmation, &reading) else { return .refused }
        if !editor.interactive || reading.refused == confirmation {
          command.value = confirmation.confirmed(command.value)
        }
      }
      reading.refused = nil
      // Said once the block is kept: a block refused as a whole has its own error.
      var failedLines: (role: NetworkRole, lines: [String])?
      if case .network(let role, _) = command.value, !reading.failedInBlock.isEmpty {
        failedLines = (role, reading.failedInBlock)
        reading.failedInBlock = []
      }
      // Asked of the path that will be written: `save "runs/final-{step}"` names a folder.
      if editor.interactive, let warning = reading.saves.refusal(for: interpreter.filled(command.value)) {
        presenter.show(.warning(warning))
        return .refused
      }
      let (saves, presenter) = (reading.saves, presenter)
      Interrupt.running = true
      defer { Interrupt.running = false }
      let outcome = try interpreter.execute(command) { event in
        saves.observe(event)
        presenter.show(event)
      }
      presenter.commandFinished()
      if let (role, lines) = failedLines {
        let n = lines.count
        presenter.show(
          .warning(
            "\(n) line\(n == 1 ? "" : "s") of this \(role) block failed and \(n == 1 ? "is" : "are") not in it: "
              + lines.map { "'\($0)'" }.joined(separator: ", ")
              + (n == 1 ? " (a corrected line typed after it is)" : " (corrected lines typed after them are)")
              + "; 'summary \(role)' shows the network"))
      }
      saves.ran(command.value)
      return outcome == .quit ? .quit : .ran
    } catch {
      // A failed `end` (an empty block) closes the block too: its failures go with it.
      let typed = line.trimmingCharacters(in: .whitespaces)
      if reading.parser.isInsideBlock {
        // A `help` that failed inside the block was never one of its layers.
        if typed.split(separator: " ").first?.lowercased() != "help" { reading.failedInBlock.append(typed) }
      } else {
        reading.failedInBlock = []
      }
      presenter.commandFinished()
      // A load that read its saved session and found training to lose: asked once, like quit.
      if editor.interactive, case .unsavedTraining(let steps, let path) = error.kind {
        reading.refused = .load(path: path)
        presenter.show(.warning(DiscardConfirmation.load(path: path).warning(unsavedSteps: steps)))
        return .refused
      }
      // An interrupted command's output has moved on from its line: no caret under it.
      let interrupted = if case .interrupted = error.kind { true } else { false }
      if editor.interactive, let location = error.location, location.line == reading.number {
        if !interrupted { Terminal.error(String(repeating: " ", count: prompt.count + location.column - 1) + "^") }
        var local = error
        local.location = nil
        presenter.error(local)
      } else {
        presenter.error(error)
      }
      return .failed
    }
  }

  /// Whether a command that throws away unsaved training may go ahead: at the REPL, only
  /// when it is the second time in a row.
  private func mayDiscard(_ confirmation: DiscardConfirmation, _ reading: inout Reading) -> Bool {
    let unsaved = interpreter.state.unsavedSteps
    guard editor.interactive, unsaved > 0, reading.refused != confirmation else { return true }
    reading.refused = confirmation
    presenter.show(.warning(confirmation.warning(unsavedSteps: unsaved)))
    return false
  }
}
