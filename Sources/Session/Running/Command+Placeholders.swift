/// `{step}`, `{epoch}` and `{index}` in the path of a command typed or read from a
/// notebook, filled in with where training is, as an `every` rule's are when it fires:
/// `save "runs/final-{step}"` after 40 steps writes `runs/final-40`.
extension Command {
  /// This command with the placeholders of its output path filled; an `every` rule keeps
  /// its own, for each time it fires.
  func filled(epoch: Int, step: Int, index: Int) -> Command {
    func fill(_ path: String) -> String { PeriodicAction.fill(path, epoch: epoch, step: step, index: index) }
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

extension Interpreter {
  /// `command` with its path's placeholders filled as an `every` rule's are after the last
  /// step taken (its epoch, the step, its batch from 0): `save "final-{epoch}"` after
  /// `train 60 epochs` writes `final-60`. Before any step: epoch 1, step 0, index 0.
  public func filled(_ command: Command) -> Command {
    guard let last = state.history.last else { return command.filled(epoch: state.epoch, step: state.step, index: 0) }
    return command.filled(epoch: last.epoch, step: state.step, index: max(last.batch - 1, 0))
  }
}
