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

extension ConvGeometry {
  /// 4×4 kernel, stride 2 on both axes: every phase sees exactly two taps per axis.
  var winogradApplies: Bool {
    kernelHeight == 4 && kernelWidth == 4 && strideHeight == 2 && strideWidth == 2 && !columnsAreInput
  }
}

/// The two taps and offset of input phase q along one axis with leading padding `pad`.
private struct PhaseTaps {
  /// First tap: kh ∈ {r, r + 2}.
  let r: Int
  /// x_q[o + c + t] meets tap r + 2t.
  let c: Int

  init(phase q: Int, pad: Int) {
    r = ((q + pad) % 2 + 2) % 2
    c = (r - q - pad) / 2  // r − q − pad is even
  }
}

/// output[N, OH, OW, OC] = conv(input, weight) for a k4 s2 geometry (overwrites).
func winogradForward(_ x: Tensor, _ w: Tensor, _ g: ConvGeometry, _ y: Tensor, _ n: Int, _ workspace: Workspace) {
  let (ic, oc) = (g.inputChannels, g.outputChannels)
  let width = 4 * ic
  let u = SendablePointer(workspace.floats(9 * width * oc, .kernel))
  for q in 0..<4 {
    kernelTransform(w, g, phase: q, reversed: false, into: u.pointer + q * ic * oc, planeStride: width * oc)
  }
  let grid = TileGrid(n: n, height: g.outputHeight, width: g.outputWidth)
  let perTile = 9 * (width + oc)
  let rows = chunkRows(grid.count, perTile, workspace)
  let v = SendablePointer(workspace.floats(9 * rows * width, .columns))
  let m = SendablePointer(workspace.floats(9 * rows * oc, .results))
  let zeros = SendablePointer(workspace.zeros(max(ic, oc)))
  forEachChunk(of: grid.count, floatsPerRow: perTile, workspace) { chunk in
    parallelRanges(chunk.count, grain: max(1, (1 << 14) / width)) { part in
      for t in part {
        let (b, ta, tb) = grid.tile(chunk.lowerBound + t)
        for q in 0..<4 {
          let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
          inputTransform(
            x.pointer + b * g.inputPixelsPerImage, channels: ic, zeros: zeros.pointer,
            rows: (2 * (2 * ta + py.c) + q / 2, 2), rowCount: g.inputHeight,
            columns: (2 * (2 * tb + px.c) + q % 2, 2), columnCount: g.inputWidth,
            into: v.pointer + t * width + q * ic, planeStride: rows * width)
        }
      }
    }
    for k in 0..<9 {
      gemm(
        m: chunk.count, n: oc, k: width, a: v.pointer + k * rows * width, lda: width,
        b: u.pointer + k * width * oc, ldb: oc, c: m.pointer + k * rows * oc, ldc: oc)
    }
    parallelRanges(chunk.count, grain: max(1, (1 << 14) / oc)) { part in
      for t in part {
        let (b, ta, tb) = grid.tile(chunk.lowerBound + t)
        outputTransform(
          m.pointer + t * oc, planeStride: rows * oc, channels: oc,
          into: y.pointer + b * g.outputPixelsPerImage, rows: 2 * ta, rowCount: g.outputHeight,
          columns: 2 * tb, columnCount: g.outputWidth, accumulate: false)
      }
    }
  }
}

