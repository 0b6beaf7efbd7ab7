/// The obvious triple loop with the contract of `gemm`, accumulating in `Double`.
/// Tests hold `gemm` (and every GEMM-based kernel) to it.
public func gemmReference(
  transposeA: Bool = false, transposeB: Bool = false,
  m: Int, n: Int, k: Int,
  alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  checkGEMMArguments(transposeA, transposeB, m, n, k, lda, ldb, ldc)
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k {
        let x = transposeA ? a[p * lda + i] : a[i * lda + p]
        let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
        s += Double(x) * Double(y)
      }
      let previous = beta == 0 ? 0 : beta * c[i * ldc + j]
      c[i * ldc + j] = alpha * Float(s) + previous
    }
  }
}
