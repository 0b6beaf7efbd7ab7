/// Convolution kernels over NHWC images. A transposed convolution is the adjoint of a
/// convolution, so these three kernels serve both layers (Conv2DTranspose runs
/// `convBackwardInput` forward and `convForward` backward, on the geometry of the conv it
/// is the adjoint of).
///
/// Each pass picks one of five methods by geometry (`ConvMethod`); the tests hold every
/// method that applies to a geometry to `ConvReference`:
///
/// - columns (`ConvColumns.swift`): im2col of the input, GEMM with the kernel; the backward
///   input is GEMM then col2im, a cache-sized block at a time (`ColumnBlocks.swift`). The
///   general case.
/// - shifted (`ConvShifted.swift`): for stride 1 when OC < IC, multiply each input pixel by
///   every tap first, then shift-add (col2im of a flipped geometry), so the im2col matrix is
///   K²·OC wide instead of K²·IC. The tutorial generator's last conv (512 → 3, k5) went from
///   3.7 s to 0.4 s per training step (forward and both backwards, batch 32).
/// - winograd (`ConvWinograd.swift`): 4×4 kernels with stride 2 as Winograd F(2×2, 2×2)
///   on sub-pixel phases, 1.78× fewer multiplications.
/// - direct (`ConvDirect.swift`, C kernels in `Sources/CKernels`): patches of at most 64
///   floats (the faces' first conv and last deconv), windows read in place, no GEMM; on the
///   best instruction set the CPU runs that passed the start-up check (`DirectConv`).
///
/// Measured and rejected: the backward input of stride-2 k4 convs as four stride-1 2×2
/// "phase" convs (no overlapping col2im adds). On every geometry of the tutorial and the
/// classic DCGAN it was as fast as columns at best (the 256 → 512 deconv) and up to 5×
/// slower (3-channel layers), because its GEMMs are only IC wide.
///
/// Work is split into chunks of positions whose scratch fits `workspace.chunkFloats`.
/// `ConvGeometry.path(of:)` names the method a pass runs and the rule that chose it
/// (`bench`, `show generator`).

/// output[N, OH, OW, OC] = conv(input[N, H, W, IC], weight[KH, KW, IC, OC]) (overwrites)
public func convForward(
  input: Tensor, weight: Tensor, geometry g: ConvGeometry, output: Tensor, workspace: Workspace
) {
  if workspace.reference {
    output.assign(ConvReference.forward(input: input, kernel: weight, geometry: g))
    return
  }
  convForward(
    input: input, weight: weight, geometry: g, output: output, workspace: workspace, method: ConvMethod(.forward, g))
}

/// gradInput[N, H, W, IC] += convᵀ(gradOutput[N, OH, OW, OC]) with weight[KH, KW, IC, OC]
public func convBackwardInput(
  gradOutput: Tensor, weight: Tensor, geometry g: ConvGeometry, gradInput: Tensor,
  workspace: Workspace
) {
  if workspace.reference {
    gradInput.add(ConvReference.backwardInput(gradOutput: gradOutput, kernel: weight, geometry: g))
    return
  }
  convBackwardInput(
    gradOutput: gradOutput, weight: weight, geometry: g, gradInput: gradInput, workspace: workspace,
    method: ConvMethod(.backwardInput, g))
}

/// gradWeight[KH, KW, IC, OC] += Σ over positions of input windows ⊗ gradOutput
public func convBackwardWeight(
  input: Tensor, gradOutput: Tensor, geometry g: ConvGeometry, gradWeight: Tensor,
  workspace: Workspace
) {
  if workspace.reference {
    gradWeight.add(ConvReference.backwardKernel(input: input, gradOutput: gradOutput, geometry: g))
    return
  }
  convBackwardWeight(
    input: input, gradOutput: gradOutput, geometry: g, gradWeight: gradWeight, workspace: workspace,
    method: ConvMethod(.backwardWeight, g))
}

/// The three passes of a convolution.
public enum ConvPass: CaseIterable, Sendable { case forward, backwardInput, backwardWeight }

/// How a pass is computed; every method gives the same numbers up to rounding.
enum ConvMethod: CaseIterable {
  case columns, shifted, winograd, winograd4, direct

  /// The fastest method for `pass` on `g` (see `choice(for:geometry:)`).
  init(_ pass: ConvPass, _ g: ConvGeometry) { self = Self.choice(for: pass, geometry: g).method }

