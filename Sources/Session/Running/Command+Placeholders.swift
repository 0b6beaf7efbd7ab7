/// `{step}`, `{epoch}` and `{index}` in the path of a command typed or read from a
/// notebook, filled in with where training is, as an `every` rule's are when it fires:
/// `save "runs/final-{step}"` after 40 steps writes `runs/final-40`.
extension Command {
  /// This command with the placeholders of its output path filled; an `every` rule keeps
  /// its own, for each time it fires.
  func filled(epoch: Int, step: Int, index: Int) -> Command {
    func fill(_ path: String) -> String {
      PeriodicAction.save(path: path).filled(epoch: epoch, step: step, index: index).path
    }
    switch self {
    case .save(let path): return .save(path: fill(path))
    case .sample(let count, let path, let fresh, let train):
      return .sample(count: count, path: path.map(fill), fresh: fresh, batchStatistics: train)
    case .export(let item, let path): return .export(item, path: fill(path))
    case .plot(let path): return .plot(path: fill(path))
    case .show(.historyFile(let last, let path)): return .show(.historyFile(last: last, path: fill(path)))
    case .show(.data(let count, let path)): return .show(.data(count: count, path: path.map(fill)))
    case .interpolate(let from, let to, let steps, let path):
      return .interpolate(from: from, to: to, steps: steps, path: path.map(fill))
    case .nearest(let count, let path): return .nearest(count: count, path: path.map(fill))
    default: return self
    }
  }
}

extension PeriodicAction {
  /// The path the action writes, or "" for the terminal's flip-book.
  var path: String {
    switch self {
    case .sample(_, let path, _): path ?? ""
    case .save(let path): path
    }
  }
}
