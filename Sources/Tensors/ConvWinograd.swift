/// Stride-2, 4×4 convolutions (DCGAN's every layer but the first and last) with Winograd's
/// minimal filtering F(2×2, 2×2) on sub-pixel phases: 9 multiplications for every 16 of
/// the direct method, so 1.78× fewer GEMM flops.
///
/// Per axis, split the input x into its two phases x_q[u] = x[2u + q]. Output y[o] =
/// Σ_kh x[2o − P + kh]·W[kh] then reads, from phase q, the two taps kh = r_q + 2t (t = 0, 1)
/// with r_q = (q + P) mod 2, at x_q[o + c_q + t], c_q = (r_q − q − P) / 2:
///
///     y[o] = Σ_q Σ_t x_q[o + c_q + t] · W[r_q + 2t]        (a 2-tap correlation per phase)
///
/// F(2, 2) computes two outputs of a 2-tap correlation from three inputs with three
/// products: with d = (d0, d1, d2) and g = (g0, g1),
///
///     V = Bᵀd = (d0 − d1, d1, d2 − d1),  U = Gg = (g0, g0 + g1, g1),  y = Aᵀ(U ⊙ V) = (m0 + m1, m1 + m2)
///
/// and in 2-D the transforms apply to rows and then columns (V = BᵀdB, U = GgGᵀ, Y = AᵀMA).
/// Only 0 and ±1 coefficients: it is as accurate as the direct sum. The 9 element-wise
/// products over channels are 9 GEMMs. Per pass:
///
/// - forward: tiles of 2×2 outputs; M_k = Σ_q V_{q,k}·U_{q,k} is one GEMM of width 4·IC
///   (the four phases side by side); Y = AᵀM_kA.
/// - backward input: per input phase q, gx_q[u] = Σ_s gy[u + e_q + s]·W[r_q + 2(1−s)]ᵀ with
///   e_q = −c_q − 1, a 2-tap correlation of gy; transform tiles of gy, GEMM with the
///   transformed taps in reverse order (transposed in the GEMM), and add the 2×2 results
///   into x's phase q.
/// - backward weight: the forward's adjoint in the transform domain, dU_k = Σ_tiles
///   V_kᵀ·(A dY Aᵀ)_k (one GEMM of height 4·IC), then dW = Gᵀ dU G. (A = G here.)
///
/// Tiles are processed in chunks that fit the workspace; transforms run on all threads.
/// The same passes run with F(4×4, 2×2) (`WinogradTile.four`): 4×4 output tiles from 5×5
/// inputs, 25 products and GEMMs instead of 9, `WinogradF4Transforms.swift`'s transforms.

extension ConvGeometry {
  /// 4×4 kernel, stride 2 on both axes: every phase sees exactly two taps per axis.
  var winogradApplies: Bool {
    kernelHeight == 4 && kernelWidth == 4 && strideHeight == 2 && strideWidth == 2 && !columnsAreInput
  }

  /// The smaller side of the grid `pass` cuts into tiles: the output (forward, weight
  /// gradient) or an input phase (backward input).
  func winogradGrid(_ pass: ConvPass) -> Int {
    pass == .backwardInput ? min(inputHeight / 2, inputWidth / 2) : min(outputHeight, outputWidth)
  }
}

/// The two taps and offset of input phase q along one axis with leading padding `pad`.
struct PhaseTaps {
  /// First tap: kh ∈ {r, r + 2}.
  let r: Int
  /// x_q[o + c + t] meets tap r + 2t.
  let c: Int

  init(phase q: Int, pad: Int) {
    r = ((q + pad) % 2 + 2) % 2
    c = (r - q - pad) / 2  // r − q − pad is even
  }
}

/// The output tiles (2×2 or 4×4) of a k4 s2 convolution, processed in chunks of `rows` tiles, and
/// the transformed input of one chunk: what the forward and the weight gradient share.
///
/// v: `tile.planes` planes of [rows, 4·IC], the four input phases' V side by side in each row.
struct OutputTiles {
  let tile: WinogradTile
  let grid: TileGrid
  /// Tiles per chunk.
  let rows: Int
  /// Scratch per tile: V (planes × 4·IC) and the GEMMs' planes × OC results.
  let floatsPerTile: Int
  let v: SendablePointer<Float>
  let zeros: SendablePointer<Float>

