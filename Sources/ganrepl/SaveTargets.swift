import Foundation
import Session

/// At the REPL, `save` into a folder that holds a saved session this run neither loaded nor
/// saved is refused once with a warning naming that session's step; the same `save` again
/// replaces it. An `every … save` rule into such a folder is asked about when typed, the
/// same way. A typo or a stale history line must not quietly replace another run's
/// weights. Notebooks and piped input save as written: a notebook run again saves over its
/// own last run, as a script's `torch.save` does.
final class SaveTargets {
  /// Folders (real paths) this run loaded from or wrote a session to.
  private var own: Set<String> = []
  /// The folder of the save just refused: the next command, if it is that save, goes ahead.
  private var refused: String?

  /// The warning that refuses `command`, or nil to run it. Any other command, or the same
  /// save a second time in a row, clears the refusal.
  func refusal(for command: Command) -> String? {
    let asked = refused
    refused = nil
    let path: String
    let again: String
    switch command {
    case .save(let target):
      (path, again) = (target, "'save \"\(target)\"' again replaces it")
    case .every(let rule?):
      guard case .save(let target) = rule.action, !target.contains("{") else { return nil }
      (path, again) = (target, "the rule would replace it at its first save: type the rule again to keep it")
    default: return nil
    }
    guard let folder = Self.realPath(path), !own.contains(folder), let step = Interpreter.savedStep(in: folder),
      asked != folder
    else { return nil }
    refused = folder
    return "'\(path)' holds another saved session\(step.map { " at step \($0)" } ?? ""), which this session"
      + " did not load or save\n  \(again); or choose another name"
  }

  /// Ctrl-C at the prompt: a refused save is asked again.
  func forgetRefusal() { refused = nil }

  /// What a running command reports: a session it wrote (`save`, or an `every` rule's) is
  /// this run's to save over.
  func observe(_ event: SessionEvent) {
    guard case .wrote(let path, _) = event, let folder = Self.realPath(path), Interpreter.savedStep(in: folder) != nil
    else { return }
    own.insert(folder)
  }

  /// `command` ran: a folder it loaded from is this run's to save over.
  func ran(_ command: Command) {
    if case .load(let path, _) = command, let folder = Self.realPath(path) { own.insert(folder) }
  }

  /// The path with links and `..` resolved, if it exists.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
