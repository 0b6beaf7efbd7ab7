import Layers
import Tensors

extension Training {
  /// A discriminator with `pack M` judges M samples at once, so every batch it sees (the
  /// whole batch, a kept last batch, each MPI rank's part) must split into packs of M.
  func checkPacks() throws(SessionError) {
    guard let d = state.networks[.discriminator], let dataset = state.dataset else { return }
    let m = d.samplesPerOutput
    guard m > 1 else { return }
    let pack = "\(m), the discriminator's pack"
    if state.batch % m != 0 {
      let below = state.batch / m * m
      let suggestion = below > 0 ? "'set batch \(below)' or 'set batch \(below + m)'" : "'set batch \(m)'"
      throw SessionError(
        .invalidValue("\(state.batch)", for: "batch", expected: "a multiple of \(pack): \(suggestion)"))
    }
    let last = dataset.count % state.batch
    if state.keepLastBatch && last % m != 0 {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected:
            "a batch that leaves a last batch that is a multiple of \(pack) (\(dataset.count) samples leave \(last)),"
            + " or 'set keep-last-batch false'"))
    }
    let ranks = state.communicator.size
    for rank in 0..<ranks where BatchShare(global: state.batch, rank: rank, ranks: ranks).count % m != 0 {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected: "a multiple of \(ranks * m): each of the \(ranks) MPI ranks packs its own rows in packs of \(m)"))
    }
  }
}
