import Session

/// At the REPL, a command that would throw away training since the last save (`quit`,
/// Ctrl-D, `load`, `reset`) is refused once with a warning; the same command again goes
/// ahead. `load` first reads the saved session and refuses itself (`.unsavedTraining`), so
/// a path that cannot be loaded fails without a warning. Notebooks and piped input are not
/// asked: there `load` needs `discard`, and the end of the input or a reset is meant.
/// `reset discard`, like `load … discard`, is not asked.
enum DiscardConfirmation: Equatable {
  case quit
  case load(path: String)
  case reset

  /// The confirmation `command` needs, if it is one that discards training.
  init?(_ command: Command) {
    switch command {
    case .quit: self = .quit
    case .load(let path, discard: false): self = .load(path: path)
    case .reset(discard: false): self = .reset
    default: return nil
    }
  }

  /// `command` with the user's go-ahead: a `load` that may discard.
  func confirmed(_ command: Command) -> Command {
    guard case .load(let path, _) = command else { return command }
    return .load(path: path, discard: true)
  }

  /// The warning shown when the command is refused.
  func warning(unsavedSteps n: Int) -> String {
    let again =
      switch self {
      case .quit: "quit again (or Ctrl-D) to leave anyway"
      case .load: "repeat the load to load anyway"
      case .reset: "'reset' again (or 'reset discard') to reset anyway"
      }
    return
      "\(n) training step\(n == 1 ? "" : "s") since the last save will be lost\n"
      + "  save with 'save \"PATH\"', or \(again)"
  }

  /// Whether the REPL asks before running the command; `load` asks only once it has read
  /// the saved session (it throws `.unsavedTraining`).
  var asksFirst: Bool {
    if case .load = self { return false }
    return true
  }
}
