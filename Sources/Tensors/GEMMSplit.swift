/// How `gemm` cuts a large product into one-thread OpenBLAS calls: the longer of M and N,
/// L, in whole 16-row (or column) blocks — the kernels' register blocking — into `parts`
/// parts of at least `minimumBlocks` blocks each, at most `maximumParts` of them. The cut
/// depends on the sizes alone, never on how many threads there are: OpenBLAS's result for
/// an element depends on the size of the call that computes it (measured with its Zen
/// kernels, 0.3.21: a 2048×128×128 product as one call and as two of 1024 rows differed
/// in 10,301 of 262,144 elements, by up to 2·10⁻⁵), so a cut made by the thread count gave
/// a seeded run different numbers on 1, 2 or 3 threads (`set threads`, `taskset`, another
/// machine). `parallelRanges` then hands each thread a run of whole parts.
///
/// Eight parts keep up to eight threads busy; on two cores each thread makes four calls
/// instead of one. Measured on a shared 2-core AMD EPYC (release, load 4–5, so noisy):
/// `bench dcgan` 28.5–35.2 images/s against 29.8–37.0 cut by threads; 301 toy-grid steps
/// 8.6 and 6.5 s against 9.4 and 7.4 s.
public struct GEMMSplit: Equatable, Sendable {
  /// Most parts a product is cut into.
  public static let maximumParts = 8
  /// Fewest 16-blocks in a part.
  public static let minimumBlocks = 4

  /// L, the length of the side that is cut, and how many parts it is cut into.
  public let length: Int
  public let parts: Int

  /// The cut of side `length`: `min(maximumParts, blocks / minimumBlocks)` parts, one for
  /// a side under 2·`minimumBlocks` blocks.
  public init(length: Int) {
    self.length = length
    parts = max(1, min(Self.maximumParts, Self.blocks(length) / Self.minimumBlocks))
  }

  /// The cut of side `length` into `parts` parts of whole 16-blocks (fewer if it has fewer
  /// blocks): `gemmPlanes`' halves.
  public init(length: Int, parts: Int) {
    self.length = length
    self.parts = max(1, min(parts, Self.blocks(length)))
  }

  /// Rows (or columns) of part `p`: ⌊p·B/parts⌋ … ⌊(p+1)·B/parts⌋ of the B blocks, ×16.
  public func range(of p: Int) -> Range<Int> {
    let blocks = Self.blocks(length)
    return min(blocks * p / parts * 16, length)..<min(blocks * (p + 1) / parts * 16, length)
  }

  private static func blocks(_ length: Int) -> Int { (length + 15) / 16 }
}
