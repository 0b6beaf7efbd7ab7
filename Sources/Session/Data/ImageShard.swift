import Tensors

/// One rank's share of an image folder under mpirun: the folder's sorted files are split
/// as a batch is (rank r of P holds files ⌊r·F/P⌋ ..< ⌊(r+1)·F/P⌋, `BatchShare`), so each
/// rank decodes, caches and keeps in memory only its part (CelebA's 2.3 GiB split P ways).
/// The images keep their single-process numbering: rank r's are `first ..< first +
/// local.count` of `count`, so the epoch order, and with it every step, is the one a
/// single process takes.
///
/// `fill` is a collective: every rank calls it with the same indices, on the thread that
/// runs the notebook. Each rank packs the images it holds among them, three bytes to a
/// float (exact: at most 2^24 − 1, summed with zeros), one allreduce gives every rank all
/// of them, and each converts them to floats as `ImageDataset` does. A training step asks
/// for its whole batch and keeps its rows (`rows(for:…)`): B · H·W·C · 4/3 bytes more
/// traffic per step (1 MB at batch 64, 64×64×3, beside the DCGAN's 25.4 MB of gradients).
public final class ImageShard: Dataset, @unchecked Sendable {
  /// The images this rank holds.
  public let local: ImageDataset
  /// The number, in the whole folder, of `local`'s first image.
  public let first: Int
  /// Images in the whole folder (every rank's).
  public let count: Int
  let communicator: any Communicator

  /// Files the other ranks could not decode (each rank names its own).
  public let skippedElsewhere: Int

  /// `local` as rank `communicator.rank`'s part: one allreduce of every rank's count, and
  /// of the files skipped.
  init(_ local: ImageDataset, communicator: any Communicator) {
    let size = communicator.size
    var counts = [Double](repeating: 0, count: size + 1)
    counts[communicator.rank] = Double(local.count)
    counts[size] = Double(local.skipped.count)
    counts.withUnsafeMutableBufferPointer { communicator.sum($0) }
    self.local = local
    self.communicator = communicator
    first = Int(counts[..<communicator.rank].reduce(0, +))
    count = Int(counts[..<size].reduce(0, +))
    skippedElsewhere = Int(counts[size]) - local.skipped.count
  }

  public var spec: DataSpec { local.spec }
  public var sampleShape: Shape { local.sampleShape }
  /// Memory this rank's images occupy.
  public var bytes: Int { local.bytes }
  /// The files this rank could not decode.
  public var skipped: [(file: String, reason: String)] { local.skipped }

  /// batch [indices.count, H, W, C] ← images `indices` of the whole folder, gathered from
  /// the ranks that hold them. A collective: every rank passes the same indices.
  public func fill(_ batch: Tensor, with indices: ArraySlice<Int>, mirror: Mirroring?) {
    let gathered = gather(indices)
    gathered.fill(batch, with: ArraySlice(0..<indices.count), mirror: mirror)
  }

  /// This rank's rows of training batch `key` (whose images are `order[first ..< first +
  /// global]`): the whole batch gathered, flipped as one process flips it, and this rank's
  /// part kept, in `buffer` when it fits.
  func rows(for key: BatchKey, order: [Int], mirror: Mirroring?, reusing buffer: Tensor?) -> Tensor {
    let part = key.share(of: order.count)
    let start = key.index * key.size
    let whole = Tensor(zeros: sampleShape.batched(part.global))
    fill(whole, with: order[start..<start + part.global], mirror: mirror)
    return part.rows(of: whole, reusing: buffer)
  }

  /// Images `indices` as an `ImageDataset` of their own, in that order: one allreduce of
  /// the packed bytes each rank holds among them.
  private func gather(_ indices: ArraySlice<Int>) -> ImageDataset {
    let n = local.bytesPerImage
    let floatsPerImage = (n + 2) / 3
    var packed = [Float](repeating: 0, count: indices.count * floatsPerImage)
    for (slot, index) in indices.enumerated() where index >= first && index < first + local.count {
      let from = local.store.pointer + (index - first) * n
      for j in 0..<floatsPerImage {
        var value = 0
        for b in 0..<3 where 3 * j + b < n { value |= Int(from[3 * j + b]) << (8 * b) }
        packed[slot * floatsPerImage + j] = Float(value)
      }
    }
    packed.withUnsafeMutableBufferPointer { communicator.sum($0) }
    let store = PixelStore(count: indices.count * n)
    for slot in 0..<indices.count {
      let to = store.pointer + slot * n
      for j in 0..<floatsPerImage {
        let value = Int(packed[slot * floatsPerImage + j])
        for b in 0..<3 where 3 * j + b < n { to[3 * j + b] = UInt8(truncatingIfNeeded: value >> (8 * b)) }
      }
    }
    return ImageDataset(spec: spec, count: indices.count, store: store)
  }
}
