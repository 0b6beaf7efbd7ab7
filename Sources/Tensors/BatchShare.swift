/// One rank's part of a batch split across `ranks` processes (data-parallel training under
/// MPI): rows `offset ..< offset + count` of the `global` rows. Rank r takes
/// `⌊r·global/ranks⌋ ..< ⌊(r+1)·global/ranks⌋`, so the parts are contiguous, cover the batch
/// once, and differ in size by at most one (32 over 3 ranks: 10, 11, 11).
public struct BatchShare: Equatable, Sendable {
  public let global: Int
  public let offset: Int
  public let count: Int

  public init(global: Int, rank: Int, ranks: Int) {
    precondition(ranks >= 1 && rank >= 0 && rank < ranks && global >= 0, "rank \(rank) of \(ranks), batch \(global)")
    self.global = global
    offset = rank * global / ranks
    count = (rank + 1) * global / ranks - offset
  }

  /// The whole batch, one process.
  public static func whole(_ global: Int) -> BatchShare { BatchShare(global: global, rank: 0, ranks: 1) }

  public var isWhole: Bool { count == global }

  /// This part's weight in a mean over the batch: count / global (exactly 1 for the whole).
  public var fraction: Float { isWhole ? 1 : Float(count) / Float(global) }

  /// This part's rows of `whole` [global, …] → [count, …], into `buffer` when it fits.
  public func rows(of whole: Tensor, reusing buffer: Tensor?) -> Tensor {
    precondition(whole.shape[0] == global, "share of \(global) rows taken from \(whole.shape)")
    let perRow = global == 0 ? 0 : whole.count / global
    var shape = whole.shape
    shape.dims[0] = count
    let part = Tensor.reusing(buffer, shape: shape)
    part.pointer.update(from: whole.pointer + offset * perRow, count: count * perRow)
    return part
  }
}

extension RandomSource {
  /// Draws `count` uniforms in [0, 1) for this process's rows of a batch and hands each to
  /// `body` with its index. Under a `share` (set while a data-parallel step runs) the draws
  /// are those of the whole batch's `count / share.count · share.global` values, of which
  /// this part's rows are kept: the stream advances as in one process, and each rank gets
  /// the numbers one process would give its rows (dropout masks stay the same).
  public func uniforms(_ count: Int, _ body: (Int, Float) -> Void) {
    guard let share, !share.isWhole, share.count > 0, count % share.count == 0 else {
      for i in 0..<count { body(i, uniform()) }
      return
    }
    let perRow = count / share.count
    for _ in 0..<(share.offset * perRow) { _ = generator.next() }
    for i in 0..<count { body(i, uniform()) }
    for _ in 0..<((share.global - share.offset - share.count) * perRow) { _ = generator.next() }
  }
}
