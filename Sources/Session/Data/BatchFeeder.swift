import Dispatch
import Tensors

/// Which batch: the epoch, its position in the epoch, and the batch size.
struct BatchKey: Equatable {
  var epoch: Int
  var index: Int
  var size: Int
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

  /// Starts filling the batch for `key` in the buffer not handed out last.
  func prefetch(_ key: BatchKey, order: [Int], dataset: any Dataset, mirror: Mirroring?) {
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
    let first = key.index * key.size
    let indices = order[first..<min(first + key.size, order.count)]
    let batch = Tensor.reusing(buffers[buffer], shape: dataset.sampleShape.batched(indices.count))
    buffers[buffer] = batch
    dataset.fill(batch, with: indices, mirror: mirror)
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
