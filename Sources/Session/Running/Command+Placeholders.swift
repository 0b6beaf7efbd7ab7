/// `{step}`, `{epoch}` and `{index}` in the path of a command typed or read from a
/// notebook, filled in with where training is, as an `every` rule's are when it fires:
/// `save "runs/final-{step}"` after 40 steps writes `runs/final-40`.
extension Command {
  /// This command with the placeholders of its output path filled; an `every` rule keeps
  /// its own, for each time it fires.
  func filled(epoch: Int, step: Int, index: Int) -> Command {
    mappingOutputPath { PeriodicAction.fill($0, epoch: epoch, step: step, index: index) }
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
