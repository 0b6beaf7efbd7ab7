/// The transforms of Winograd's F(4×4, 2×2) over NHWC tiles, every channel at once: 4×4
/// outputs of a 2×2 correlation from a 5×5 input tile with 25 products, where F(2×2, 2×2)
/// (`WinogradTransforms.swift`) needs 36 for the same outputs: 1.44× fewer GEMM flops
/// again, 2.56× fewer than the direct method.
///
/// Interpolation points 0, 1, −1, 2 and ∞ (Lavin & Gray 2016's construction; the
/// matrices checked by `WinogradF4Tests` against the direct sum), per axis:
///
///     Bᵀ = [2 −1 −2 1 0; 0 −2 −1 1 0; 0 2 −3 1 0; 0 −1 0 1 0; 0 2 −1 −2 1]
///     G  = [1/2 0; −1/2 −1/2; −1/6 1/6; 1/6 1/3; 0 1]
///     Aᵀ = [1 1 1 1 0; 0 1 −1 2 0; 0 1 1 4 0; 0 1 −1 8 1]
///
/// so that y = Aᵀ[(Gg) ⊙ (Bᵀd)] is the correlation y[i] = Σ_t d[i + t]·g[t], and in 2-D
/// Y = Aᵀ[(GgGᵀ) ⊙ (BᵀdB)]A. Unlike F(2×2, 2×2) the coefficients are not all 0 and ±1: the
/// result is further from the direct sum: up to 1.2e-4 scaled in `WinogradF4Tests`, where
/// F(2×2, 2×2) stays under 1e-4.
/// The weight gradient's adjoints: dM = A·dY·Aᵀ, dg = Gᵀ·dU·G. Plane k = 5i + j holds
/// frequency (i, j). The arithmetic runs in C, 4, 8 or 16 channels per vector
/// (`Sources/CKernels/winograd_f4_template.h`, compiled per instruction set like the direct
/// convolution); these functions find the tile's pixels and call the set's table.

import CKernels

/// One instruction set's F(4×4, 2×2) transforms, their table looked up once for a pass
/// rather than for every tile.
struct WinogradF4Kernels: @unchecked Sendable {  // C function pointers, never written
  let isa: DirectConvISA
  let table: ganrepl_winograd4_kernels

  init(_ isa: DirectConvISA) {
    self.isa = isa
    table = isa.winograd4
  }
}

/// V = BᵀdB for the 5×5 tile at image rows base + step·i and columns base + step·j
/// (outside the image: zero), for every channel, into 25 planes `planeStride` apart.
@inline(__always)
func inputTransform4(
  _ kernels: ganrepl_winograd4_kernels,
  _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
  rows: (base: Int, step: Int), rowCount: Int, columns: (base: Int, step: Int), columnCount: Int,
  into v: UnsafeMutablePointer<Float>, planeStride: Int
) {
  withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: 25) { p in
    for i in 0..<5 {
      for j in 0..<5 {
        let (y, x) = (rows.base + rows.step * i, columns.base + columns.step * j)
        p[5 * i + j] =
          y >= 0 && y < rowCount && x >= 0 && x < columnCount ? image + (y * columnCount + x) * c : zeros
      }
    }
    kernels.input(p.baseAddress, c, v, planeStride)
  }
}

/// dM = A·dY·Aᵀ for the 4×4 tile of gradients at (row, column) (outside: zero), into 25 planes.
@inline(__always)
func gradientTransform4(
  _ kernels: ganrepl_winograd4_kernels,
  _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
  rows row: Int, rowCount: Int, columns column: Int, columnCount: Int,
  into z: UnsafeMutablePointer<Float>, planeStride: Int
) {
  withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: 16) { p in
    for i in 0..<4 {
      for j in 0..<4 {
        p[4 * i + j] =
          row + i < rowCount && column + j < columnCount
          ? image + ((row + i) * columnCount + column + j) * c : zeros
      }
    }
    kernels.gradient(p.baseAddress, c, z, planeStride)
  }
}

/// Y = AᵀMA: the 4×4 outputs of a tile from its 25 products, written (or added) into the
/// image at (row, column) where in range; `map` as in `outputTransform`.
@inline(__always)
func outputTransform4(
  _ kernels: ganrepl_winograd4_kernels,
  _ m: UnsafePointer<Float>, planeStride: Int, channels c: Int,
  into image: UnsafeMutablePointer<Float>, rows row: Int, rowCount: Int, columns column: Int,
  columnCount: Int, accumulate: Bool,
  map: (stride: Int, rowOffset: Int, columnOffset: Int, imageWidth: Int) = (1, 0, 0, 0)
) {
  let width = map.imageWidth > 0 ? map.imageWidth : columnCount
  withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>?.self, capacity: 16) { q in
    for i in 0..<4 {
      for j in 0..<4 {
        let (y, x) = (row + i, column + j)
        q[4 * i + j] =
          y < rowCount && x < columnCount
          ? image + ((y * map.stride + map.rowOffset) * width + x * map.stride + map.columnOffset) * c : nil
      }
    }
    kernels.output(m, planeStride, c, q.baseAddress, accumulate ? 1 : 0)
  }
}

/// U = GgGᵀ into 25 planes for `count` elements of the four taps (0,0) (0,1) (1,0) (1,1).
func kernelTransform4(
  _ kernels: ganrepl_winograd4_kernels,
  _ taps: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>), count: Int,
  into u: UnsafeMutablePointer<Float>, planeStride: Int
) {
  withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: 4) { g in
    (g[0], g[1], g[2], g[3]) = taps
    kernels.kernel(g.baseAddress, count, u, planeStride)
  }
}

/// The four taps' gradients dg = Gᵀ·dU·G of `count` elements, added into `targets`.
func kernelGradient4(
  _ kernels: ganrepl_winograd4_kernels,
  _ d: UnsafePointer<Float>, planeStride: Int, count: Int,
  into targets: (
    UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
  )
) {
  withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>?.self, capacity: 4) { t in
    (t[0], t[1], t[2], t[3]) = targets
    kernels.kernelGradient(d, planeStride, count, t.baseAddress)
  }
}
