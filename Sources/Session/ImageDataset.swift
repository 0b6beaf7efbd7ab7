import Tensors

/// Images kept as 8-bit, all size×size×channels, converted to floats one batch at a time:
/// 202,599 CelebA faces at 64×64×3 hold 2.5 GB instead of 10 GB of floats.
public final class ImageDataset: @unchecked Sendable {
  public let spec: DataSpec
  public let count: Int
  /// count × size × size × channels bytes, image after image (NHWC).
  public let pixels: [UInt8]
  /// Files that could not be decoded, and why (empty for built-in data).
  public let skipped: [(file: String, reason: String)]

  public init(spec: DataSpec, count: Int, pixels: [UInt8], skipped: [(file: String, reason: String)] = []) {
    precondition(pixels.count == count * spec.size * spec.size * spec.channels, "dataset of \(count) images with \(pixels.count) bytes")
    self.spec = spec
    self.count = count
    self.pixels = pixels
    self.skipped = skipped
  }

  /// Per-image shape, H×W×C.
  public var imageShape: Shape { Shape(spec.size, spec.size, spec.channels) }
  public var bytesPerImage: Int { spec.size * spec.size * spec.channels }

  /// Writes images `indices` into `batch` [indices.count, H, W, C], scaled to the data's range.
  public func fill(_ batch: Tensor, with indices: ArraySlice<Int>) {
    precondition(batch.shape == imageShape.batched(indices.count), "batch \(batch.shape) for \(indices.count) images of \(imageShape)")
    let n = bytesPerImage
    var table = [Float](repeating: 0, count: 256)
    for b in 0..<256 { table[b] = spec.range.value(UInt8(b)) }
    pixels.withUnsafeBufferPointer { source in
      table.withUnsafeBufferPointer { lookup in
        for (slot, index) in indices.enumerated() {
          let from = source.baseAddress! + index * n
          let to = batch.pointer + slot * n
          for i in 0..<n { to[i] = lookup[Int(from[i])] }
        }
      }
    }
  }

  /// Image `index` as 8-bit pixels.
  public func image(_ index: Int) -> DecodedImage {
    let n = bytesPerImage
    return DecodedImage(
      width: spec.size, height: spec.size, channels: spec.channels,
      pixels: Array(pixels[(index * n)..<((index + 1) * n)]))
  }
}
