/// Convolution kernels over NHWC images. A transposed convolution is the adjoint of a
/// convolution, so these three kernels serve both layers (Conv2DTranspose runs
/// `convBackwardInput` forward and `convForward` backward, on the geometry of the conv it
/// is the adjoint of).
///
/// Each kernel picks one of two formulations by geometry, both built from im2col/col2im
/// and GEMM, both held to `ConvReference` by the tests:
///
/// - columns (`ConvColumns.swift`): im2col of the input, GEMM with the kernel; the backward
///   input is GEMM then col2im. The general case.
/// - shifted (`ConvShifted.swift`): for stride 1 when OC < IC, multiply each input pixel by
///   every tap first, then shift-add (col2im of a flipped geometry), so the im2col matrix is
///   K²·OC wide instead of K²·IC. The tutorial generator's last conv (512 → 3, k5) went from
///   3.7 s to 0.4 s per training step (forward and both backwards, batch 32).
///
/// Measured and rejected: the backward input of stride-2 k4 convs as four stride-1 2×2
/// "phase" convs (no overlapping col2im adds). On every geometry of the tutorial and the
/// classic DCGAN it was as fast as columns at best (the 256 → 512 deconv) and up to 5×
/// slower (3-channel layers), because its GEMMs are only IC wide.
///
/// Work is split into chunks of positions whose scratch fits `workspace.chunkFloats`.

/// output[N, OH, OW, OC] = conv(input[N, H, W, IC], weight[KH, KW, IC, OC]) (overwrites)
public func convForward(
  input: Tensor, weight: Tensor, geometry g: ConvGeometry, output: Tensor, workspace: Workspace
) {
  let n = checkConvShapes(input: input, weight: weight, output: output, g)
  if g.prefersShifted {
    shiftedForward(input, weight, g, output, n, workspace)
  } else {
    columnsForward(input, weight, g, output, n, workspace)
  }
}

/// gradInput[N, H, W, IC] += convᵀ(gradOutput[N, OH, OW, OC]) with weight[KH, KW, IC, OC]
public func convBackwardInput(
  gradOutput: Tensor, weight: Tensor, geometry g: ConvGeometry, gradInput: Tensor,
  workspace: Workspace
) {
  let n = checkConvShapes(input: gradInput, weight: weight, output: gradOutput, g)
  if g.prefersShifted {
    shiftedBackwardInput(gradOutput, weight, g, gradInput, n, workspace)
  } else {
    columnsBackwardInput(gradOutput, weight, g, gradInput, n, workspace)
  }
}

/// gradWeight[KH, KW, IC, OC] += Σ over positions of input windows ⊗ gradOutput
public func convBackwardWeight(
  input: Tensor, gradOutput: Tensor, geometry g: ConvGeometry, gradWeight: Tensor,
  workspace: Workspace
) {
  let n = checkConvShapes(input: input, weight: gradWeight, output: gradOutput, g)
  if g.prefersShifted {
    shiftedBackwardWeight(input, gradOutput, g, gradWeight, n, workspace)
  } else {
    columnsBackwardWeight(input, gradOutput, g, gradWeight, n, workspace)
  }
}

extension ConvGeometry {
  /// Stride 1 with fewer output than input channels: the shifted formulation's im2col
  /// matrix (K²·OC wide) is narrower than the input's (K²·IC).
  var prefersShifted: Bool {
    strideHeight == 1 && strideWidth == 1 && outputChannels < inputChannels && !columnsAreInput
  }

}

/// Checks image, kernel and output shapes against the geometry; returns the batch size.
func checkConvShapes(input: Tensor, weight: Tensor, output: Tensor, _ g: ConvGeometry) -> Int {
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

/// Rows per chunk when each row needs `width` floats.
func chunkRows(_ positions: Int, _ width: Int, _ workspace: Workspace) -> Int {
  max(1, min(positions, workspace.chunkFloats / max(width, 1)))
}

/// Calls `body` on consecutive ranges of `positions`, each small enough that `floatsPerRow`
/// floats per row fit the workspace's chunk.
func forEachChunk(
  of positions: Int, floatsPerRow: Int, _ workspace: Workspace, _ body: (Range<Int>) -> Void
) {
  let rowsPerChunk = chunkRows(positions, floatsPerRow, workspace)
  var start = 0
  while start < positions {
    let end = min(start + rowsPerChunk, positions)
    body(start..<end)
    start = end
  }
}
