import Tensors

/// Where training is in the data: the epoch (1-based), how many of its batches are done,
/// and the epoch's order of samples with the shuffle stream's state it was drawn from.
/// Every change of position goes through this type: a step advances it, new data or a new
/// batch size restarts the epoch, `reset` starts over and `load` restores a saved one.
///
/// The order is never saved: it is drawn when the epoch's first batch is needed, and after
/// a load it is drawn again from the saved shuffle state, so it comes out the same.
public struct EpochPosition: Equatable, Sendable {
  public private(set) var epoch = 1
  public private(set) var batchInEpoch = 0
  /// The shuffle stream's state when the current epoch's order was drawn; nil until then.
  public private(set) var shuffleState: [UInt64]?
  private var order: [Int] = []

  /// The start of the first epoch.
  public init() {}

  /// How many batches of `batch` samples an epoch over `count` samples has: the last,
  /// short batch counts only when `keepLast` is set.
  public static func batches(of count: Int, batch: Int, keepLast: Bool) -> Int {
    let full = count / batch
    return keepLast && count % batch != 0 ? full + 1 : full
  }

  /// A saved position; its order is drawn again from `shuffleState` when the next batch is
  /// needed (the state is checked when the session is validated).
  public init(epoch: Int, batchInEpoch: Int, shuffleState: [UInt64]?) {
    self.epoch = epoch
    self.batchInEpoch = batchInEpoch
    self.shuffleState = shuffleState
  }

  /// The current epoch's order of `count` samples: a permutation from `shuffle` when the
  /// epoch starts, or, mid-epoch after a load, the one drawn from the saved shuffle state.
  public mutating func order(of count: Int, shuffle: RandomSource) -> [Int] {
    if order.isEmpty {
      if batchInEpoch > 0, let words = shuffleState, let generator = SeededGenerator(state: words) {
        order = RandomSource(generator: generator).permutation(count)
      } else {
        shuffleState = shuffle.generator.state
        order = shuffle.permutation(count)
      }
    }
    return order
  }

  /// One more batch done in an epoch of `batchesPerEpoch`; returns the epoch this batch
  /// finished, if it was the last, and moves to the start of the next.
  public mutating func advance(batchesPerEpoch: Int) -> Int? {
    batchInEpoch += 1
    guard batchInEpoch >= batchesPerEpoch else { return nil }
    let finished = epoch
    epoch += 1
    restartEpoch()
    return finished
  }

  /// The current epoch starts again from its first batch with a new order (the data or the
  /// batch size changed); its number is kept.
  public mutating func restartEpoch() {
    batchInEpoch = 0
    shuffleState = nil
    order = []
  }
}
