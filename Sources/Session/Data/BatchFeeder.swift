import Dispatch
import Tensors

/// Which batch: the epoch, its position in the epoch, and the batch size; and under
/// mpirun which rank's part of it (rank 0 of 1: all of it).
struct BatchKey: Equatable {
  var epoch: Int
  var index: Int
  var size: Int
  var rank = 0
  var ranks = 1

  /// This rank's part of the batch when the epoch's order has `total` samples.
  func share(of total: Int) -> BatchShare {
    let first = index * size
    return BatchShare(global: min(first + size, total) - first, rank: rank, ranks: ranks)
  }
}

/// Prepares batches of real samples (bytes → floats, flips) one step ahead on a
/// background thread, into one of two buffers while the trainer reads the other, so a
/// training step does not wait for its data. Which samples a batch holds is decided by the
/// epoch's order alone, so prefetching never changes the numbers.
final class BatchFeeder {
  private var buffers: [Tensor?] = [nil, nil]
  /// The buffer the last batch was handed out in.
  private var current = 0
  private var pending: (key: BatchKey, dataset: ObjectIdentifier, buffer: Int, done: DispatchGroup)?
  private let queue = DispatchQueue(label: "ganrepl.batches")

  /// The batch for `key`: the prefetched one (waiting for it if need be) or filled now;
  /// and the seconds the caller waited.
  func batch(_ key: BatchKey, order: [Int], dataset: any Dataset, mirror: Mirroring?) -> (Tensor, Double) {
    let start = monotonicSeconds()
    if let p = pending {
      pending = nil
      p.done.wait()
      if p.key == key && p.dataset == ObjectIdentifier(dataset) {
        current = p.buffer
        return (buffers[p.buffer]!, monotonicSeconds() - start)
      }
    }
    current = 1 - current
    let batch = fill(current, key, order, dataset, mirror)
    return (batch, monotonicSeconds() - start)
  }

  /// Starts filling the batch for `key` in the buffer not handed out last. Not for an
  /// `ImageShard`: gathering its images is a collective, made on the notebook's thread.
  func prefetch(_ key: BatchKey, order: [Int], dataset: any Dataset, mirror: Mirroring?) {
    if dataset is ImageShard { return }
    let buffer = 1 - current
    let done = DispatchGroup()
    let job = FillJob(feeder: self, buffer: buffer, key: key, order: order, dataset: dataset, mirror: mirror)
    pending = (key, ObjectIdentifier(dataset), buffer, done)
    queue.async(group: done) { job.run() }
  }

  /// Fills buffer `buffer` with the samples of `key` and returns it.
  @discardableResult
  fileprivate func fill(_ buffer: Int, _ key: BatchKey, _ order: [Int], _ dataset: any Dataset, _ mirror: Mirroring?)
    -> Tensor
  {
    if let shard = dataset as? ImageShard {
      buffers[buffer] = shard.rows(for: key, order: order, mirror: mirror, reusing: buffers[buffer])
      return buffers[buffer]!
    }
    let part = key.share(of: order.count)
    let first = key.index * key.size + part.offset
    let indices = order[first..<first + part.count]
    let batch = Tensor.reusing(buffers[buffer], shape: dataset.sampleShape.batched(indices.count))
    buffers[buffer] = batch
    dataset.fill(batch, with: indices, mirror: mirror.map { Mirroring(seed: $0.seed, epoch: $0.epoch, first: first) })
    return batch
  }
}

/// One background fill; the feeder does not touch that buffer until `batch` waits for it.
private struct FillJob: @unchecked Sendable {
  let feeder: BatchFeeder
  let buffer: Int
  let key: BatchKey
  let order: [Int]
  let dataset: any Dataset
  let mirror: Mirroring?

  func run() { feeder.fill(buffer, key, order, dataset, mirror) }
}
