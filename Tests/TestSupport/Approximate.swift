import Tensors

/// Where two tensors differ most, for failure messages.
public struct TensorComparison: CustomStringConvertible {
  public let maxError: Float
  public let index: Int
  public let actual: Float
  public let expected: Float
  public let tolerance: Float

  /// Passes when |actual − expected| ≤ tolerance · max(|expected|, 1) everywhere: a
  /// relative tolerance for large values, an absolute one near zero.
  public var passes: Bool { maxError <= tolerance }

  public var description: String {
    "worst element \(index): \(actual) vs expected \(expected) (scaled error \(maxError) > \(tolerance))"
  }
}

/// Compares two tensors elementwise with `tolerance` (see `TensorComparison.passes`).
public func compare(_ actual: Tensor, _ expected: Tensor, tolerance: Float) -> TensorComparison {
  precondition(actual.count == expected.count, "compare: \(actual.shape) vs \(expected.shape)")
  var worst = TensorComparison(maxError: 0, index: 0, actual: 0, expected: 0, tolerance: tolerance)
  for i in 0..<actual.count {
    let (a, e) = (actual[i], expected[i])
    let error = a.isNaN || e.isNaN ? Float.infinity : abs(a - e) / max(abs(e), 1)
    if error > worst.maxError || (i == 0 && error.isInfinite) {
      worst = TensorComparison(maxError: error, index: i, actual: a, expected: e, tolerance: tolerance)
    }
  }
  return worst
}

/// A tensor of seeded N(0, 1) values.
public func randomTensor(_ shape: Shape, seed: UInt64, std: Float = 1) -> Tensor {
  .randomNormal(shape, mean: 0, std: std, using: RandomSource(seed: seed))
}

/// A tensor of seeded values whose magnitudes are at least `gap`: safe around kinks at 0.
public func randomTensorAwayFromZero(_ shape: Shape, seed: UInt64, gap: Float = 0.05) -> Tensor {
  let t = randomTensor(shape, seed: seed)
  for i in 0..<t.count where abs(t[i]) < gap { t[i] = t[i] < 0 ? t[i] - gap : t[i] + gap }
  return t
}
