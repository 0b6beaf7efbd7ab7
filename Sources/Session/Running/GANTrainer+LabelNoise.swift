import Tensors

extension GANTrainer {
  /// `set label-noise X`: X·u for each of D's `n` verdicts, u ~ U[0, 1), added to their
  /// label, as keras.io's tutorial adds 0.05·uniform to its labels; nil when off. Drawn for
  /// the whole batch from the `labels` stream, this rank's rows kept, so the ranks together
  /// draw what one process would.
  func drawLabelNoise(_ n: Int) -> Tensor? {
    guard objective.labelNoise > 0, let source = labelSource else { return nil }
    let noise = Tensor.reusing(labelNoiseBuffer, shape: Shape([n]))
    labelNoiseBuffer = noise
    source.share = share
    defer { source.share = nil }
    let (x, p) = (objective.labelNoise, noise.pointer)
    source.uniforms(n) { i, u in p[i] = x * u }
    return noise
  }
}
