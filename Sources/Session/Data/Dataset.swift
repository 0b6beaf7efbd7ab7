import Tensors

/// Training data: `count` samples of one shape, kept compactly and converted to floats one
/// batch at a time.
public protocol Dataset: AnyObject, Sendable {
  var spec: DataSpec { get }
  var count: Int { get }
  /// Shape of one sample: H×W×C for images, 2 for points.
  var sampleShape: Shape { get }
  /// Memory the samples occupy.
  var bytes: Int { get }
  /// Files that could not be decoded, and why.
  var skipped: [(file: String, reason: String)] { get }
  /// Writes samples `indices` into `batch` [indices.count, …sampleShape], as the networks
  /// see them; images that `mirror` picks are flipped left to right.
  func fill(_ batch: Tensor, with indices: ArraySlice<Int>, mirror: Mirroring?)
}

extension Dataset {
  public func fill(_ batch: Tensor, with indices: ArraySlice<Int>) { fill(batch, with: indices, mirror: nil) }
}

/// Which samples of a batch are flipped for augmentation: a hash of the seed, the epoch and
/// the position in the epoch, so the choice is reproducible, needs no saved state, and
/// does not depend on when a batch was prepared.
public struct Mirroring: Sendable {
  public let seed: UInt64
  public let epoch: Int
  /// Position in the epoch of the batch's first sample.
  public let first: Int

  public func mirrors(_ slot: Int) -> Bool {
    var x =
      seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: first + slot)
    x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
    x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
    return (x ^ (x >> 31)) & 1 == 1
  }
}
