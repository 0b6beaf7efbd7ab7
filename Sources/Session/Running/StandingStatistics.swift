import Layers
import Tensors

/// Standing statistics for the moving average (Brock et al., BigGAN, ICLR 2019):
/// BatchNorm's running mean and variance re-estimated for the averaged weights.
///
/// G's running statistics describe the activations of G's own recent weights; the average's
/// weights are another network, whose activations differ most in the coarse layers. On the
/// gray faces at 2,000 steps, with G's statistics the average scored SWD 22.6 in inference
/// mode against 18.3 with each batch's own statistics, the gap nearly all at the 16×16 level;
/// with its own statistics, 18.7 (18.6 from 16 batches, at twice the cost). So before the
/// average is shown, saved or exported, `standingBatches` batches of `batch` fresh latent vectors (their
/// own seeded noise: the session's random streams are untouched) go through it in training
/// mode, and each BatchNorm layer's running mean and variance become the averages of its
/// batches' means and unbiased variances: the statistics one batch sees in training.
///
/// z [batch] + latent → per BatchNorm layer, input [batch, …, C] → mean, variance [C]
extension GeneratorAverage {
  /// How many batches the estimate averages, and the seed of their noise.
  static let standingBatches = 8
  static let standingSeed: UInt64 = 0x5157_414E_4449_4E47

  /// `network`, its BatchNorm statistics standing for its weights.
  /// An average not yet updated holds G's own weights (just defined, loaded or imported),
  /// and G's statistics stand for them as they are: a PyTorch file imported with `set ema`
  /// on exports and samples as PyTorch computes it.
  func standing(batch: Int) -> Sequential {
    // G's statistics as they are now: a `step d` moves them before the average's first update.
    if updates ?? 1 > 0 { standStatistics(batch: batch) } else { copyBuffers() }
    return network
  }

  /// Re-estimates `network`'s BatchNorm statistics, unless they stand already for these
  /// weights and this batch size (the next `update` copies G's statistics over them again).
  /// Only the layers up to the last BatchNorm run; every other buffer (spectral
  /// normalisation's power-iteration vectors) is left as it was.
  func standStatistics(batch: Int) {
    guard standingBatch != batch else { return }
    standingBatch = batch
    let layers = network.layers
    let norms = layers.compactMap { $0 as? BatchNorm }
    guard !norms.isEmpty, batch > 0 else { return }
    let others = layers.filter { !($0 is BatchNorm) }.flatMap(\.buffers)
    let kept = others.map { $0.value.copy() }
    var means = norms.map { [Double](repeating: 0, count: $0.runningMean.count) }
    var variances = means
    let random = RandomSource(seed: Self.standingSeed)
    let z = Tensor(zeros: network.inputShape.batched(batch))
    for _ in 0..<Self.standingBatches {
      random.fillNormal(z.buffer, mean: 0, std: 1)
      var x = z
      var k = 0
      for layer in layers {
        if layer is BatchNorm {
          Self.addStatistics(of: x, mean: &means[k], variance: &variances[k])
          k += 1
          if k == norms.count { break }
        }
        x = layer.forward(x, mode: .training(random))
      }
    }
    for (buffer, value) in zip(others, kept) { buffer.value.assign(value) }
    let n = Double(Self.standingBatches)
    for (k, norm) in norms.enumerated() {
      for j in 0..<norm.runningMean.count {
        norm.runningMean[j] = Float(means[k][j] / n)
        norm.runningVariance[j] = Float(variances[k][j] / n)
      }
    }
  }

  /// Adds one batch's per-channel mean and unbiased variance (channels last, as BatchNorm
  /// computes them) to `mean` and `variance`.
  static func addStatistics(of x: Tensor, mean: inout [Double], variance: inout [Double]) {
    let c = mean.count
    let rows = x.count / c
    var sum = [Double](repeating: 0, count: c)
    var squares = sum
    let p = x.pointer
    for r in 0..<rows {
      for j in 0..<c {
        let v = Double(p[r * c + j])
        sum[j] += v
        squares[j] += v * v
      }
    }
    for j in 0..<c {
      let mu = sum[j] / Double(rows)
      let biased = max(squares[j] / Double(rows) - mu * mu, 0)
      mean[j] += mu
      variance[j] += rows > 1 ? biased * Double(rows) / Double(rows - 1) : biased
    }
  }
}
