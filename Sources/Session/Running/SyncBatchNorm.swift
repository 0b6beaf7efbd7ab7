import Layers

/// `set sync-batchnorm true|false`: under mpirun, BatchNorm's batch statistics (Σx, Σx²
/// and the rows) and, in its backward, Σdy and Σ(dy·x̂) are summed over the ranks (one
/// small allreduce each), so each rank normalises with the whole batch's statistics and a
/// BatchNorm network follows the single-process run to float rounding. Off (the default,
/// as Horovod's): each rank's part of the batch. One process: nothing changes either way.
extension Interpreter {
  func setSyncBatchNorm(_ on: Bool) {
    state.syncBatchNorm = on
    let note = state.communicator.size > 1 ? "" : " (one process: batchnorm already sees the whole batch)"
    report(.notice("sync-batchnorm \(on)" + note))
  }
}

extension Training {
  /// Hooks (or unhooks) every BatchNorm of both networks to the ranks, as the setting says:
  /// before each run, so networks defined or loaded since are included.
  func syncBatchNorm() {
    let ranks = state.communicator
    let sum: ((UnsafeMutableBufferPointer<Double>) -> Void)? =
      state.syncBatchNorm && ranks.size > 1 ? { ranks.sum($0) } : nil
    for role in NetworkRole.allCases {
      for case let norm as BatchNorm in state.networks[role]?.layers ?? [] { norm.sumOverRanks = sum }
    }
  }
}
