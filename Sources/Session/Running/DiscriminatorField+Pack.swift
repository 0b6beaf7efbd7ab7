import Layers
import Tensors

/// A packed D (`pack M`, PacGAN) judges M points at once. Its field at x is its verdict on
/// a pack of M copies of x, and its push on a point the gradient for all M copies moving
/// together: what D says to a G that put a whole pack at x.
extension DiscriminatorField {
  /// points [N, 2] → [N·M, 2], each point M times in a row; the points themselves when M = 1.
  func packed(_ points: Tensor) -> Tensor {
    let m = discriminator.samplesPerOutput
    guard m > 1 else { return points }
    let copies = Tensor(zeros: Shape(points.shape[0] * m, points.shape[1]))
    let width = points.shape[1]
    for i in 0..<points.shape[0] {
      for j in 0..<m { (copies.pointer + (i * m + j) * width).update(from: points.pointer + i * width, count: width) }
    }
    return copies
  }

  /// gradient [N·M, 2] for the copies → [N, 2] for the points: the sum over each point's M copies.
  func unpacked(_ gradCopies: Tensor) -> Tensor {
    let m = discriminator.samplesPerOutput
    guard m > 1 else { return gradCopies }
    let width = gradCopies.shape[1]
    let grad = Tensor(zeros: Shape(gradCopies.shape[0] / m, width))
    for i in 0..<grad.shape[0] {
      for j in 0..<m {
        for k in 0..<width { grad[i * width + k] += gradCopies[(i * m + j) * width + k] }
      }
    }
    return grad
  }
}
