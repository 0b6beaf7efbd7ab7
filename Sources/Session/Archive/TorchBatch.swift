import Tensors

/// A batch as PyTorch holds it, for `export samples`: images N × C × H × W (ganrepl's
/// N × H × W × C permuted, `TorchLayout.channelsFirst`), anything else in its own shape.
struct TorchBatch {
  var shape: [Int]
  var values: [Float]

  init(_ batch: Tensor) {
    let values = Array(UnsafeBufferPointer(start: batch.pointer, count: batch.count))
    guard batch.shape.rank == 4 else {
      (shape, self.values) = (batch.shape.dims, values)
      return
    }
    let image = batch.shape.sample
    let order = TorchLayout.channelsFirst(image)
    var nchw = [Float](repeating: 0, count: values.count)
    for n in 0..<batch.shape[0] {
      let base = n * image.count
      for (t, g) in order.enumerated() { nchw[base + t] = values[base + g] }
    }
    (shape, self.values) = ([batch.shape[0], image[2], image[0], image[1]], nchw)
  }
}