  init(_ g: ConvGeometry, _ n: Int, _ tile: WinogradTile, _ workspace: Workspace) {
    self.tile = tile
    grid = TileGrid(n: n, height: g.outputHeight, width: g.outputWidth, side: tile.side)
    floatsPerTile = tile.planes * (4 * g.inputChannels + g.outputChannels)
    rows = chunkRows(grid.count, floatsPerTile, workspace)
    v = SendablePointer(workspace.floats(tile.planes * rows * 4 * g.inputChannels, .columns))
    zeros = SendablePointer(workspace.zeros(max(g.inputChannels, g.outputChannels)))
  }

  /// Row `row` of v = V of tile `index` of x's four phases (side × side output tile → span ×
  /// span inputs per phase).
  @inline(__always)
  func transformInput(_ x: Tensor, _ g: ConvGeometry, tile index: Int, row: Int) {
    let (b, ta, tb) = grid.tile(index)
    let (ic, width, side) = (g.inputChannels, 4 * g.inputChannels, tile.side)
    for q in 0..<4 {
      let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
      tile.input(
        x.pointer + b * g.inputPixelsPerImage, channels: ic, zeros: zeros.pointer,
        rows: (2 * (side * ta + py.c) + q / 2, 2), rowCount: g.inputHeight,
        columns: (2 * (side * tb + px.c) + q % 2, 2), columnCount: g.inputWidth,
        into: v.pointer + row * width + q * ic, planeStride: rows * width)
    }
  }
}

/// output[N, OH, OW, OC] = conv(input, weight) for a k4 s2 geometry (overwrites).
func winogradForward(
  _ x: Tensor, _ w: Tensor, _ g: ConvGeometry, _ y: Tensor, _ n: Int, _ tile: WinogradTile, _ workspace: Workspace
) {
  let (ic, oc, planes, side) = (g.inputChannels, g.outputChannels, tile.planes, tile.side)
  let width = 4 * ic
  let u = SendablePointer(workspace.floats(planes * width * oc, .kernel))
  for q in 0..<4 {
    kernelTransform(w, g, tile, phase: q, reversed: false, into: u.pointer + q * ic * oc, planeStride: width * oc)
  }
  let tiles = OutputTiles(g, n, tile, workspace)
  let (grid, rows, v) = (tiles.grid, tiles.rows, tiles.v)
  let m = SendablePointer(workspace.floats(planes * rows * oc, .results))
  forEachChunk(of: grid.count, floatsPerRow: tiles.floatsPerTile, workspace) { chunk in
    parallelRanges(chunk.count, grain: tile.grain(floatsPerPlane: width)) { part in
      for t in part { tiles.transformInput(x, g, tile: chunk.lowerBound + t, row: t) }
    }
    gemmPlanes(
      planes, m: chunk.count, n: oc, k: width, a: v.pointer, lda: width, strideA: rows * width,
      b: u.pointer, ldb: oc, strideB: width * oc, c: m.pointer, ldc: oc, strideC: rows * oc)
    parallelRanges(chunk.count, grain: tile.grain(floatsPerPlane: oc)) { part in
      for t in part {
        let (b, ta, tb) = grid.tile(chunk.lowerBound + t)
        tile.output(
          m.pointer + t * oc, planeStride: rows * oc, channels: oc,
          into: y.pointer + b * g.outputPixelsPerImage, rows: side * ta, rowCount: g.outputHeight,
          columns: side * tb, columnCount: g.outputWidth, accumulate: false)
      }
    }
  }
}