  /// The rule that picks the fastest method for `pass` on `g`; its `reason` is the phrase
  /// `bench` and `show generator` print. Rules measured on the tutorial's and the classic
  /// DCGAN's 14 layer geometries (2 cores, OpenBLAS): the direct kernels where
  /// `DirectConv.wins` (patches of at most 64 floats: forward, and the weight pass from 3
  /// channels; 1.4–2.7× faster than columns on D's first conv); shifted wherever it applies;
  /// Winograd for the forward and weight passes from 16 input channels (25–45% faster than
  /// columns from 64 channels, slower with 3), and for the backward input from more (its
  /// GEMMs are only IC wide): from 128 input channels (DCGAN steps 2–5% faster than columns
  /// at 128 on Zen 5's AVX-512 kernels, `docs/benchmarks/2026-11-28-gemm-planes.txt`, 5%
  /// with the AVX2 kernels and OpenBLAS's Haswell set on the same CPU,
  /// `docs/benchmarks/2026-11-29-avx2-proxy.txt`; slower at 64 on both).
  /// Where ganrepl's C kernels run AVX-512 or AVX2+FMA (and pass `WinogradF4Choice.check`),
  /// Winograd's larger tile F(4×4, 2×2) as far as the CPU's `WinogradF4Choice.Reach` goes:
  /// where 512-bit FMAs run whole, on grids of at least 16×16 tiled pixels (the output's,
  /// or for the backward input an input phase's); where FMAs are 256 bits wide, on grids
  /// from 4×4, and on those the backward input from 64 input channels. The first rule that
  /// applies decides. Every pass of every convolution asks, so the answer is a value and
  /// the words are built only when printed. `reach`: how far this machine takes
  /// F(4×4, 2×2) (this process's `WinogradF4.choice`, nil where it takes F(2×2) only; the
  /// tests ask every way).
  static func choice(
    for pass: ConvPass, geometry g: ConvGeometry, reach: WinogradF4Choice.Reach? = WinogradF4.choice.reach
  ) -> ConvRule {
    if DirectConv.wins(pass, g) { return .direct(patch: g.patchSize) }
    if ConvMethod.shifted.applies(to: g) { return .shifted }
    guard ConvMethod.winograd.applies(to: g) else { return g.columnsAreInput ? .imageIsItsOwnColumns : .general(pass) }
    let large = reach.flatMap { g.winogradGrid(pass) >= $0.grid ? $0 : nil }
    // A reach lowers the backward input's threshold on its grids, never raises it.
    let from = pass == .backwardInput ? min(large?.backwardInputChannels ?? 128, 128) : 16
    guard g.inputChannels >= from else { return .tooFewChannelsForWinograd(from: from, pass) }
    if let large { return .winograd4(from: from, reach: large) }
    return .winograd(from: from)
  }

  /// The columns method's steps for `pass`, in words.
  static func general(_ pass: ConvPass) -> String {
    switch pass {
    case .forward: "im2col + sgemm"
    case .backwardInput: "sgemm + col2im"
    case .backwardWeight: "im2col + sgemm"
    }
  }

  /// Whether this method can compute convolutions of geometry `g`.
  func applies(to g: ConvGeometry) -> Bool {
    switch self {
    case .columns: true
    case .shifted: g.shiftedApplies
    case .winograd, .winograd4: g.winogradApplies
    case .direct: DirectConv.isa != nil
    }
  }
}

func convForward(
  input: Tensor, weight: Tensor, geometry g: ConvGeometry, output: Tensor, workspace: Workspace, method: ConvMethod
) {
  let n = checkConvShapes(input: input, weight: weight, output: output, g)
  precondition(method.applies(to: g), "\(method) cannot compute \(g)")
  switch method {
  case .columns: columnsForward(input, weight, g, output, n, workspace)
  case .shifted: shiftedForward(input, weight, g, output, n, workspace)
  case .winograd: winogradForward(input, weight, g, output, n, .two, workspace)
  case .winograd4: winogradForward(input, weight, g, output, n, .four(WinogradF4.transforms), workspace)
  case .direct: directForward(input, weight, g, output, n, isa: DirectConv.isa!)
  }
}

func convBackwardInput(
  gradOutput: Tensor, weight: Tensor, geometry g: ConvGeometry, gradInput: Tensor, workspace: Workspace,
  method: ConvMethod
) {
  let n = checkConvShapes(input: gradInput, weight: weight, output: gradOutput, g)
  precondition(method.applies(to: g), "\(method) cannot compute \(g)")
  switch method {
  case .columns: columnsBackwardInput(gradOutput, weight, g, gradInput, n, workspace)
  case .shifted: shiftedBackwardInput(gradOutput, weight, g, gradInput, n, workspace)
  case .winograd: winogradBackwardInput(gradOutput, weight, g, gradInput, n, .two, workspace)
  case .winograd4:
    winogradBackwardInput(gradOutput, weight, g, gradInput, n, .four(WinogradF4.transforms), workspace)
  case .direct: directBackwardInput(gradOutput, weight, g, gradInput, n, isa: DirectConv.isa!)
  }
}

func convBackwardWeight(
  input: Tensor, gradOutput: Tensor, geometry g: ConvGeometry, gradWeight: Tensor, workspace: Workspace,
  method: ConvMethod
) {
  let n = checkConvShapes(input: input, weight: gradWeight, output: gradOutput, g)
  precondition(method.applies(to: g), "\(method) cannot compute \(g)")
  switch method {
  case .columns: columnsBackwardWeight(input, gradOutput, g, gradWeight, n, workspace)
  case .shifted: shiftedBackwardWeight(input, gradOutput, g, gradWeight, n, workspace)
  case .winograd: winogradBackwardWeight(input, gradOutput, g, gradWeight, n, .two, workspace)
  case .winograd4:
    winogradBackwardWeight(input, gradOutput, g, gradWeight, n, .four(WinogradF4.transforms), workspace)
  case .direct: directBackwardWeight(input, gradOutput, g, gradWeight, n, isa: DirectConv.isa!)
  }
}

extension ConvGeometry {
  /// Stride 1 with fewer output than input channels: the shifted formulation's im2col
  /// matrix (K²·OC wide) is narrower than the input's (K²·IC).
  var shiftedApplies: Bool {
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
    "conv \(g): kernel \(weight.shape) is not"
      + " [\(g.kernelHeight), \(g.kernelWidth), \(g.inputChannels), \(g.outputChannels)]"
  )
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
