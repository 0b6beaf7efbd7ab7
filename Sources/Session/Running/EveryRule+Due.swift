import Foundation

/// When an `every` rule fires, and the action it then performs with its path filled in.
extension EveryRule {
  /// The action due after the step `stats`, which finished epoch `finishedEpoch` if any;
  /// nil when the rule does not fire. Step rules fire after steps 1, N + 1, …; batch rules
  /// when the 0-based batch index within the epoch is a multiple of N (the tutorial's
  /// `if idx % 100 == 0`); epoch rules at the end of every N-th epoch.
  func due(after stats: StepStats, finishedEpoch: Int?) -> PeriodicAction? {
    let due: Bool
    let epoch: Int
    switch period {
    case .steps(let n):
      due = (stats.step - 1) % n == 0
      epoch = stats.epoch
    case .batches(let n):
      due = (stats.batch - 1) % n == 0
      epoch = stats.epoch
    case .epochs(let n):
      due = finishedEpoch.map { $0 % n == 0 } ?? false
      epoch = finishedEpoch ?? stats.epoch
    }
    guard due else { return nil }
    return action.filled(epoch: epoch, step: stats.step, index: stats.batch - 1)
  }
}

extension PeriodicAction {
  /// The action with `{epoch}`, `{step}` and `{index}` in its path replaced.
  func filled(epoch: Int, step: Int, index: Int) -> PeriodicAction {
    func fill(_ path: String) -> String { Self.fill(path, epoch: epoch, step: step, index: index) }
    switch self {
    case .sample(let count, let path, let train):
      return .sample(count: count, path: path.map(fill), batchStatistics: train)
    case .save(let path): return .save(path: fill(path))
    }
  }

  /// `path` with `{epoch}`, `{step}` and `{index}` replaced (a rule's, or a typed command's).
  static func fill(_ path: String, epoch: Int, step: Int, index: Int) -> String {
    path.replacingOccurrences(of: "{epoch}", with: "\(epoch)")
      .replacingOccurrences(of: "{step}", with: "\(step)")
      .replacingOccurrences(of: "{index}", with: "\(index)")
  }

  /// The command that performs this action.
  var command: Command {
    switch self {
    case .sample(let count, nil, let train): .sampleFrame(count: count, batchStatistics: train)
    case .sample(let count, let path, let train):
      .sample(count: count, path: path, fresh: false, batchStatistics: train)
    case .save(let path): .save(path: path)
    }
  }
}
