import Foundation
import Session

/// At the REPL, `save` into a folder that holds a saved session this run neither loaded nor
/// saved is refused once with a warning naming that session's step; the same `save` again
/// replaces it. A typo or a stale history line must not quietly replace another run's
/// weights. Notebooks and piped input save as written: a notebook run again saves over its
/// own last run, as a script's `torch.save` does.
struct SaveTargets {
  /// Folders (real paths) this run loaded from or saved to.
  private var own: Set<String> = []
  /// The folder of the save just refused: the next command, if it is that save, goes ahead.
  private var refused: String?

  /// The warning that refuses `command`, or nil to run it. Any other command, or the same
  /// save a second time in a row, clears the refusal.
  mutating func refusal(for command: Command) -> String? {
    let asked = refused
    refused = nil
    guard case .save(let path) = command, let folder = Self.realPath(path), !own.contains(folder),
      let step = Interpreter.savedStep(in: folder), asked != folder
    else { return nil }
    refused = folder
    return "'\(path)' holds another saved session\(step.map { " at step \($0)" } ?? ""), which this session"
      + " did not load or save\n  'save \"\(path)\"' again replaces it; or choose another name"
  }

  /// Ctrl-C at the prompt: a refused save is asked again.
  mutating func forgetRefusal() { refused = nil }

  /// `command` ran: a folder it saved to or loaded from is this run's to save over.
  mutating func ran(_ command: Command) {
    switch command {
    case .save(let path), .load(let path, _):
      if let folder = Self.realPath(path) { own.insert(folder) }
    default: break
    }
  }

  /// The path with links and `..` resolved, if it exists.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