/// gradInput[N, H, W, IC] += convᵀ(gradOutput) for a k4 s2 geometry.
func winogradBackwardInput(
  _ gy: Tensor, _ w: Tensor, _ g: ConvGeometry, _ gx: Tensor, _ n: Int, _ tile: WinogradTile, _ workspace: Workspace
) {
  let (ic, oc, planes, side) = (g.inputChannels, g.outputChannels, tile.planes, tile.side)
  let zeros = SendablePointer(workspace.zeros(max(ic, oc)))
  for q in 0..<4 {
    let (qy, qx) = (q / 2, q % 2)
    let (py, px) = (PhaseTaps(phase: qy, pad: g.padTop), PhaseTaps(phase: qx, pad: g.padLeft))
    let phase = TileGrid(
      n: n, height: (g.inputHeight - qy + 1) / 2, width: (g.inputWidth - qx + 1) / 2, side: side)
    guard phase.count > 0 else { continue }
    let u = SendablePointer(workspace.floats(planes * ic * oc, .kernel))
    kernelTransform(w, g, tile, phase: q, reversed: true, into: u.pointer, planeStride: ic * oc)
    let perTile = planes * (oc + ic)
    let rows = chunkRows(phase.count, perTile, workspace)
    let v = SendablePointer(workspace.floats(planes * rows * oc, .columns))
    let m = SendablePointer(workspace.floats(planes * rows * ic, .results))
    let (ey, ex) = (-py.c - 1, -px.c - 1)
    forEachChunk(of: phase.count, floatsPerRow: perTile, workspace) { chunk in
      parallelRanges(chunk.count, grain: tile.grain(floatsPerPlane: oc)) { part in
        for t in part {
          let (b, ta, tb) = phase.tile(chunk.lowerBound + t)
          tile.input(
            gy.pointer + b * g.outputPixelsPerImage, channels: oc, zeros: zeros.pointer,
            rows: (side * ta + ey, 1), rowCount: g.outputHeight,
            columns: (side * tb + ex, 1), columnCount: g.outputWidth,
            into: v.pointer + t * oc, planeStride: rows * oc)
        }
      }
      gemmPlanes(
        planes, transposeB: true, m: chunk.count, n: ic, k: oc, a: v.pointer, lda: oc, strideA: rows * oc,
        b: u.pointer, ldb: oc, strideB: ic * oc, c: m.pointer, ldc: ic, strideC: rows * ic)
      parallelRanges(chunk.count, grain: tile.grain(floatsPerPlane: ic)) { part in
        for t in part {
          let (b, ta, tb) = phase.tile(chunk.lowerBound + t)
          tile.output(
            m.pointer + t * ic, planeStride: rows * ic, channels: ic,
            into: gx.pointer + b * g.inputPixelsPerImage, rows: side * ta, rowCount: phase.height,
            columns: side * tb, columnCount: phase.width, accumulate: true,
            map: (2, qy, qx, g.inputWidth))
        }
      }
    }
  }
}

/// gradWeight[4, 4, IC, OC] += Σ over positions of input windows ⊗ gradOutput, k4 s2.
func winogradBackwardWeight(
  _ x: Tensor, _ gy: Tensor, _ g: ConvGeometry, _ dw: Tensor, _ n: Int, _ tile: WinogradTile, _ workspace: Workspace
) {
  let (ic, oc, planes, side) = (g.inputChannels, g.outputChannels, tile.planes, tile.side)
  let width = 4 * ic
  let du = workspace.floats(planes * width * oc, .kernel)
  du.update(repeating: 0, count: planes * width * oc)
  let tiles = OutputTiles(g, n, tile, workspace)
  let (grid, rows, v, zeros) = (tiles.grid, tiles.rows, tiles.v, tiles.zeros)
  let z = SendablePointer(workspace.floats(planes * rows * oc, .results))
  forEachChunk(of: grid.count, floatsPerRow: tiles.floatsPerTile, workspace) { chunk in
    parallelRanges(chunk.count, grain: tile.grain(floatsPerPlane: width)) { part in
      for t in part {
        tiles.transformInput(x, g, tile: chunk.lowerBound + t, row: t)
        let (b, ta, tb) = grid.tile(chunk.lowerBound + t)
        tile.gradient(
          gy.pointer + b * g.outputPixelsPerImage, channels: oc, zeros: zeros.pointer,
          rows: side * ta, rowCount: g.outputHeight, columns: side * tb, columnCount: g.outputWidth,
          into: z.pointer + t * oc, planeStride: rows * oc)
      }
    }
    gemmPlanes(
      planes, transposeA: true, m: width, n: oc, k: chunk.count, a: v.pointer, lda: width, strideA: rows * width,
      b: z.pointer, ldb: oc, strideB: rows * oc, beta: 1, c: du, ldc: oc, strideC: width * oc)
  }
  // dW[r_qy + 2ty, r_qx + 2tx, ic, oc] += (Gᵀ dU_q G)[ty, tx]
  for q in 0..<4 {
    let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
    let d = UnsafePointer(du + q * ic * oc)
    func target(_ ty: Int, _ tx: Int) -> UnsafeMutablePointer<Float> {
      dw.pointer + ((py.r + 2 * ty) * 4 + px.r + 2 * tx) * ic * oc
    }
    tile.kernelGradient(
      d, planeStride: width * oc, count: ic * oc, into: (target(0, 0), target(0, 1), target(1, 0), target(1, 1)))
  }
}
