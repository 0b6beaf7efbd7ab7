/// Which of Winograd's minimal filterings a k4 s2 convolution runs on its sub-pixel phases
/// (`ConvWinograd.swift`): F(2×2, 2×2), 9 products for 2×2 outputs, or F(4×4, 2×2), 25
/// products for 4×4 outputs. The larger tile multiplies less (2.56× against 1.78× fewer
/// than the direct method) and its transforms touch fewer floats per output; its GEMMs are
/// a quarter as tall, which costs on small images and batches.
enum WinogradTile: Sendable {
  case two
  /// F(4×4, 2×2), with one instruction set's C transforms (`WinogradF4Transforms.swift`).
  case four(WinogradF4Kernels)

  /// Outputs per tile side.
  var side: Int {
    switch self {
    case .two: 2
    case .four: 4
    }
  }
  /// Inputs per tile side (a 2-tap correlation): side + 1.
  var span: Int { side + 1 }
  /// Products per tile: one GEMM each.
  var planes: Int { span * span }

  /// Tiles per thread's part of a transform that writes (or reads) `floatsPerPlane` floats
  /// in each plane: about 16K floats per plane for F(2×2, 2×2), the same work per part for
  /// F(4×4, 2×2). The parts never change the bits: each tile is computed alone.
  func grain(floatsPerPlane: Int) -> Int { max(1, (9 << 14) / (planes * floatsPerPlane)) }

  /// V = BᵀdB of the span × span input tile at image rows base + step·i, columns base + step·j.
  @inline(__always)
  func input(
    _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
    rows: (base: Int, step: Int), rowCount: Int, columns: (base: Int, step: Int), columnCount: Int,
    into v: UnsafeMutablePointer<Float>, planeStride: Int
  ) {
    switch self {
    case .two:
      inputTransform(
        image, channels: c, zeros: zeros, rows: rows, rowCount: rowCount, columns: columns,
        columnCount: columnCount, into: v, planeStride: planeStride)
    case .four(let kernels):
      inputTransform4(
        kernels.table,
        image, channels: c, zeros: zeros, rows: rows, rowCount: rowCount, columns: columns,
        columnCount: columnCount, into: v, planeStride: planeStride)
    }
  }

  /// The transformed gradient tile (side × side at row, column) for the weight gradient.
  @inline(__always)
  func gradient(
    _ image: UnsafePointer<Float>, channels c: Int, zeros: UnsafePointer<Float>,
    rows row: Int, rowCount: Int, columns column: Int, columnCount: Int,
    into z: UnsafeMutablePointer<Float>, planeStride: Int
  ) {
    switch self {
    case .two:
      gradientTransform(
        image, channels: c, zeros: zeros, rows: row, rowCount: rowCount, columns: column,
        columnCount: columnCount, into: z, planeStride: planeStride)
    case .four(let kernels):
      gradientTransform4(
        kernels.table,
        image, channels: c, zeros: zeros, rows: row, rowCount: rowCount, columns: column,
        columnCount: columnCount, into: z, planeStride: planeStride)
    }
  }

  /// Y = AᵀMA: the side × side outputs of a tile, written or added where in range.
  @inline(__always)
  func output(
    _ m: UnsafePointer<Float>, planeStride: Int, channels c: Int,
    into image: UnsafeMutablePointer<Float>, rows row: Int, rowCount: Int, columns column: Int,
    columnCount: Int, accumulate: Bool,
    map: (stride: Int, rowOffset: Int, columnOffset: Int, imageWidth: Int) = (1, 0, 0, 0)
  ) {
    switch self {
    case .two:
      outputTransform(
        m, planeStride: planeStride, channels: c, into: image, rows: row, rowCount: rowCount, columns: column,
        columnCount: columnCount, accumulate: accumulate, map: map)
    case .four(let kernels):
      outputTransform4(
        kernels.table,
        m, planeStride: planeStride, channels: c, into: image, rows: row, rowCount: rowCount, columns: column,
        columnCount: columnCount, accumulate: accumulate, map: map)
    }
  }

  /// U = GgGᵀ into `planes` planes, for `count` elements of the 2×2 taps (0,0) (0,1) (1,0) (1,1).
  func kernel(
    _ taps: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>), count: Int,
    into u: UnsafeMutablePointer<Float>, planeStride: Int
  ) {
    switch self {
    case .two:
      let (a, b, c, d) = taps
      for i in 0..<count {
        transformed(g00: a[i], g01: b[i], g10: c[i], g11: d[i], into: u + i, planeStride: planeStride)
      }
    case .four(let kernels): kernelTransform4(kernels.table, taps, count: count, into: u, planeStride: planeStride)
    }
  }

  /// dg = GᵀdU·G for `count` elements of the planes: the taps' gradients added into
  /// `targets` (taps (0,0) (0,1) (1,0) (1,1)).
  func kernelGradient(
    _ d: UnsafePointer<Float>, planeStride: Int, count: Int,
    into targets: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    )
  ) {
    switch self {
    case .two:
      // Row t of Gᵀ sums rows t and t + 1 of dU; the same for columns (A = G in F(2, 2)).
      let (t00, t01, t10, t11) = targets
      for i in 0..<count {
        @inline(__always) func plane(_ k: Int) -> Float { d[k * planeStride + i] }
        t00[i] += plane(0) + plane(1) + plane(3) + plane(4)
        t01[i] += plane(1) + plane(2) + plane(4) + plane(5)
        t10[i] += plane(3) + plane(4) + plane(6) + plane(7)
        t11[i] += plane(4) + plane(5) + plane(7) + plane(8)
      }
    case .four(let kernels): kernelGradient4(kernels.table, d, planeStride: planeStride, count: count, into: targets)
    }
  }
}
