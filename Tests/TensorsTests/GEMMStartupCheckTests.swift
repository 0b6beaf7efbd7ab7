import Tensors
import Testing

@Suite("GEMM start-up check")
struct GEMMStartupCheckTests {
  @Test("OpenBLAS, as this process loaded it, passes the check")
  func openBLASPasses() {
    #expect(GEMMStartupCheck.run() == nil)
  }

  /// Faulty gemms, each wrong in one way a broken kernel could be.
  static let faults: [(String, GEMMStartupCheck.GEMM)] = [
    (
      "ignores beta",
      { ta, tb, m, n, k, alpha, a, lda, b, ldb, _, c, ldc in
        gemmReference(
          transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: 0,
          c: c, ldc: ldc)
      }
    ),
    (
      "drops the last column of an odd N (a block edge)",
      { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
        gemm(
          transposeA: ta, transposeB: tb, m: m, n: n - n % 2, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
          beta: beta, c: c, ldc: ldc)
      }
    ),
    (
      "one element off by one ulp, in the last product only",
      { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
        gemm(
          transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
          c: c, ldc: ldc)
        if m == 32 { c[ldc + 3] = c[ldc + 3].nextUp }
      }
    ),
    (
      "writes past N into the row's padding",
      { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
        gemm(
          transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
          c: c, ldc: ldc)
        if ldc > n { c[n] = 42 }
      }
    ),
  ]

  @Test("a faulty gemm is caught", arguments: faults.indices)
  func faultCaught(index: Int) {
    let (name, faulty) = Self.faults[index]
    let mismatch = GEMMStartupCheck.run(faulty)
    #expect(mismatch != nil, "\(name)")
  }

  @Test("the reference itself passes")
  func referencePasses() {
    #expect(
      GEMMStartupCheck.run { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
        gemmReference(
          transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
          beta: beta, c: c, ldc: ldc)
      } == nil)
  }
}
