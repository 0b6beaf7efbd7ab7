import Layers
import Tensors

/// A D that judges samples together (`pack M`, `mbstd`) says nothing about a point alone.
/// Its field at x is its verdict on copies of x filling every pack and every group, and its
/// push on a point is the gradient for all the copies moving together: what D says to a G
/// that put a whole pack or group at x (for `mbstd`, a collapsed G, whose groups vary by
/// nothing). A D without either sees each point once.
extension DiscriminatorField {
  /// Copies of each point that fill whole packs and whole groups: the least common multiple
  /// of every `pack`'s samples (the product of the packs up to it) and every `mbstd`'s rows
  /// (its group times the packs before it).
  var copies: Int {
    var (packs, copies) = (1, 1)
    for spec in discriminator.specs {
      switch spec {
      case .pack(let m):
        packs *= m
        copies = Self.leastCommonMultiple(copies, packs)
      case .minibatchStdDev(let g): copies = Self.leastCommonMultiple(copies, packs * g)
      default: break
      }
    }
    return copies
  }

  /// points [N, 2] → [N·K, 2], each point K = `copies` times in a row.
  func copied(_ points: Tensor) -> Tensor {
    let k = copies
    guard k > 1 else { return points }
    let width = points.shape[1]
    let out = Tensor(zeros: Shape(points.shape[0] * k, width))
    for i in 0..<points.shape[0] {
      for j in 0..<k { (out.pointer + (i * k + j) * width).update(from: points.pointer + i * width, count: width) }
    }
    return out
  }

  /// D's scores [N·K / samplesPerOutput, 1] for the copies → one per point (its copies'
  /// scores are equal: take the first).
  func perPoint(_ scores: Tensor, points n: Int) -> [Float] {
    let outputsPerPoint = scores.count / n
    return (0..<n).map { scores[$0 * outputsPerPoint] }
  }

  /// gradient [N·K, 2] for the copies → [N, 2] for the points: the sum over each point's K copies.
  func summedOverCopies(_ gradCopies: Tensor) -> Tensor {
    let k = copies
    guard k > 1 else { return gradCopies }
    let width = gradCopies.shape[1]
    let grad = Tensor(zeros: Shape(gradCopies.shape[0] / k, width))
    for i in 0..<grad.shape[0] {
      for j in 0..<k {
        for c in 0..<width { grad[i * width + c] += gradCopies[(i * k + j) * width + c] }
      }
    }
    return grad
  }

  static func leastCommonMultiple(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return a / x * b
  }
}
