import CKernels

/// The direct method: ganrepl's own kernels (Sources/CKernels), which read each input window
/// in place — no im2col or col2im, no scratch — on the best instruction set this CPU runs
/// that passed the start-up check (`DirectConv.isa`). For patches of few floats (KH·KW·IC:
/// 48 for the faces' 3-channel first conv, 16 for gray faces), whose GEMMs have a side too
/// thin for OpenBLAS's blocking.
///
/// Threads split the output rows (forward), input rows (backward input) or blocks of output
/// channels (backward weight); each element is summed by one thread in a fixed order, so
/// the bits do not depend on the thread count.

/// output[N, OH, OW, OC] = conv(input[N, H, W, IC], weight[KH, KW, IC, OC]) (overwrites)
func directForward(
  _ input: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ output: Tensor, _ n: Int, isa: DirectConvISA
) {
  let forward = isa.kernels.forward!
  let (x, w, y) = (SendablePointer(input.pointer), SendablePointer(weight.pointer), SendablePointer(output.pointer))
  directSplit(n * g.outputHeight, g, n) { forward($0, x.pointer, w.pointer, y.pointer, $1.lowerBound, $1.upperBound) }
}

/// gradInput[N, H, W, IC] += convᵀ(gradOutput[N, OH, OW, OC]) with weight[KH, KW, IC, OC]
func directBackwardInput(
  _ gradOutput: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ gradInput: Tensor, _ n: Int, isa: DirectConvISA
) {
  let backwardInput = isa.kernels.backwardInput!
  let (dy, w, dx) = (
    SendablePointer(gradOutput.pointer), SendablePointer(weight.pointer), SendablePointer(gradInput.pointer)
  )
  directSplit(n * g.inputHeight, g, n) {
    backwardInput($0, dy.pointer, w.pointer, dx.pointer, $1.lowerBound, $1.upperBound)
  }
}

/// gradWeight[KH, KW, IC, OC] += Σ over positions of input windows ⊗ gradOutput
func directBackwardWeight(
  _ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry, _ gradWeight: Tensor, _ n: Int, isa: DirectConvISA
) {
  let kernels = isa.kernels
  let backwardWeight = kernels.backwardWeight!
  let (x, dy, dw) = (
    SendablePointer(input.pointer), SendablePointer(gradOutput.pointer), SendablePointer(gradWeight.pointer)
  )
  let units = withUnsafePointer(to: g.kernelGeometry(batch: n)) { kernels.weightUnits!($0) }
  directSplit(units, g, n) { backwardWeight($0, x.pointer, dy.pointer, dw.pointer, $1.lowerBound, $1.upperBound) }
}

/// Runs `body` on the C geometry and one range of `parts` per thread (`parallelRanges`).
private func directSplit(
  _ parts: Int, _ g: ConvGeometry, _ n: Int,
  _ body: @Sendable (UnsafePointer<ganrepl_conv_geometry>, Range<Int>) -> Void
) {
  let geometry = g.kernelGeometry(batch: n)
  parallelRanges(parts, grain: directGrain(parts, g, n)) { r in withUnsafePointer(to: geometry) { body($0, r) } }
}

/// Parts of at least 2¹⁸ multiply-adds: below that, waking a second thread costs more than
/// it saves.
private func directGrain(_ parts: Int, _ g: ConvGeometry, _ n: Int) -> Int {
  let work = n * g.positionsPerImage * g.patchSize * g.outputChannels
  return max(1, (1 << 18) / max(1, work / max(parts, 1)))
}

extension ConvGeometry {
  /// The C kernels' description of this geometry over a batch of `batch` images.
  func kernelGeometry(batch: Int) -> ganrepl_conv_geometry {
    ganrepl_conv_geometry(
      batch: batch, inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels,
      outputHeight: outputHeight, outputWidth: outputWidth, outputChannels: outputChannels,
      kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideHeight: strideHeight, strideWidth: strideWidth,
      padTop: padTop, padLeft: padLeft)
  }
}