/// gradInput[N, H, W, IC] += convᵀ(gradOutput) for a k4 s2 geometry.
func winogradBackwardInput(
  _ gy: Tensor, _ w: Tensor, _ g: ConvGeometry, _ gx: Tensor, _ n: Int, _ workspace: Workspace
) {
  let (ic, oc) = (g.inputChannels, g.outputChannels)
  let zeros = SendablePointer(workspace.zeros(max(ic, oc)))
  for q in 0..<4 {
    let (qy, qx) = (q / 2, q % 2)
    let (py, px) = (PhaseTaps(phase: qy, pad: g.padTop), PhaseTaps(phase: qx, pad: g.padLeft))
    let phase = TileGrid(n: n, height: (g.inputHeight - qy + 1) / 2, width: (g.inputWidth - qx + 1) / 2)
    guard phase.count > 0 else { continue }
    let u = SendablePointer(workspace.floats(9 * ic * oc, .kernel))
    kernelTransform(w, g, phase: q, reversed: true, into: u.pointer, planeStride: ic * oc)
    let perTile = 9 * (oc + ic)
    let rows = chunkRows(phase.count, perTile, workspace)
    let v = SendablePointer(workspace.floats(9 * rows * oc, .columns))
    let m = SendablePointer(workspace.floats(9 * rows * ic, .results))
    let (ey, ex) = (-py.c - 1, -px.c - 1)
    forEachChunk(of: phase.count, floatsPerRow: perTile, workspace) { chunk in
      parallelRanges(chunk.count, grain: max(1, (1 << 14) / oc)) { part in
        for t in part {
          let (b, ta, tb) = phase.tile(chunk.lowerBound + t)
          inputTransform(
            gy.pointer + b * g.outputPixelsPerImage, channels: oc, zeros: zeros.pointer,
            rows: (2 * ta + ey, 1), rowCount: g.outputHeight,
            columns: (2 * tb + ex, 1), columnCount: g.outputWidth,
            into: v.pointer + t * oc, planeStride: rows * oc)
        }
      }
      for k in 0..<9 {
        gemm(
          transposeB: true, m: chunk.count, n: ic, k: oc, a: v.pointer + k * rows * oc, lda: oc,
          b: u.pointer + k * ic * oc, ldb: oc, c: m.pointer + k * rows * ic, ldc: ic)
      }
      parallelRanges(chunk.count, grain: max(1, (1 << 14) / ic)) { part in
        for t in part {
          let (b, ta, tb) = phase.tile(chunk.lowerBound + t)
          outputTransform(
            m.pointer + t * ic, planeStride: rows * ic, channels: ic,
            into: gx.pointer + b * g.inputPixelsPerImage, rows: 2 * ta, rowCount: phase.height,
            columns: 2 * tb, columnCount: phase.width, accumulate: true,
            map: (2, qy, qx, g.inputWidth))
        }
      }
    }
  }
}

/// gradWeight[4, 4, IC, OC] += Σ over positions of input windows ⊗ gradOutput, k4 s2.
func winogradBackwardWeight(
  _ x: Tensor, _ gy: Tensor, _ g: ConvGeometry, _ dw: Tensor, _ n: Int, _ workspace: Workspace
) {
  let (ic, oc) = (g.inputChannels, g.outputChannels)
  let width = 4 * ic
  let du = workspace.floats(9 * width * oc, .kernel)
  du.update(repeating: 0, count: 9 * width * oc)
  let grid = TileGrid(n: n, height: g.outputHeight, width: g.outputWidth)
  let perTile = 9 * (width + oc)
  let rows = chunkRows(grid.count, perTile, workspace)
  let v = SendablePointer(workspace.floats(9 * rows * width, .columns))
  let z = SendablePointer(workspace.floats(9 * rows * oc, .results))
  let zeros = SendablePointer(workspace.zeros(max(ic, oc)))
  forEachChunk(of: grid.count, floatsPerRow: perTile, workspace) { chunk in
    parallelRanges(chunk.count, grain: max(1, (1 << 14) / width)) { part in
      for t in part {
        let (b, ta, tb) = grid.tile(chunk.lowerBound + t)
        for q in 0..<4 {
          let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
          inputTransform(
            x.pointer + b * g.inputPixelsPerImage, channels: ic, zeros: zeros.pointer,
            rows: (2 * (2 * ta + py.c) + q / 2, 2), rowCount: g.inputHeight,
            columns: (2 * (2 * tb + px.c) + q % 2, 2), columnCount: g.inputWidth,
            into: v.pointer + t * width + q * ic, planeStride: rows * width)
        }
        gradientTransform(
          gy.pointer + b * g.outputPixelsPerImage, channels: oc, zeros: zeros.pointer,
          rows: 2 * ta, rowCount: g.outputHeight, columns: 2 * tb, columnCount: g.outputWidth,
          into: z.pointer + t * oc, planeStride: rows * oc)
      }
    }
    for k in 0..<9 {
      gemm(
        transposeA: true, m: width, n: oc, k: chunk.count, a: v.pointer + k * rows * width, lda: width,
        b: z.pointer + k * rows * oc, ldb: oc, beta: 1, c: du + k * width * oc, ldc: oc)
    }
  }
  // dW[r_qy + 2ty, r_qx + 2tx, ic, oc] += (Gᵀ dU_q G)[ty, tx]
  for q in 0..<4 {
    let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
    let plane = width * oc
    let d = du + q * ic * oc
    for ty in 0..<2 {
      for tx in 0..<2 {
        // Row ty of Gᵀ sums rows ty and ty + 1 of dU; the same for columns.
        let (k0, k1, k2, k3) = (3 * ty + tx, 3 * ty + tx + 1, 3 * (ty + 1) + tx, 3 * (ty + 1) + tx + 1)
        let target = dw.pointer + ((py.r + 2 * ty) * 4 + px.r + 2 * tx) * ic * oc
        for i in 0..<(ic * oc) {
          target[i] += d[k0 * plane + i] + d[k1 * plane + i] + d[k2 * plane + i] + d[k3 * plane + i]
        }
      }
    }
  }
}

