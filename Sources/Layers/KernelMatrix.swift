import Tensors

/// A layer's kernel seen as the matrix M [OUT, REST] whose largest singular value spectral
/// normalisation divides by: OUT is the axis of output channels, REST every other axis in
/// order (PyTorch's `weight.reshape(out, -1)` after moving `dim` to the front).
///
/// With the kernel flat, the OUT axis has `rows` entries, `inner` values after each (the
/// product of the later axes) and `outer` blocks before it (the product of the earlier ones):
/// kernel[o, r, i] = M[r, o·inner + i].
///   dense  [IN, OUT]          OUT last:   outer IN,      inner 1
///   conv   [KH, KW, IC, OC]   OC last:    outer KH·KW·IC, inner 1
///   deconv [KH, KW, OC, IC]   OC (PyTorch's dim=1 of ConvTranspose2d): outer KH·KW, inner IC
struct KernelMatrix {
  let outer: Int
  let rows: Int
  let inner: Int
  var columns: Int { outer * inner }

  /// The kernel of `shape` whose output channels are axis `outAxis`.
  init(kernel shape: Shape, outAxis: Int) {
    outer = shape.dims[..<outAxis].reduce(1, *)
    rows = shape.dims[outAxis]
    inner = shape.dims[(outAxis + 1)...].reduce(1, *)
  }

  /// Calls `body(flat kernel index, row, column)` for every element, in memory order.
  @inline(__always)
  private func forEach(_ body: (Int, Int, Int) -> Void) {
    var f = 0
    for o in 0..<outer {
      for r in 0..<rows {
        for i in 0..<inner {
          body(f, r, o * inner + i)
          f += 1
        }
      }
    }
  }

  /// v[REST] = Mᵀ · u[OUT]
  func multiplyTransposed(_ kernel: Tensor, _ u: Tensor, into v: Tensor) {
    var sums = [Double](repeating: 0, count: columns)
    let (w, x) = (kernel.pointer, u.pointer)
    forEach { f, r, c in sums[c] += Double(w[f]) * Double(x[r]) }
    for c in 0..<columns { v[c] = Float(sums[c]) }
  }

  /// u[OUT] = M · v[REST]
  func multiply(_ kernel: Tensor, _ v: Tensor, into u: Tensor) {
    var sums = [Double](repeating: 0, count: rows)
    let (w, x) = (kernel.pointer, v.pointer)
    forEach { f, r, c in sums[r] += Double(w[f]) * Double(x[c]) }
    for r in 0..<rows { u[r] = Float(sums[r]) }
  }

  /// uᵀ · M · v
  func bilinear(_ kernel: Tensor, _ u: Tensor, _ v: Tensor) -> Double {
    var sum = 0.0
    let (w, a, b) = (kernel.pointer, u.pointer, v.pointer)
    forEach { f, r, c in sum += Double(w[f]) * Double(a[r]) * Double(b[c]) }
    return sum
  }

  /// target[kernel] += scale · u vᵀ
  func addOuterProduct(_ scale: Float, _ u: Tensor, _ v: Tensor, to target: Tensor) {
    let (t, a, b) = (target.pointer, u.pointer, v.pointer)
    forEach { f, r, c in t[f] += scale * a[r] * b[c] }
  }
}
