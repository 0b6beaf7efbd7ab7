/// C_p[M×N] = op(A_p)[M×K] · op(B_p)[K×N] + beta · C_p for `count` independent products
/// p = 0 ..< count laid out at fixed strides (X_p = x + p · strideX): Winograd's per-plane
/// GEMMs, 9 or 25 of the same shape.
///
/// The parts handed to the threads are whole planes, each cut in two along the longer of
/// M and N when that side has at least 8 of the kernels' 16-row blocks (`GEMMSplit` with
/// two parts): each a one-thread `sgemm`, so C is bit for bit the same on any number of
/// threads, as `gemm`'s. Cutting every plane into `gemm`'s up to 8 parts instead made
/// OpenBLAS pack the shared operand of each plane up to 8 times, and called the threads
/// once per plane.
func gemmPlanes(
  _ count: Int, transposeA: Bool = false, transposeB: Bool = false,
  m: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, lda: Int, strideA: Int,
  b: UnsafePointer<Float>, ldb: Int, strideB: Int,
  beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int
) {
  checkGEMMArguments(transposeA, transposeB, m, n, k, lda, ldb, ldc)
  precondition(
    count >= 0 && strideA >= (transposeA ? k : m) * lda && strideB >= (transposeB ? n : k) * ldb
      && strideC >= m * ldc,
    "gemmPlanes: \(count) planes of m \(m) n \(n) k \(k) overlap: strides A \(strideA) (lda \(lda)), "
      + "B \(strideB) (ldb \(ldb)), C \(strideC) (ldc \(ldc))")
  let (alongM, longer) = (m >= n, max(m, n))
  let split = GEMMSplit(length: longer, parts: longer >= 8 * 16 ? 2 : 1)
  let (pa, pb, pc) = (SendablePointer(a), SendablePointer(b), SendablePointer(c))
  let work = count * m * n * k
  parallelRanges(count * split.parts, grain: work >= 1 << 21 ? 1 : count * split.parts) { parts in
    for part in parts {
      let (plane, range) = (part / split.parts, split.range(of: part % split.parts))
      gemmPart(
        range, alongM: alongM, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
        a: pa.pointer + plane * strideA, lda: lda, b: pb.pointer + plane * strideB, ldb: ldb, beta: beta,
        c: pc.pointer + plane * strideC, ldc: ldc)
    }
  }
}
