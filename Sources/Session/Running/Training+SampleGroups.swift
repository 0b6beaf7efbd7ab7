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
      let suggestion =
        state.communicator.size > 1
        ? batchesToTry(d, dataset.count)
        : below > 0 ? "'set batch \(below)' or 'set batch \(below + m)'" : "'set batch \(m)'"
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
    try checkParts(splitInto: m, pack, "packs its own part", d, dataset.count)
  }

  /// A discriminator with `mbstd group=G` compares the samples of each group of G. Alone,
  /// a batch that is not a multiple of G puts its remainder in the last group; under mpirun
  /// each rank forms the groups of its own part of the batch, so a run is refused unless
  /// every rank's part of every batch splits into whole groups (then the groups are the
  /// single-process ones; a few other batches would be too, and are refused all the same).
  func checkGroups() throws(SessionError) {
    guard state.communicator.size > 1, let d = state.networks[.discriminator], let dataset = state.dataset else {
      return
    }
    for (unit, group) in groupUnits(d) {
      try checkParts(splitInto: unit, group, "forms the groups of its own part", d, dataset.count)
    }
  }

  /// Each rank's part of the batch, and of a kept last batch, must be a multiple of `unit`
  /// (`what` names it; `doing` says what each rank does with its part).
  private func checkParts(
    splitInto unit: Int, _ what: String, _ doing: String, _ d: Sequential, _ count: Int
  ) throws(SessionError) {
    let ranks = state.communicator.size
    if !splits(state.batch, into: unit) {
      throw SessionError(
        .invalidValue(
          "\(state.batch)", for: "batch",
          expected:
            "parts that are each a multiple of \(what): each of the \(ranks) MPI ranks \(doing)"
            + " (\(parts(of: state.batch))); \(batchesToTry(d, count))"))
    }
    let last = count % state.batch
    guard state.keepLastBatch, last > 0, !splits(last, into: unit) else { return }
    throw SessionError(
      .invalidValue(
        "\(state.batch)", for: "batch",
        expected:
          "a batch that leaves a last batch whose parts on the \(ranks) MPI ranks are each a multiple"
          + " of \(what) (\(count) samples leave \(last): \(parts(of: last))); \(batchesToTryOrDropLast(d, count))"))
  }

  /// Rows per group at each `mbstd` (its group times the packs before it), with how a
  /// message names it; none for one process, whose groups take any batch.
  private func groupUnits(_ d: Sequential) -> [(unit: Int, name: String)] {
    guard state.communicator.size > 1 else { return [] }
    var packs = 1
    var units: [(Int, String)] = []
    for spec in d.specs {
      if case .pack(let m) = spec { packs *= m }
      guard case .minibatchStdDev(let g) = spec else { continue }
      units.append(
        packs > 1
          ? (packs * g, "\(packs * g), the discriminator's mbstd group (\(g) packs of \(packs))")
          : (g, "\(g), the discriminator's mbstd group"))
    }
    return units
  }

  /// What to try instead: the nearest batch sizes below and above this one that pass every
  /// check here and in `checkRanks` ("try 'set batch 24' or 'set batch 36'"), or, when a
  /// kept last batch rules out every size, those that pass without it.
  private func batchesToTry(_ d: Sequential, _ count: Int) -> String {
    let kept = batches(d, count, keepingLast: state.keepLastBatch)
    if !kept.isEmpty { return "try " + kept }
    let dropped = state.keepLastBatch ? batches(d, count, keepingLast: false) : ""
    return dropped.isEmpty ? "no batch size up to \(count) does" : "try 'set keep-last-batch false' with " + dropped
  }

  /// The same for a refused last batch, where dropping it is the other way out.
  private func batchesToTryOrDropLast(_ d: Sequential, _ count: Int) -> String {
    let kept = batches(d, count, keepingLast: true)
    return "try " + (kept.isEmpty ? "" : kept + " or ") + "'set keep-last-batch false'"
  }

  /// "'set batch 24' or 'set batch 36'": the nearest sizes on either side that work; "" for none.
  private func batches(_ d: Sequential, _ count: Int, keepingLast: Bool) -> String {
    let units = [d.samplesPerOutput] + groupUnits(d).map(\.unit)
    let ranks = state.communicator.size
    func works(_ batch: Int) -> Bool {
      let last = keepingLast ? count % batch : 0
      return batch >= ranks && (last == 0 || last >= ranks)
        && units.allSatisfy { splits(batch, into: $0) && (last == 0 || splits(last, into: $0)) }
    }
    let below = stride(from: state.batch - 1, through: 1, by: -1).first(where: works)
    let above = state.batch < count ? (state.batch + 1...count).first(where: works) : nil
    return [below, above].compactMap { $0 }.map { "'set batch \($0)'" }.joined(separator: " or ")
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
