import CBLAS
import CKernels

/// C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C, row-major, on OpenBLAS `sgemm`.
///
/// `op(X)` is `Xᵀ` when the matching `transpose` flag is set; `lda`, `ldb`, `ldc` are the
/// row strides of A, B and C as stored. `gemmReference` has the same contract.
///
/// Large products are cut along the longer of M and N into parts that depend on the sizes
/// alone (`GEMMSplit`), each a one-thread `sgemm`, run on the threads `parallelRanges` uses
/// (see `BLAS`): C comes out bit for bit the same on any number of threads.
public func gemm(
  transposeA: Bool = false, transposeB: Bool = false,
  m: Int, n: Int, k: Int,
  alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int,
  b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  guard m * n * k >= 1 << 20, !BLAS.usesReference else {
    gemmOnThisThread(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
      beta: beta, c: c, ldc: ldc)
    return
  }
  checkGEMMArguments(transposeA, transposeB, m, n, k, lda, ldb, ldc)
  // The longer side cut by its size alone (`GEMMSplit`); each thread takes whole parts.
  let alongM = m >= n
  let split = GEMMSplit(length: alongM ? m : n)
  let (pa, pb, pc) = (SendablePointer(a), SendablePointer(b), SendablePointer(c))
  parallelRanges(split.parts, grain: 1) { parts in
    for part in parts {
      gemmPart(
        split.range(of: part), alongM: alongM, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
        alpha: alpha, a: pa.pointer, lda: lda, b: pb.pointer, ldb: ldb, beta: beta, c: pc.pointer, ldc: ldc)
    }
  }
}

/// Rows `part` of C (`alongM`) or its columns, as one `gemmOnThisThread` call on the
/// matching rows of op(A) or columns of op(B): one part of `gemm`'s and `gemmPlanes`' cuts.
func gemmPart(
  _ part: Range<Int>, alongM: Bool, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let lower = part.lowerBound
  if alongM {
    gemmOnThisThread(
      transposeA: transposeA, transposeB: transposeB, m: part.count, n: n, k: k, alpha: alpha,
      a: a + (transposeA ? lower : lower * lda), lda: lda, b: b, ldb: ldb, beta: beta, c: c + lower * ldc, ldc: ldc)
  } else {
    gemmOnThisThread(
      transposeA: transposeA, transposeB: transposeB, m: m, n: part.count, k: k, alpha: alpha, a: a, lda: lda,
      b: b + (transposeB ? lower * ldb : lower), ldb: ldb, beta: beta, c: c + lower, ldc: ldc)
  }
}

/// `gemm` as one call on the calling thread, never split (the reference loop if every kernel
/// set failed the start-up check): `gemm`'s small products, and kernels that already run on
/// every thread (`columnBlocksBackwardInput`), with sizes that depend on the problem alone.
func gemmOnThisThread(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  checkGEMMArguments(transposeA, transposeB, m, n, k, lda, ldb, ldc)
  if m == 0 || n == 0 { return }
  // The fixed order first: it needs no OpenBLAS, so it holds where the reference stands in.
  if BLAS.fixedOrder {
    let status = ganrepl_fixed_order_gemm(
      transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    precondition(status == 0, "gemm: no memory for the fixed-order product's \(k)×\(n) copy of B")
  } else if BLAS.usesReference {
    gemmReference(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
      beta: beta, c: c, ldc: ldc)
  } else {
    sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
}

/// One `cblas_sgemm` call, row-major.
private func sgemm(
  _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
  _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
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

/// The BLAS library in use, and the threads ganrepl computes on.
///
/// OpenBLAS runs one thread per call; `gemm` splits large products among ganrepl's own
/// threads instead, the same ones the elementwise loops use. Measured on the classic
/// DCGAN step (2 cores): OpenBLAS's idle threads spinning in `sched_yield` while those
/// loops ran cost ~13% of the samples, and its threaded path allocated a 512 KiB job
/// table per call (359 per step); split, the step was 3–7% faster and OpenBLAS allocates
/// nothing.
public enum BLAS {
  /// Threads for GEMMs and parallel loops; starts at OpenBLAS's own count (the cores,
  /// or `OPENBLAS_NUM_THREADS`).
  public static var threads: Int {
    get { state.threads }
    set { state.threads = max(1, newValue) }
  }

  /// `gemm` runs `gemmReference` instead of OpenBLAS: the last resort when every OpenBLAS
  /// kernel set failed the start-up check (`GEMMStartupCheck`). Set before any GEMM runs.
  public static var usesReference: Bool {
    get { state.usesReference }
    set { state.usesReference = newValue }
  }

  /// `gemm` sums every element in one fixed order (`ganrepl_fixed_order_gemm`), the same
  /// bits on every x86-64 CPU, instead of OpenBLAS's CPU-dependent order: `set portable on`.
  /// Several times slower than OpenBLAS. Set between steps, never during one.
  public static var fixedOrder: Bool {
    get { state.fixedOrder }
    set { state.fixedOrder = newValue }
  }

  private final class State: @unchecked Sendable {
    var threads: Int
    var usesReference = false
    var fixedOrder = false
    init(threads: Int) { self.threads = threads }
  }

  /// Read OpenBLAS's thread count once, then keep OpenBLAS to one thread per call.
  private static let state: State = {
    let state = State(threads: Int(openblas_get_num_threads()))
    openblas_set_num_threads(1)
    return state
  }()

  /// The kernel set OpenBLAS chose for this CPU (`Haswell`, `SkylakeX`, `Zen`, …).
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// OpenBLAS's build configuration string.
  public static var configuration: String { String(cString: openblas_get_config()) }

  /// OpenBLAS's own sgemm speed on n×n×n products (default 2048³), threaded by OpenBLAS
  /// on `threads` threads, in GFLOP/s: the best of repeated calls over about `seconds`,
  /// after one warm-up call. The ceiling a GEMM-bound convolution can reach on this
  /// machine.
  public static func measurePeak(size n: Int = 2048, seconds: Double = 1) -> Double {
    let a = Tensor(shape: Shape(n, n), repeating: 0.5)
    let b = Tensor(shape: Shape(n, n), repeating: 0.25)
    let c = Tensor(zeros: Shape(n, n))
    openblas_set_num_threads(Int32(threads))
    defer { openblas_set_num_threads(1) }
    func once() -> Double {
      let start = monotonicSeconds()
      sgemm(false, false, n, n, n, 1, a.pointer, n, b.pointer, n, 0, c.pointer, n)
      return monotonicSeconds() - start
    }
    _ = once()
    var best = Double.infinity
    let deadline = monotonicSeconds() + seconds
    repeat { best = min(best, once()) } while monotonicSeconds() < deadline
    return 2 * Double(n) * Double(n) * Double(n) / best * 1e-9
  }
}
