import TestSupport
import Testing

@testable import Tensors

/// `gemmPlanes`: Winograd's per-plane products, each plane cut in at most two by its size.
@Suite("GEMM planes")
struct GEMMPlanesTests {
  /// The shapes of the classic DCGAN's Winograd passes (F(2×2)'s 9 planes, F(4×4)'s 25),
  /// cut along M and along N, each with either operand transposed, with planes stored at
  /// strides wider than a plane; the last product is too small to leave the calling thread.
  @Test(
    "each plane is its own product, with the same bits on 1, 2, 3 and 5 threads",
    arguments: [
      (false, false, 9, 300, 64, 96), (false, true, 25, 130, 40, 64), (true, false, 9, 256, 128, 70),
      (false, false, 4, 20, 400, 80), (false, true, 9, 40, 200, 64), (true, false, 9, 60, 300, 80),
      (false, false, 3, 5, 6, 7),
    ])
  func planes(_ ta: Bool, _ tb: Bool, _ count: Int, _ m: Int, _ n: Int, _ k: Int) {
    let (strideA, strideB, strideC) = (m * k + 5, k * n + 3, m * n + 7)
    let a = randomTensor(Shape(count * strideA), seed: 1)
    let b = randomTensor(Shape(count * strideB), seed: 2)
    let initial = randomTensor(Shape(count * strideC), seed: 3)
    let (lda, ldb) = (ta ? m : k, tb ? k : n)
    let large = count * m * n * k >= 1 << 21
    func product(threads: Int) -> Tensor {
      let c = initial.copy()
      let probe = ParallelProbe(threads: threads)
      defer { #expect(probe.largestSplit == (large ? threads : 1), "\(threads) threads") }
      ParallelProbe.$current.withValue(probe) {
        gemmPlanes(
          count, transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a.pointer, lda: lda, strideA: strideA,
          b: b.pointer, ldb: ldb, strideB: strideB, beta: 1, c: c.pointer, ldc: n, strideC: strideC)
      }
      return c
    }
    let one = product(threads: 1)
    let expected = initial.copy()
    for p in 0..<count {
      gemmReference(
        transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a.pointer + p * strideA, lda: lda,
        b: b.pointer + p * strideB, ldb: ldb, beta: 1, c: expected.pointer + p * strideC, ldc: n)
    }
    #expect(one.maxAbsDifference(expected) < 1e-4, "\(count) planes, m \(m) n \(n) k \(k)")
    for threads in [2, 3, 5] {
      let same = product(threads: threads).values == one.values
      #expect(same, "\(count) planes, m \(m) n \(n) k \(k) on \(threads) threads")
    }
  }

  @Test("a cut into a given number of parts keeps whole 16-blocks")
  func halves() {
    #expect(GEMMSplit(length: 127, parts: 1).parts == 1)
    let split = GEMMSplit(length: 300, parts: 2)
    #expect(split.parts == 2 && split.range(of: 0) == 0..<144 && split.range(of: 1) == 144..<300)
    #expect(GEMMSplit(length: 20, parts: 2).parts == 2 && GEMMSplit(length: 16, parts: 2).parts == 1)
  }
}
