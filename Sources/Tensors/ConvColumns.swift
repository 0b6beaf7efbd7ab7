/// The columns formulation: im2col of the input and one GEMM with the kernel per chunk of
/// output positions; the backward input is GEMM then col2im, block by block
/// (`ColumnBlocks`). When `geometry.columnsAreInput` the image is its own im2col matrix
/// and nothing is copied.

/// output[N·OH·OW, OC] = im2col(input)[N·OH·OW, KH·KW·IC] · weight[KH·KW·IC, OC]
func columnsForward(
  _ input: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ output: Tensor, _ n: Int, _ workspace: Workspace
) {
  let columns =
    g.columnsAreInput ? nil : workspace.floats(chunkRows(n * g.positionsPerImage, g.patchSize, workspace) * g.patchSize)
  forEachChunk(of: n * g.positionsPerImage, floatsPerRow: g.patchSize, workspace) { rows in
    let a = columnsOf(input, rows, g, columns)
    gemm(
      m: rows.count, n: g.outputChannels, k: g.patchSize,
      a: a, lda: g.patchSize, b: weight.pointer, ldb: g.outputChannels,
      c: output.pointer + rows.lowerBound * g.outputChannels, ldc: g.outputChannels)
  }
}

/// gradInput += col2im(gradOutput[N·OH·OW, OC] · weightᵀ[OC, KH·KW·IC])
func columnsBackwardInput(
  _ gradOutput: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ gradInput: Tensor, _ n: Int,
  _ workspace: Workspace
) {
  guard g.columnsAreInput else {
    columnBlocksBackwardInput(gradOutput, weight, g, gradInput, n, workspace)
    return
  }
  forEachChunk(of: n * g.positionsPerImage, floatsPerRow: g.patchSize, workspace) { rows in
    gemm(
      transposeB: true, m: rows.count, n: g.patchSize, k: g.outputChannels,
      a: gradOutput.pointer + rows.lowerBound * g.outputChannels, lda: g.outputChannels,
      b: weight.pointer, ldb: g.outputChannels,
      beta: 1, c: gradInput.pointer + rows.lowerBound * g.patchSize, ldc: g.patchSize)
  }
}

/// gradWeight[KH·KW·IC, OC] += im2col(input)ᵀ · gradOutput[N·OH·OW, OC]
func columnsBackwardWeight(
  _ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry, _ gradWeight: Tensor, _ n: Int,
  _ workspace: Workspace
) {
  let columns =
    g.columnsAreInput ? nil : workspace.floats(chunkRows(n * g.positionsPerImage, g.patchSize, workspace) * g.patchSize)
  forEachChunk(of: n * g.positionsPerImage, floatsPerRow: g.patchSize, workspace) { rows in
    let a = columnsOf(input, rows, g, columns)
    gemm(
      transposeA: true, m: g.patchSize, n: g.outputChannels, k: rows.count,
      a: a, lda: g.patchSize,
      b: gradOutput.pointer + rows.lowerBound * g.outputChannels, ldb: g.outputChannels,
      beta: 1, c: gradWeight.pointer, ldc: g.outputChannels)
  }
}

/// The im2col rows of `input` for `rows`: the image itself when it is its own im2col
/// matrix, otherwise `columns` filled by im2col.
private func columnsOf(
  _ input: Tensor, _ rows: Range<Int>, _ g: ConvGeometry, _ columns: UnsafeMutablePointer<Float>?
) -> UnsafePointer<Float> {
  guard let columns else { return UnsafePointer(input.pointer + rows.lowerBound * g.patchSize) }
  im2col(image: input.pointer, geometry: g, rows: rows, columns: columns)
  return UnsafePointer(columns)
}