/// Tiles of 2×2 over an N×height×width grid; tile index → (image, tile row, tile column).
private struct TileGrid {
  let n: Int, height: Int, width: Int
  let rows: Int, columns: Int

  init(n: Int, height: Int, width: Int) {
    (self.n, self.height, self.width) = (n, height, width)
    rows = max(0, (height + 1) / 2)
    columns = max(0, (width + 1) / 2)
  }

  var count: Int { n * rows * columns }

  func tile(_ t: Int) -> (Int, Int, Int) {
    (t / (rows * columns), (t / columns) % rows, t % columns)
  }
}

/// V = BᵀdB for the 3×3 tile at image rows base + step·i and columns base + step·j
/// (outside the image: zero), for every channel; plane k (k = 3i + j) of V starts
/// `planeStride` floats after plane k − 1.
@inline(__always)
private func inputTransform(
  _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
  rows: (base: Int, step: Int), rowCount: Int, columns: (base: Int, step: Int), columnCount: Int,
  into v: UnsafeMutablePointer<Float>, planeStride: Int
) {
  func at(_ i: Int, _ j: Int) -> UnsafePointer<Float> {
    let (y, x) = (rows.base + rows.step * i, columns.base + columns.step * j)
    return y >= 0 && y < rowCount && x >= 0 && x < columnCount ? image + (y * columnCount + x) * c : zeros
  }
  let (p0, p1, p2, p3, p4, p5, p6, p7, p8) = (at(0, 0), at(0, 1), at(0, 2), at(1, 0), at(1, 1), at(1, 2), at(2, 0), at(2, 1), at(2, 2))
  for ch in 0..<c {
    // t = Bᵀd (rows): t0 = d0 − d1, t1 = d1, t2 = d2 − d1
    let t00 = p0[ch] - p3[ch], t01 = p1[ch] - p4[ch], t02 = p2[ch] - p5[ch]
    let t10 = p3[ch], t11 = p4[ch], t12 = p5[ch]
    let t20 = p6[ch] - p3[ch], t21 = p7[ch] - p4[ch], t22 = p8[ch] - p5[ch]
    // V = tB (columns), the same combination.
    v[ch] = t00 - t01
    v[planeStride + ch] = t01
    v[2 * planeStride + ch] = t02 - t01
    v[3 * planeStride + ch] = t10 - t11
    v[4 * planeStride + ch] = t11
    v[5 * planeStride + ch] = t12 - t11
    v[6 * planeStride + ch] = t20 - t21
    v[7 * planeStride + ch] = t21
    v[8 * planeStride + ch] = t22 - t21
  }
}

/// Z = A dY Aᵀ (= G dY Gᵀ) for the 2×2 tile of gradients at (row, column).
@inline(__always)
private func gradientTransform(
  _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
  rows row: Int, rowCount: Int, columns column: Int, columnCount: Int,
  into z: UnsafeMutablePointer<Float>, planeStride: Int
) {
  func at(_ i: Int, _ j: Int) -> UnsafePointer<Float> {
    row + i < rowCount && column + j < columnCount ? image + ((row + i) * columnCount + column + j) * c : zeros
  }
  let (p0, p1, p2, p3) = (at(0, 0), at(0, 1), at(1, 0), at(1, 1))
  for ch in 0..<c {
    transformed(g00: p0[ch], g01: p1[ch], g10: p2[ch], g11: p3[ch], into: z + ch, planeStride: planeStride)
  }
}

