/// A few small, odd-shaped products through `gemm` compared with `gemmReference`, cheap
/// enough to run at every start-up: older OpenBLAS builds are known to miscompute with
/// some kernel sets on CPUs newer than them.
///
/// The operands are multiples of 1/8 in [-1, 1] and alpha, beta are ±1, 0.5, 0.75: every
/// product and partial sum is exact in `Float`, in any order, with or without FMA, so the
/// comparison is exact. M and N fall off the multiples of 4, 8 and 16 the kernels' register
/// blocks use; every transpose, beta 0 and not, strides wider than the rows; a column of C
/// beyond N must stay untouched.
public enum GEMMStartupCheck {
  /// `gemm`'s contract as a function value (C = alpha·op(A)·op(B) + beta·C, row-major).
  public typealias GEMM =
    @Sendable (
      _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
      _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) -> Void

  /// The first element where `gemm` and the reference differ.
  public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
    public var product: String
    public var row: Int, column: Int
    public var got: Float, expected: Float

    public var description: String { "\(product): C[\(row), \(column)] = \(got), expected \(expected)" }
  }

  struct Case {
    var transposeA: Bool, transposeB: Bool
    var m: Int, n: Int, k: Int
    var alpha: Float, beta: Float
    /// Extra elements at the end of every row of A, B and C.
    var padding: Int

    var name: String {
      "\(transposeA ? "Aᵀ" : "A")·\(transposeB ? "Bᵀ" : "B") M=\(m) N=\(n) K=\(k) α=\(alpha) β=\(beta)"
    }
  }

  /// About 30,000 multiply-adds in all: the reference loop's cost is most of the check's.
  /// N = 8 is a width SkylakeX's small-matrix sgemm kernels take; the others go through
  /// the packed kernels.
  static let cases = [
    Case(transposeA: false, transposeB: false, m: 17, n: 5, k: 3, alpha: 1, beta: 0, padding: 0),
    Case(transposeA: true, transposeB: false, m: 33, n: 19, k: 17, alpha: 0.5, beta: 0.75, padding: 1),
    Case(transposeA: false, transposeB: true, m: 7, n: 31, k: 33, alpha: 1, beta: 1, padding: 2),
    Case(transposeA: true, transposeB: true, m: 19, n: 23, k: 9, alpha: -1, beta: -0.5, padding: 3),
    Case(transposeA: false, transposeB: false, m: 1, n: 47, k: 33, alpha: 1, beta: 0, padding: 1),
    Case(transposeA: false, transposeB: false, m: 32, n: 8, k: 24, alpha: 1, beta: 0, padding: 1),
  ]

  /// Runs every case through `gemm` (by default ganrepl's `gemm` on OpenBLAS); nil when
  /// all agree with `gemmReference`.
  public static func run(_ gemm: GEMM = defaultGEMM) -> Mismatch? {
    for c in cases {
      if let mismatch = check(c, gemm) { return mismatch }
    }
    return nil
  }

  public static let defaultGEMM: GEMM = { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
    Tensors.gemm(
      transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
      c: c, ldc: ldc)
  }

  static func check(_ t: Case, _ gemm: GEMM) -> Mismatch? {
    // Stored shapes: A is [M, K] or [K, M], B is [K, N] or [N, K], C is [M, N]; rows padded.
    let (aRows, aColumns) = t.transposeA ? (t.k, t.m) : (t.m, t.k)
    let (bRows, bColumns) = t.transposeB ? (t.n, t.k) : (t.k, t.n)
    let (lda, ldb, ldc) = (aColumns + t.padding, bColumns + t.padding, t.n + t.padding)
    let a = eighths(aRows * lda, seed: 1)
    let b = eighths(bRows * ldb, seed: 2)
    var got = eighths(t.m * ldc, seed: 3)
    var expected = got
    got.withUnsafeMutableBufferPointer { c in
      gemm(
        t.transposeA, t.transposeB, t.m, t.n, t.k, t.alpha, a, lda, b, ldb, t.beta, c.baseAddress!, ldc)
    }
    expected.withUnsafeMutableBufferPointer { c in
      gemmReference(
        transposeA: t.transposeA, transposeB: t.transposeB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: t.beta, c: c.baseAddress!, ldc: ldc)
    }
    guard let i = got.indices.first(where: { got[$0] != expected[$0] }) else { return nil }
    return Mismatch(product: t.name, row: i / ldc, column: i % ldc, got: got[i], expected: expected[i])
  }

  /// `count` multiples of 1/8 in [-1, 1], a fixed sequence per `seed`.
  static func eighths(_ count: Int, seed: Int) -> [Float] {
    (0..<count).map { Float(($0 * 37 + seed * 11) % 17 - 8) / 8 }
  }
}
