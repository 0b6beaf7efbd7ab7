/// The file or folder a command writes, named once for everything that reads or rewrites
/// it: `{step}` filled in (`Interpreter.filled`), the checks before a notebook runs
/// (`Notebook.checkTarget`).
extension Command {
  /// This command with its output path replaced by `change(path)`; unchanged when it writes
  /// nothing, or draws in the terminal. An `every` rule's path is its own, filled each time
  /// the rule fires.
  func mappingOutputPath<E: Error>(_ change: (String) throws(E) -> String) throws(E) -> Command {
    switch self {
    case .save(let path): return .save(path: try change(path))
    case .sample(let count, let path?, let fresh, let train):
      return .sample(count: count, path: try change(path), fresh: fresh, batchStatistics: train)
    case .export(let item, let path): return .export(item, path: try change(path))
    case .plot(let path): return .plot(path: try change(path))
    case .show(.historyFile(let last, let path)): return .show(.historyFile(last: last, path: try change(path)))
    case .show(.data(let count, let path?)): return .show(.data(count: count, path: try change(path)))
    case .interpolate(let from, let to, let steps, let path?):
      return .interpolate(from: from, to: to, steps: steps, path: try change(path))
    case .nearest(let count, let path?): return .nearest(count: count, path: try change(path))
    case .record(let path?): return .record(path: try change(path))
    default: return self
    }
  }
}
