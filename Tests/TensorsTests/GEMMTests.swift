import Tensors
import TestSupport
import Testing

@Suite("GEMM")
struct GEMMTests {
  @Test(
    "gemm matches the reference triple loop, also when split along M or N among threads",
    arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matchesReference(transposes: (Bool, Bool)) {
    let (ta, tb) = transposes
    // The last two are large enough to be split (along M, then along N) on 2+ threads,
    // with part boundaries off the matrix's end.
    for (m, n, k) in [(1, 1, 1), (7, 5, 3), (33, 17, 65), (4, 64, 9), (301, 70, 60), (70, 299, 64)] {
      for beta: Float in [0, 1] {
        // Leading dimensions wider than the matrices, to exercise the strides.
        let lda = (ta ? m : k) + 3
        let ldb = (tb ? k : n) + 2
        let ldc = n + 1
        let a = randomTensor(Shape((ta ? k : m) * lda), seed: 1)
        let b = randomTensor(Shape((tb ? n : k) * ldb), seed: 2)
        let fast = randomTensor(Shape(m * ldc), seed: 3)
        let slow = fast.copy()
        gemm(
          transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a.pointer, lda: lda,
          b: b.pointer, ldb: ldb, beta: beta, c: fast.pointer, ldc: ldc)
        gemmReference(
          transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a.pointer, lda: lda,
          b: b.pointer, ldb: ldb, beta: beta, c: slow.pointer, ldc: ldc)
        let result = compare(fast, slow, tolerance: 1e-5)
        #expect(result.passes, "m \(m) n \(n) k \(k) beta \(beta): \(result)")
      }
    }
  }
}
