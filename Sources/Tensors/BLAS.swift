import CBLAS

/// C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C, row-major, on OpenBLAS `sgemm`.
///
/// `op(X)` is `Xᵀ` when the matching `transpose` flag is set; `lda`, `ldb`, `ldc` are the
/// row strides of A, B and C as stored. `gemmReference` has the same contract.
public func gemm(
  transposeA: Bool = false, transposeB: Bool = false,
  m: Int, n: Int, k: Int,
  alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  checkGEMMArguments(transposeA, transposeB, m, n, k, lda, ldb, ldc)
  if m == 0 || n == 0 { return }
  cblas_sgemm(
    CblasRowMajor,
    transposeA ? CblasTrans : CblasNoTrans,
    transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Shared argument checks of `gemm` and `gemmReference`: row strides must cover the rows.
func checkGEMMArguments(
  _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
  _ lda: Int, _ ldb: Int, _ ldc: Int
) {
  precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m \(m) n \(n) k \(k)")
  precondition(lda >= max(1, transposeA ? m : k), "gemm: lda \(lda) too small (m \(m), k \(k))")
  precondition(ldb >= max(1, transposeB ? k : n), "gemm: ldb \(ldb) too small (k \(k), n \(n))")
  precondition(ldc >= max(1, n), "gemm: ldc \(ldc) too small (n \(n))")
}

/// The BLAS library in use and its threads.
public enum BLAS {
  /// Threads OpenBLAS uses for one call.
  public static var threads: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(newValue)) }
  }

  /// The kernel set OpenBLAS chose for this CPU (`Haswell`, `SkylakeX`, `Zen`, …).
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// OpenBLAS's build configuration string.
  public static var configuration: String { String(cString: openblas_get_config()) }

  /// sgemm speed on n×n×n products (default 2048³), in GFLOP/s: the best of repeated
  /// calls over about `seconds`, after one warm-up call. The ceiling a GEMM-bound
  /// convolution can reach on this machine, with these threads.
  public static func measurePeak(size n: Int = 2048, seconds: Double = 1) -> Double {
    let a = Tensor(shape: Shape(n, n), repeating: 0.5)
    let b = Tensor(shape: Shape(n, n), repeating: 0.25)
    let c = Tensor(zeros: Shape(n, n))
    func once() -> Double {
      let start = monotonicSeconds()
      gemm(m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n, c: c.pointer, ldc: n)
      return monotonicSeconds() - start
    }
    _ = once()
    var best = Double.infinity
    let deadline = monotonicSeconds() + seconds
    repeat { best = min(best, once()) } while monotonicSeconds() < deadline
    return 2 * Double(n) * Double(n) * Double(n) / best * 1e-9
  }
}
