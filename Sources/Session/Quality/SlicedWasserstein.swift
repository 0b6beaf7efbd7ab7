import Tensors

/// The sliced Wasserstein distance between two equal-sized sets of descriptors A and B
/// [n, d] (`sliced_wasserstein` of Karras et al.'s `sliced_wasserstein.py`): for each of
/// `repeats` rounds, `directions` random unit vectors u in ℝᵈ; project both sets on each u,
/// sort each projection, and take the mean |sorted(A·u)ᵢ − sorted(B·u)ᵢ| over i and u (the
/// 1-D Wasserstein-1 distance along u); the mean over the rounds.
enum SlicedWasserstein {
  /// Directions projected at once: the projections of one group are [group, n] per set.
  static let group = 32

  /// nil when `shouldStop` says stop (polled before each repeat).
  static func distance(
    _ a: Tensor, _ b: Tensor, directions: Int, repeats: Int, random: inout SeededGenerator,
    shouldStop: () -> Bool = { false }
  ) -> Double? {
    precondition(a.shape == b.shape && a.shape.rank == 2, "SWD of \(a.shape) and \(b.shape): expected equal [n, d]")
    var total = 0.0
    for _ in 0..<repeats {
      if shouldStop() { return nil }
      total += projectedDistance(a, b, along: randomDirections(a.shape[1], directions, random: &random))
    }
    return total / Double(max(repeats, 1))
  }

  /// `count` directions [count, d] drawn from N(0, I) and scaled to unit length.
  static func randomDirections(_ d: Int, _ count: Int, random: inout SeededGenerator) -> Tensor {
    let directions = Tensor(zeros: Shape(count, d))
    let source = RandomSource(generator: random)
    source.fillNormal(directions.buffer, mean: 0, std: 1)
    random = source.generator
    for j in 0..<count {
      let row = directions.pointer + j * d
      var norm: Float = 0
      for i in 0..<d { norm += row[i] * row[i] }
      let scale = 1 / norm.squareRoot()
      for i in 0..<d { row[i] *= scale }
    }
    return directions
  }

  /// Mean over the directions [k, d] and the n rows of |sorted(A·u) − sorted(B·u)|: a GEMM
  /// per set and group of directions, each projection sorted on its own thread.
  static func projectedDistance(_ a: Tensor, _ b: Tensor, along directions: Tensor) -> Double {
    let (n, d, k) = (a.shape[0], a.shape[1], directions.shape[0])
    var total = 0.0
    for first in stride(from: 0, to: k, by: group) {
      let m = min(group, k - first)
      let u = directions.pointer + first * d
      // P[m, n] = U[m, d] · Xᵀ: one contiguous row per direction, ready to sort.
      let (pa, pb) = (Tensor(zeros: Shape(m, n)), Tensor(zeros: Shape(m, n)))
      gemm(transposeB: true, m: m, n: n, k: d, a: u, lda: d, b: a.pointer, ldb: d, c: pa.pointer, ldc: n)
      gemm(transposeB: true, m: m, n: n, k: d, a: u, lda: d, b: b.pointer, ldb: d, c: pb.pointer, ldc: n)
      // pa and pb live until every thread has sorted their rows: the threads see pointers.
      let rows = withExtendedLifetime((pa, pb)) {
        [Double](unsafeUninitializedCapacity: m) { buffer, initialized in
          let out = SendablePointer(buffer.baseAddress!)
          let (x, y) = (SendablePointer(pa.pointer), SendablePointer(pb.pointer))
          parallelRanges(m, grain: 1) { range in
            for j in range {
              out.pointer[j] = sortedDistance(x.pointer + j * n, y.pointer + j * n, count: n)
            }
          }
          initialized = m
        }
      }
      total += rows.reduce(0, +)
    }
    return total / Double(n * k)
  }

  /// Σᵢ |sorted(x)ᵢ − sorted(y)ᵢ| over `count` values each; sorts both in place.
  static func sortedDistance(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)
    -> Double
  {
    var (sortedX, sortedY) = (
      UnsafeMutableBufferPointer(start: x, count: count), UnsafeMutableBufferPointer(start: y, count: count)
    )
    sortedX.sort()
    sortedY.sort()
    var sum = 0.0
    for i in 0..<count { sum += Double(abs(x[i] - y[i])) }
    return sum
  }

  /// The naive reference for `projectedDistance`: each projection a direct dot product in
  /// `Double`, each sorted as an array, one direction after another.
  static func projectedDistanceReference(_ a: Tensor, _ b: Tensor, along directions: Tensor) -> Double {
    let (n, d, k) = (a.shape[0], a.shape[1], directions.shape[0])
    func project(_ x: Tensor, _ j: Int) -> [Double] {
      (0..<n).map { i in (0..<d).reduce(0.0) { $0 + Double(x[i * d + $1]) * Double(directions[j * d + $1]) } }
    }
    var total = 0.0
    for j in 0..<k {
      let (pa, pb) = (project(a, j).sorted(), project(b, j).sorted())
      total += zip(pa, pb).reduce(0.0) { $0 + abs($1.0 - $1.1) }
    }
    return total / Double(n * k)
  }
}
