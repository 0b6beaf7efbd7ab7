import CKernels
import Testing

@testable import Tensors

/// `set portable on`'s product: every element of C is the scalar sum over k in order, a
/// multiply then an add, bit for bit, whatever the CPU's vectors (SSE2 or AVX).
@Suite("Fixed-order GEMM")
struct FixedOrderGEMMTests {
  /// The obvious loop in that order, in Float.
  static func reference(
    _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: [Float], _ lda: Int, _ b: [Float],
    _ ldb: Int, _ beta: Float, _ c: inout [Float], _ ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var s: Float = 0
        for p in 0..<k {
          let x = ta ? a[p * lda + i] : a[i * lda + p]
          let y = tb ? b[j * ldb + p] : b[p * ldb + j]
          s = s + x * y
        }
        c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j])
      }
    }
  }

  @Test(
    "equals the in-order scalar sum bit for bit: transposes, rows and columns past the blocks, beta, strides",
    arguments: [(false, false), (true, false), (false, true), (true, true)])
  func bits(_ transposes: (Bool, Bool)) {
    let (ta, tb) = transposes
    let random = RandomSource(seed: 3)
    for (m, n, k, alpha, beta) in [
      (1, 1, 1, Float(1), Float(0)), (5, 19, 7, 1, 0), (4, 16, 128, 1, 0), (13, 33, 300, 0.5, 1), (9, 2, 128, 1, 0.25),
    ] {
      let (lda, ldb, ldc) = ((ta ? m : k) + 3, (tb ? k : n) + 2, n + 1)
      let a = Tensor.randomNormal(Shape((ta ? k : m) * lda), using: random).values
      let b = Tensor.randomNormal(Shape((tb ? n : k) * ldb), using: random).values
      let start = Tensor.randomNormal(Shape(m * ldc), using: random).values
      var expected = start
      Self.reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, &expected, ldc)
      // SSE2's vectors, and AVX's where this CPU has them: the same bits.
      for avx in CPUFeatures.current.usable.contains(.avx) ? [0, 1] : [0] {
        var got = start
        let status = ganrepl_fixed_order_gemm_vectors(
          Int32(avx), ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, &got, ldc)
        #expect(status == 0)
        #expect(
          got.map(\.bitPattern) == expected.map(\.bitPattern),
          "avx \(avx): m \(m) n \(n) k \(k) alpha \(alpha) beta \(beta)")
      }
    }
  }
}
