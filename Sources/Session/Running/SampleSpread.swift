import Layers
import Tensors

/// How much the generator's fixed-noise samples differ from each other: the measure the
/// collapse diagnosis watches. Images: the mean pairwise RMS distance (in the data's
/// units) of the first `images` fixed-noise samples, generated in inference mode, beside
/// the same measure of the first real images. 2-D toys: how many modes the first `points`
/// fixed-noise points reach (`PointDataset.reachRadius`: nearer than 3σ counts for
/// `sample`'s "modes covered", but off-centre points are not a collapse).
enum SampleSpread {
  /// Fixed-noise images measured: 16 images give 120 pairs.
  static let images = 16
  /// Fixed-noise points measured on a toy: enough for the coverage's fair shares.
  static let points = 512

  enum Measure: Equatable {
    case spread(generated: Float, real: Float)
    case modes(covered: Int, of: Int)
  }

  /// The measure for the session's generator and data now; nil before both exist.
  static func measure(in state: SessionState) -> Measure? {
    guard let g = state.networks[.generator], let fixed = state.fixedNoise, let data = state.dataset else {
      return nil
    }
    let toy = data as? PointDataset
    let n = min(toy == nil ? images : points, fixed.shape[0])
    let z = Tensor(zeros: g.inputShape.batched(n))
    z.pointer.update(from: fixed.pointer, count: z.count)
    let samples = g.forward(z, mode: .inference)
    if let toy, samples.shape.sample == Shape(2) {
      let c = toy.coverage(samples, within: toy.reachRadius)
      return .modes(covered: c.covered, of: c.modes)
    }
    let real = Tensor(zeros: data.sampleShape.batched(min(images, data.count)))
    data.fill(real, with: Array(0..<real.shape[0])[...], mirror: nil)
    return .spread(generated: meanPairwiseDistance(samples), real: meanPairwiseDistance(real))
  }

  /// Mean over pairs i < j of √(mean over elements of (xᵢ − xⱼ)²), for x [N, …].
  static func meanPairwiseDistance(_ x: Tensor) -> Float {
    let n = x.shape[0]
    guard n > 1 else { return 0 }
    let d = x.count / n
    let p = x.pointer
    var total = 0.0
    for i in 0..<n {
      for j in (i + 1)..<n {
        var s = 0.0
        for k in 0..<d {
          let diff = Double(p[i * d + k]) - Double(p[j * d + k])
          s += diff * diff
        }
        total += (s / Double(d)).squareRoot()
      }
    }
    return Float(total / Double(n * (n - 1) / 2))
  }
}
