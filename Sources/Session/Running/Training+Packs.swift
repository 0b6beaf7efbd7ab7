import Layers
import Tensors

extension Training {
  /// A discriminator with `pack M` judges M samples at once, so every batch it sees (the
  /// whole batch, a kept last batch, each MPI rank's part of either) must split into packs of M.
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
    if !splits(state.batch, into: m) {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected: "a multiple of \(ranks * m): each of the \(ranks) MPI ranks packs its own rows in packs of \(m)"))
    }
    try checkLastBatch(last, splitsInto: m, pack, dataset.count)
  }

  /// A discriminator with `mbstd group=G` compares the samples of each group of G. Alone,
  /// a batch that is not a multiple of G puts its remainder in the last group; under mpirun
  /// each rank forms the groups of its own part of the batch, so the run follows the
  /// single-process one only when every rank's part of every batch splits into whole groups.
  func checkGroups() throws(SessionError) {
    let ranks = state.communicator.size
    guard ranks > 1, let d = state.networks[.discriminator], let dataset = state.dataset else { return }
    var packs = 1  // after a `pack`, a group's rows are packs of samples
    for spec in d.specs {
      if case .pack(let m) = spec { packs *= m }
      guard case .minibatchStdDev(let g) = spec else { continue }
      let unit = packs * g
      let group =
        packs > 1
        ? "\(unit), the discriminator's mbstd group (\(g) packs of \(packs))" : "\(g), the discriminator's mbstd group"
      if !splits(state.batch, into: unit) {
        let step = ranks * unit
        let below = state.batch / step * step
        let suggestion = below > 0 ? "'set batch \(below)' or 'set batch \(below + step)'" : "'set batch \(step)'"
        throw SessionError(
          .invalidValue(
            "\(state.batch)", for: "batch",
            expected:
              "parts that are each a multiple of \(group): each of the \(ranks) MPI ranks forms the groups of its"
              + " own part (\(parts(of: state.batch))): \(suggestion)"))
      }
      try checkLastBatch(dataset.count % state.batch, splitsInto: unit, group, dataset.count)
    }
  }

  /// A kept last batch of `last` rows must split as a whole batch does on every rank.
  private func checkLastBatch(_ last: Int, splitsInto unit: Int, _ what: String, _ count: Int) throws(SessionError) {
    guard state.keepLastBatch, last > 0, !splits(last, into: unit) else { return }
    throw SessionError(
      .invalidValue(
        "\(state.batch)", for: "batch",
        expected:
          "a batch that leaves a last batch whose parts on the \(state.communicator.size) MPI ranks are each a multiple"
          + " of \(what) (\(count) samples leave \(last): \(parts(of: last))), or 'set keep-last-batch false'"))
  }

  /// Whether each rank's part of `global` rows is a multiple of `unit` (one process: the whole).
  private func splits(_ global: Int, into unit: Int) -> Bool {
    let ranks = state.communicator.size
    return (0..<ranks).allSatisfy { BatchShare(global: global, rank: $0, ranks: ranks).count % unit == 0 }
  }

  /// "10 + 11 + 11": the ranks' parts of `global` rows.
  private func parts(of global: Int) -> String {
    let ranks = state.communicator.size
    return (0..<ranks).map { "\(BatchShare(global: global, rank: $0, ranks: ranks).count)" }.joined(separator: " + ")
  }
}
