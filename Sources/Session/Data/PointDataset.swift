import Foundation
import Tensors

/// The 2-D toy distributions GAN courses use to show mode collapse: mixtures of Gaussians
/// whose modes a generator must all cover.
///
/// - ring: 8 Gaussians evenly spaced on a circle of radius 2, σ = 0.02.
/// - grid: 25 Gaussians on the points {−4, −2, 0, 2, 4}², σ = 0.05.
///
/// Sample i is always the same point (its own seed), whatever the session's seed.
public final class PointDataset: Dataset, @unchecked Sendable {
  public let spec: DataSpec
  public let count: Int
  /// count × 2 coordinates.
  public let points: [Float]
  public let modes: [SIMD2<Float>]
  public let sigma: Float

  public init(spec: DataSpec) {
    self.spec = spec
    switch spec.source {
    case .ring(let n):
      count = n
      modes = (0..<8).map { k in
        let angle = Float(k) * 2 * .pi / 8
        return SIMD2(2 * cos(angle), 2 * sin(angle))
      }
      sigma = 0.02
    case .grid(let n):
      count = n
      modes = (0..<25).map { k in SIMD2(Float(k / 5) * 2 - 4, Float(k % 5) * 2 - 4) }
      sigma = 0.05
    case .folder, .faces:
      preconditionFailure("PointDataset for \(spec.source)")
    }
    var points = [Float](repeating: 0, count: 2 * count)
    let (modes, sigma) = (modes, sigma)
    for i in 0..<count {
      let random = RandomSource(seed: 0x2D_0000 &+ UInt64(i))
      let mode = modes[Int(random.generator.next() % UInt64(modes.count))]
      var noise: [Float] = [0, 0]
      noise.withUnsafeMutableBufferPointer { random.fillNormal($0, mean: 0, std: sigma) }
      points[2 * i] = mode.x + noise[0]
      points[2 * i + 1] = mode.y + noise[1]
    }
    self.points = points
  }

  public var sampleShape: Shape { Shape(2) }
  /// Half the width of a plot that shows every mode with a margin.
  public var extent: Float { modes.map { max(abs($0.x), abs($0.y)) }.max()! + 1 }
  public var bytes: Int { points.count * MemoryLayout<Float>.stride }
  public var skipped: [(file: String, reason: String)] { [] }

  public func fill(_ batch: Tensor, with indices: ArraySlice<Int>, mirror: Mirroring?) {
    precondition(batch.shape == Shape(indices.count, 2), "batch \(batch.shape) for \(indices.count) points")
    for (slot, index) in indices.enumerated() {
      batch[2 * slot] = points[2 * index]
      batch[2 * slot + 1] = points[2 * index + 1]
    }
  }

  /// How well `generated` points [N, 2] cover the modes: a point is "near" a mode within
  /// `radius`, 3σ unless given (the "high-quality samples" of Srivastava et al., VEEGAN,
  /// 2017); a mode is covered when at least a quarter of its fair share of the points,
  /// max(1, N / (4·modes)), are near it.
  public func coverage(_ generated: Tensor, within radius: Float? = nil) -> (
    covered: Int, modes: Int, nearFraction: Double
  ) {
    let n = generated.shape[0]
    var perMode = [Int](repeating: 0, count: modes.count)
    var near = 0
    for i in 0..<n {
      let p = SIMD2(generated[2 * i], generated[2 * i + 1])
      var best = (index: 0, distance: Float.infinity)
      for (k, m) in modes.enumerated() {
        let d = ((p - m) * (p - m)).sum().squareRoot()
        if d < best.distance { best = (k, d) }
      }
      if best.distance <= radius ?? 3 * sigma {
        near += 1
        perMode[best.index] += 1
      }
    }
    let threshold = max(1, n / (4 * modes.count))
    return (perMode.filter { $0 >= threshold }.count, modes.count, Double(near) / Double(max(n, 1)))
  }
}