/// Y = AᵀMA: the 2×2 outputs of a tile from its 9 products, written (or added) into the
/// image at (row, column) where in range. `map` places phase-grid pixels in the full image
/// (row u → stride·u + rowOffset).
@inline(__always)
private func outputTransform(
  _ m: UnsafePointer<Float>, planeStride: Int, channels c: Int,
  into image: UnsafeMutablePointer<Float>, rows row: Int, rowCount: Int, columns column: Int,
  columnCount: Int, accumulate: Bool,
  map: (stride: Int, rowOffset: Int, columnOffset: Int, imageWidth: Int) = (1, 0, 0, 0)
) {
  let width = map.imageWidth > 0 ? map.imageWidth : columnCount
  func at(_ i: Int, _ j: Int) -> UnsafeMutablePointer<Float>? {
    let (y, x) = (row + i, column + j)
    guard y < rowCount && x < columnCount else { return nil }
    return image + ((y * map.stride + map.rowOffset) * width + x * map.stride + map.columnOffset) * c
  }
  let (q0, q1, q2, q3) = (at(0, 0), at(0, 1), at(1, 0), at(1, 1))
  let planes = (m, m + planeStride, m + 2 * planeStride, m + 3 * planeStride, m + 4 * planeStride,
                m + 5 * planeStride, m + 6 * planeStride, m + 7 * planeStride, m + 8 * planeStride)
  @inline(__always) func outputs(_ ch: Int) -> (Float, Float, Float, Float) {
    // r = AᵀM (rows): r0 = m0 + m1, r1 = m1 + m2; then columns the same.
    let r00 = planes.0[ch] + planes.3[ch], r01 = planes.1[ch] + planes.4[ch], r02 = planes.2[ch] + planes.5[ch]
    let r10 = planes.3[ch] + planes.6[ch], r11 = planes.4[ch] + planes.7[ch], r12 = planes.5[ch] + planes.8[ch]
    return (r00 + r01, r01 + r02, r10 + r11, r11 + r12)
  }
  if let q0, let q1, let q2, let q3 {
    if accumulate {
      for ch in 0..<c {
        let o = outputs(ch)
        q0[ch] += o.0
        q1[ch] += o.1
        q2[ch] += o.2
        q3[ch] += o.3
      }
    } else {
      for ch in 0..<c {
        let o = outputs(ch)
        q0[ch] = o.0
        q1[ch] = o.1
        q2[ch] = o.2
        q3[ch] = o.3
      }
    }
    return
  }
  @inline(__always) func store(_ target: UnsafeMutablePointer<Float>?, _ ch: Int, _ value: Float) {
    guard let target else { return }
    if accumulate { target[ch] += value } else { target[ch] = value }
  }
  for ch in 0..<c {
    let o = outputs(ch)
    store(q0, ch, o.0)
    store(q1, ch, o.1)
    store(q2, ch, o.2)
    store(q3, ch, o.3)
  }
}

/// GgGᵀ for a 2×2 g, into 9 planes: s = Gg (rows g0, g0 + g1, g1), then columns the same.
@inline(__always)
private func transformed(g00: Float, g01: Float, g10: Float, g11: Float, into u: UnsafeMutablePointer<Float>, planeStride: Int) {
  let (s10, s11) = (g00 + g10, g01 + g11)
  u[0] = g00
  u[planeStride] = g00 + g01
  u[2 * planeStride] = g01
  u[3 * planeStride] = s10
  u[4 * planeStride] = s10 + s11
  u[5 * planeStride] = s11
  u[6 * planeStride] = g10
  u[7 * planeStride] = g10 + g11
  u[8 * planeStride] = g11
}

/// U_q[k][ic][oc] = (G g Gᵀ)_k with g[ty][tx] = W[r_y + 2ty, r_x + 2tx, ic, oc], or with the
/// taps in reverse order when `reversed` (the backward input's correlation); plane k starts
/// `planeStride` floats after plane k − 1.
private func kernelTransform(
  _ w: Tensor, _ g: ConvGeometry, phase q: Int, reversed: Bool, into u: UnsafeMutablePointer<Float>, planeStride: Int
) {
  let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
  let plane = g.inputChannels * g.outputChannels
  func tap(_ ty: Int, _ tx: Int) -> UnsafePointer<Float> {
    let (sy, sx) = reversed ? (1 - ty, 1 - tx) : (ty, tx)
    return UnsafePointer(w.pointer + ((py.r + 2 * sy) * 4 + px.r + 2 * sx) * plane)
  }
  let (a, b, c, d) = (tap(0, 0), tap(0, 1), tap(1, 0), tap(1, 1))
  for i in 0..<plane {
    transformed(g00: a[i], g01: b[i], g10: c[i], g11: d[i], into: u + i, planeStride: planeStride)
  }
}
