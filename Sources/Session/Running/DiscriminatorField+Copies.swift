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
  /// (its group times the packs before it), and how many points one forward takes. When
  /// the multiple exceeds `batch` (groups of thousands, or sizes whose multiple overflows):
  /// the packs' samples alone, one point per forward, since a forward smaller than a group
  /// is one group, of copies of that point all the same.
  var layout: (copies: Int, perForward: Int) {
    var (packs, copies) = (1, 1)
    for spec in discriminator.specs {
      let unit: Int
      switch spec {
      case .pack(let m):
        packs *= m
        unit = packs
      case .minibatchStdDev(let g): unit = packs * g
      default: continue
      }
      guard let multiple = Self.leastCommonMultiple(copies, unit), multiple <= Self.batch else {
        return (discriminator.samplesPerOutput, 1)
      }
      copies = multiple
    }
    return (copies, max(1, Self.batch / copies))
  }

  var copies: Int { layout.copies }

  /// points [N, 2] → [N·K, 2], each point K times in a row (K from `layout`).
  func copied(_ points: Tensor, _ k: Int) -> Tensor {
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
  func summedOverCopies(_ gradCopies: Tensor, _ k: Int) -> Tensor {
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

  /// nil when it overflows.
  static func leastCommonMultiple(_ a: Int, _ b: Int) -> Int? {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    let (product, overflow) = (a / x).multipliedReportingOverflow(by: b)
    return overflow ? nil : product
  }
}
