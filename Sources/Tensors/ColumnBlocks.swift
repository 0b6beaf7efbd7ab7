/// The columns method's backward input, block by block: one block's rows of gradOutput
/// times the kernel into a small buffer, then col2im of that buffer at once, while it is
/// still in the cache, instead of one GEMM writing the whole im2col-sized matrix (64 MiB
/// for the classic DCGAN's `conv 128`, beyond the 32 MiB L3) and col2im reading it back.
///
/// gradOutput [N·OH·OW, OC] · weightᵀ [OC, KH·KW·IC] → columns [rows of a block, KH·KW·IC]
/// → col2im → gradInput [N, H, W, IC] (accumulated)
///
/// Blocks are whole images, as many as fit `floats` of columns but at most an eighth of the
/// batch (so up to 8 threads share the work, as `GEMMSplit` cuts), or runs of one image's
/// rows when one image does not fit; they follow from the sizes alone, never from the thread
/// count, so every sgemm call has the same sizes (and OpenBLAS the same rounding) on any
/// number of threads. Threads take whole blocks of images (windows of one image overlap,
/// those of two never do), each with its own buffer, and add in the same order as one
/// thread would. The buffer is zeroed once; col2im clears each row after adding it, so
/// every sgemm accumulates onto zeros (beta 1) and OpenBLAS skips the pass that zeroes C
/// for beta 0 (the same bits: 0 + x = x).
///
/// Measured on the classic DCGAN's geometries at batch 64 (release, AMD EPYC Zen 3, AVX2,
/// 2 threads, a shared machine at load 4–6; 25 rounds alternating the old and the new pass
/// in one process; the median of each round's new/old ratio, in CPU time and in wall time):
/// `conv 128` 0.85 and 0.84 (CPU 93.1 → 79.8 ms), `conv 256` 0.92 and 0.92 (66.0 → 60.3 ms),
/// the adjoint of `deconv 3` (G's forward) 0.92 and 0.95 (14.4 → 13.3 ms). Of the old pass
/// the GEMM took 87% and col2im 13%: the GEMM is the cost (K = OC is small, and C is eight
/// times the output); blocks keep its C out of memory. Blocks of 128 Ki and 512 Ki floats
/// gained less on one layer or lost on another; without the cleared buffer (beta 0) the
/// gain was about 5% smaller.
struct ColumnBlocks {
  /// Floats of columns per block with `workspace`: at most 1 Mi (4 MiB), and at most an
  /// eighth of its chunk, so that 8 threads' buffers fit in it.
  static func floats(for workspace: Workspace) -> Int {
    max(1, min(workspace.chunkFloats / GEMMSplit.maximumParts, 1 << 20))
  }

  let positionsPerImage: Int
  let images: Int
  /// Images per group of rows threads hand out: whole blocks of images, or one image.
  let imagesPerGroup: Int
  /// Rows (output positions) per sgemm.
  let rowsPerBlock: Int

  init(_ g: ConvGeometry, images n: Int, floats: Int) {
    positionsPerImage = g.positionsPerImage
    images = n
    let imageFloats = g.positionsPerImage * g.patchSize
    let eighth = (n + GEMMSplit.maximumParts - 1) / GEMMSplit.maximumParts
    imagesPerGroup = max(1, min(eighth, floats / max(imageFloats, 1)))
    rowsPerBlock =
      imagesPerGroup > 1
      ? imagesPerGroup * g.positionsPerImage : max(1, min(g.positionsPerImage, floats / max(g.patchSize, 1)))
  }

  var groups: Int { (images + imagesPerGroup - 1) / imagesPerGroup }

  /// Calls `body` on the blocks of rows of `group`, in order.
  func forEachBlock(ofGroup group: Int, _ body: (Range<Int>) -> Void) {
    var start = group * imagesPerGroup * positionsPerImage
    let end = min(images, (group + 1) * imagesPerGroup) * positionsPerImage
    while start < end {
      let stop = min(start + rowsPerBlock, end)
      body(start..<stop)
      start = stop
    }
  }
}

/// gradInput += col2im(gradOutput[N·OH·OW, OC] · weightᵀ[OC, KH·KW·IC]), block by block.
func columnBlocksBackwardInput(
  _ gradOutput: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ gradInput: Tensor, _ n: Int,
  _ workspace: Workspace
) {
  let blocks = ColumnBlocks(g, images: n, floats: ColumnBlocks.floats(for: workspace))
  let bufferFloats = blocks.rowsPerBlock * g.patchSize
  // One buffer per thread, as many as the workspace's chunk holds (the result does not
  // depend on how many: blocks and the order of adds are the same).
  let slots = min(blocks.groups, parallelThreads, max(1, workspace.chunkFloats / bufferFloats))
  let (dy, w, dx) = (
    SendablePointer(gradOutput.pointer), SendablePointer(weight.pointer), SendablePointer(gradInput.pointer)
  )
  let buffers = SendablePointer(workspace.floats(slots * bufferFloats))
  parallelRanges(slots, grain: 1) { part in
    for slot in part {
      let columns = buffers.pointer + slot * bufferFloats
      columns.update(repeating: 0, count: bufferFloats)
      for group in (blocks.groups * slot / slots)..<(blocks.groups * (slot + 1) / slots) {
        blocks.forEachBlock(ofGroup: group) { rows in
          gemmOnThisThread(
            transposeB: true, m: rows.count, n: g.patchSize, k: g.outputChannels,
            a: dy.pointer + rows.lowerBound * g.outputChannels, lda: g.outputChannels,
            b: w.pointer, ldb: g.outputChannels, beta: 1, c: columns, ldc: g.patchSize)
          col2imClearing(columns: columns, geometry: g, rows: rows, accumulatingInto: dx.pointer)
        }
      }
    }
  }
}
