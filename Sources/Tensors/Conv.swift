/// Convolution kernels over NHWC images: im2col/col2im plus one GEMM per chunk of output
/// positions. A transposed convolution is the adjoint of a convolution, so these three
/// kernels serve both layers (Conv2DTranspose runs `convBackwardInput` forward and
/// `convForward` backward, on the geometry of the conv it is the adjoint of).
///
/// Positions are processed in chunks whose im2col matrix fits `workspace.chunkFloats`;
/// when `geometry.columnsAreInput` the image is its own im2col matrix and no copy is made.

/// output[N, OH, OW, OC] = im2col(input[N, H, W, IC]) · weight[KH·KW·IC, OC]
public func convForward(
  input: Tensor, weight: Tensor, geometry g: ConvGeometry, output: Tensor, workspace: Workspace
) {
  let n = checkConvShapes(input: input, weight: weight, output: output, g)
  forEachChunk(of: n * g.positionsPerImage, g, workspace) { rows, columns in
    let a = columnsOf(input, rows, g, columns) { im2col(image: input.pointer, geometry: g, rows: rows, columns: $0) }
    gemm(
      m: rows.count, n: g.outputChannels, k: g.patchSize,
      a: a, lda: g.patchSize, b: weight.pointer, ldb: g.outputChannels,
      c: output.pointer + rows.lowerBound * g.outputChannels, ldc: g.outputChannels)
  }
}

/// gradInput[N, H, W, IC] += col2im(gradOutput[N, OH, OW, OC] · weightᵀ)
public func convBackwardInput(
  gradOutput: Tensor, weight: Tensor, geometry g: ConvGeometry, gradInput: Tensor,
  workspace: Workspace
) {
  let n = checkConvShapes(input: gradInput, weight: weight, output: gradOutput, g)
  let direct = g.columnsAreInput
  forEachChunk(of: n * g.positionsPerImage, g, workspace) { rows, columns in
    let target = direct ? gradInput.pointer + rows.lowerBound * g.patchSize : columns
    gemm(
      transposeB: true, m: rows.count, n: g.patchSize, k: g.outputChannels,
      a: gradOutput.pointer + rows.lowerBound * g.outputChannels, lda: g.outputChannels,
      b: weight.pointer, ldb: g.outputChannels,
      beta: direct ? 1 : 0, c: target, ldc: g.patchSize)
    if !direct {
      col2im(columns: columns, geometry: g, rows: rows, accumulatingInto: gradInput.pointer)
    }
  }
}

/// gradWeight[KH·KW·IC, OC] += im2col(input)ᵀ · gradOutput[N·OH·OW, OC]
public func convBackwardWeight(
  input: Tensor, gradOutput: Tensor, geometry g: ConvGeometry, gradWeight: Tensor,
  workspace: Workspace
) {
  _ = checkConvShapes(input: input, weight: gradWeight, output: gradOutput, g)
  let n = input.shape[0]
  forEachChunk(of: n * g.positionsPerImage, g, workspace) { rows, columns in
    let a = columnsOf(input, rows, g, columns) { im2col(image: input.pointer, geometry: g, rows: rows, columns: $0) }
    gemm(
      transposeA: true, m: g.patchSize, n: g.outputChannels, k: rows.count,
      a: a, lda: g.patchSize,
      b: gradOutput.pointer + rows.lowerBound * g.outputChannels, ldb: g.outputChannels,
      beta: 1, c: gradWeight.pointer, ldc: g.outputChannels)
  }
}

/// Checks image, kernel and output shapes against the geometry; returns the batch size.
private func checkConvShapes(input: Tensor, weight: Tensor, output: Tensor, _ g: ConvGeometry)
  -> Int
{
  let n = input.shape.rank == 4 ? input.shape[0] : -1
  precondition(
    input.shape == Shape(n, g.inputHeight, g.inputWidth, g.inputChannels),
    "conv \(g): input \(input.shape) is not [N, \(g.inputHeight), \(g.inputWidth), \(g.inputChannels)]")
  precondition(
    output.shape == Shape(n, g.outputHeight, g.outputWidth, g.outputChannels),
    "conv \(g): output \(output.shape) is not [\(n), \(g.outputHeight), \(g.outputWidth), \(g.outputChannels)]")
  precondition(
    weight.count == g.patchSize * g.outputChannels,
    "conv \(g): kernel \(weight.shape) is not [\(g.kernelHeight), \(g.kernelWidth), \(g.inputChannels), \(g.outputChannels)]")
  return n
}

/// Calls `body` on consecutive ranges of output positions, each with scratch for its
/// im2col rows; one chunk covers everything when it fits the workspace.
private func forEachChunk(
  of positions: Int, _ g: ConvGeometry, _ workspace: Workspace,
  _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void
) {
  let rowsPerChunk = max(1, min(positions, workspace.chunkFloats / max(g.patchSize, 1)))
  let columns = g.columnsAreInput ? workspace.floats(0) : workspace.floats(rowsPerChunk * g.patchSize)
  var start = 0
  while start < positions {
    let end = min(start + rowsPerChunk, positions)
    body(start..<end, columns)
    start = end
  }
}

/// The im2col rows of `input` for `rows`: the image itself when it is its own im2col
/// matrix, otherwise `columns` filled by `fill`.
private func columnsOf(
  _ input: Tensor, _ rows: Range<Int>, _ g: ConvGeometry, _ columns: UnsafeMutablePointer<Float>,
  _ fill: (UnsafeMutablePointer<Float>) -> Void
) -> UnsafePointer<Float> {
  if g.columnsAreInput { return UnsafePointer(input.pointer + rows.lowerBound * g.patchSize) }
  fill(columns)
  return UnsafePointer(columns)
}
