/// The transforms of Winograd's F(2×2, 2×2) (see `ConvWinograd.swift`) over NHWC tiles,
/// every channel at once: V = BᵀdB of a 3×3 input tile, U = GgGᵀ of a 2×2 kernel (the same
/// transform gives A·dY·Aᵀ of a 2×2 gradient tile), and Y = AᵀMA of the 9 products (the
/// same gives GᵀdU·G of a kernel gradient).

/// Tiles of side × side over an N×height×width grid; tile index → (image, tile row, tile column).
struct TileGrid {
  let n: Int, height: Int, width: Int
  let rows: Int, columns: Int

  init(n: Int, height: Int, width: Int, side: Int) {
    (self.n, self.height, self.width) = (n, height, width)
    rows = max(0, (height + side - 1) / side)
    columns = max(0, (width + side - 1) / side)
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
func inputTransform(
  _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
  rows: (base: Int, step: Int), rowCount: Int, columns: (base: Int, step: Int), columnCount: Int,
  into v: UnsafeMutablePointer<Float>, planeStride: Int
) {
  func at(_ i: Int, _ j: Int) -> UnsafePointer<Float> {
    let (y, x) = (rows.base + rows.step * i, columns.base + columns.step * j)
    return y >= 0 && y < rowCount && x >= 0 && x < columnCount ? image + (y * columnCount + x) * c : zeros
  }
  let (p0, p1, p2, p3, p4, p5, p6, p7, p8) = (
    at(0, 0), at(0, 1), at(0, 2), at(1, 0), at(1, 1), at(1, 2), at(2, 0), at(2, 1), at(2, 2)
  )
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
func gradientTransform(
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
func outputTransform(
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
  let planes = (
    m, m + planeStride, m + 2 * planeStride, m + 3 * planeStride, m + 4 * planeStride,
    m + 5 * planeStride, m + 6 * planeStride, m + 7 * planeStride, m + 8 * planeStride
  )
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
func transformed(g00: Float, g01: Float, g10: Float, g11: Float, into u: UnsafeMutablePointer<Float>, planeStride: Int)
{
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

/// U_q[k][ic][oc] = (G g Gᵀ)_k (`tile`'s planes) with g[ty][tx] = W[r_y + 2ty, r_x + 2tx, ic, oc], or with the
/// taps in reverse order when `reversed` (the backward input's correlation); plane k starts
/// `planeStride` floats after plane k − 1.
func kernelTransform(
  _ w: Tensor, _ g: ConvGeometry, _ tile: WinogradTile, phase q: Int, reversed: Bool,
  into u: UnsafeMutablePointer<Float>, planeStride: Int
) {
  let (py, px) = (PhaseTaps(phase: q / 2, pad: g.padTop), PhaseTaps(phase: q % 2, pad: g.padLeft))
  let plane = g.inputChannels * g.outputChannels
  func tap(_ ty: Int, _ tx: Int) -> UnsafePointer<Float> {
    let (sy, sx) = reversed ? (1 - ty, 1 - tx) : (ty, tx)
    return UnsafePointer(w.pointer + ((py.r + 2 * sy) * 4 + px.r + 2 * sx) * plane)
  }
  tile.kernel((tap(0, 0), tap(0, 1), tap(1, 0), tap(1, 1)), count: plane, into: u, planeStride: planeStride)
}
