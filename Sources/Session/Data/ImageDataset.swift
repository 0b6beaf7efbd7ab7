import Tensors

/// Images kept as 8-bit, all size×size×channels, converted to floats one batch at a time:
/// 202,599 CelebA faces at 64×64×3 hold 2.5 GB instead of 10 GB of floats.
public final class ImageDataset: Dataset, @unchecked Sendable {
  public let spec: DataSpec
  public let count: Int
  /// count × size × size × channels bytes, image after image (NHWC).
  public let store: PixelStore
  public let skipped: [(file: String, reason: String)]
  /// Byte → float in the data's range.
  private let table: [Float]

  public init(spec: DataSpec, count: Int, store: PixelStore, skipped: [(file: String, reason: String)] = []) {
    precondition(
      store.count >= count * spec.size * spec.size * spec.channels,
      "dataset of \(count) images with \(store.count) bytes")
    self.spec = spec
    self.count = count
    self.store = store
    self.skipped = skipped
    table = (0..<256).map { spec.range.value(UInt8($0)) }
  }

  public convenience init(spec: DataSpec, count: Int, pixels: [UInt8], skipped: [(file: String, reason: String)] = []) {
    self.init(spec: spec, count: count, store: PixelStore(pixels), skipped: skipped)
  }

  public var sampleShape: Shape { Shape(spec.size, spec.size, spec.channels) }
  public var bytesPerImage: Int { spec.size * spec.size * spec.channels }
  public var bytes: Int { count * bytesPerImage }

  /// batch [indices.count, H, W, C] ← images `indices`, scaled to the data's range.
  public func fill(_ batch: Tensor, with indices: ArraySlice<Int>, mirror: Mirroring?) {
    precondition(
      batch.shape == sampleShape.batched(indices.count),
      "batch \(batch.shape) for \(indices.count) images of \(sampleShape)")
    let (n, w, c) = (bytesPerImage, spec.size, spec.channels)
    table.withUnsafeBufferPointer { lookup in
      for (slot, index) in indices.enumerated() {
        let from = store.pointer + index * n
        let to = batch.pointer + slot * n
        if mirror?.mirrors(slot) == true {
          for y in 0..<w {
            for x in 0..<w {
              for ch in 0..<c { to[(y * w + x) * c + ch] = lookup[Int(from[(y * w + w - 1 - x) * c + ch])] }
            }
          }
        } else {
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
      pixels: Array(UnsafeBufferPointer(start: store.pointer + index * n, count: n)))
  }
}
