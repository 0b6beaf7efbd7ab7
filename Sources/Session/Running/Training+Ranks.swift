import Layers

/// What `Training` adds when several processes share each step (mpirun): every rank
/// needs at least one sample of every batch, starts from rank 0's weights, and sees the
/// same BatchNorm running statistics before they are used. One process: nothing.
extension Training {
  /// Refuses a batch, or an epoch's short last batch, that leaves a rank without samples.
  func checkRanks() throws(SessionError) {
    let ranks = state.communicator.size
    guard ranks > 1, let dataset = state.dataset else { return }
    if state.batch < ranks {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch", expected: "at least \(ranks), one sample for each of the \(ranks) MPI ranks"))
    }
    let last = dataset.count % state.batch
    if state.keepLastBatch && last > 0 && last < ranks {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected:
            "a batch that leaves a last batch of 0 or at least \(ranks) images (\(dataset.count) images leave \(last)"
            + " for \(ranks) MPI ranks), or 'set keep-last-batch false'"))
    }
  }

  /// Rank 0's weights (and running statistics) on every rank, when a trainer is built:
  /// the ranks drew the same weights from the same seed, and this makes sure of it.
  func shareWeights(of trainer: GANTrainer) {
    trainer.exchange.broadcastWeights(of: trainer.generator)
    trainer.exchange.broadcastWeights(of: trainer.discriminator)
  }

  /// Each rank's BatchNorm running statistics replaced by their mean over the ranks:
  /// after a run and before an `every` action, so samples and saves use the same ones.
  func averageRunningStatistics() {
    guard state.communicator.size > 1 else { return }
    let exchange = NetworkExchange(state.communicator)
    for role in NetworkRole.allCases {
      if let network = state.networks[role] { exchange.averageRunningStatistics(of: network) }
    }
  }
}
