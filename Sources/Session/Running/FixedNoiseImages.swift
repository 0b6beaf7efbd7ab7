import Layers
import Tensors

/// Images the generator makes, in inference mode, from noise built out of the session's
/// fixed noise: what `interpolate` and `nearest` show.
struct FixedNoiseImages {
  let generator: Sequential
  /// The fixed noise [4096, latent].
  let noise: Tensor
  /// The range the images are drawn in: the data's, or else the one the last layer gives.
  let range: DataSpec.PixelRange

  /// For `command` ("interpolate"), which draws images: a generator of anything else is
  /// refused before it runs.
  init(_ state: SessionState, for command: String) throws(SessionError) {
    guard let g = state.viewedGenerator, let fixed = state.fixedNoise else { throw .missingNetwork(.generator) }
    guard g.outputShape.rank == 3 else {
      throw SessionError(.cannotDraw(command: command, makes: g.outputShape, drawable: "images"))
    }
    generator = g
    noise = fixed
    range =
      state.dataset.flatMap { $0.spec.source.isPoints ? nil : $0.spec.range }
      ?? (g.specs.last == .tanh ? .symmetric : .unit)
  }

  /// Row `index` of the fixed noise.
  func row(_ index: Int) -> [Float] {
    let n = noise.count / noise.shape[0]
    return Array(UnsafeBufferPointer(start: noise.pointer + index * n, count: n))
  }

  /// The generator's images [rows.count, H, W, C] for noise `rows`, each as long as a row of
  /// the fixed noise; `what` names the job if memory is short.
  func images(_ rows: [[Float]], what: String) throws(SessionError) -> Tensor {
    if let bytes = NetworkMemory.inferenceBytes(input: generator.inputShape, specs: generator.specs, count: rows.count)
    {
      try NetworkMemory.check(bytes, for: what)
    }
    let z = Tensor(zeros: generator.inputShape.batched(rows.count))
    for (i, row) in rows.enumerated() { (z.pointer + i * row.count).update(from: row, count: row.count) }
    return generator.forward(z, mode: .inference)
  }
}
