/// Branch-free, vectorisable elementary functions for activations, accurate to a few
/// units in the last place of a `Float` (the tests check them against libm).

/// e^x for |x| ≤ 87: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series to r⁷
/// (remainder below 6·10⁻⁹ relative), 2ⁿ by building the float's exponent.
@inlinable @inline(__always)
public func fastExp(_ x: Float) -> Float {
  let clamped = min(max(x, -87), 87)
  let n = (clamped * 1.442_695_04).rounded()
  // r = x − n·ln 2, with ln 2 split in two so the product is exact enough.
  let r = (clamped - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6
  var p: Float = 1.0 / 5040
  p = p * r + 1.0 / 720
  p = p * r + 1.0 / 120
  p = p * r + 1.0 / 24
  p = p * r + 1.0 / 6
  p = p * r + 0.5
  p = p * r + 1
  p = p * r + 1
  let scale = Float(bitPattern: UInt32(truncatingIfNeeded: Int32(n) + 127) << 23)
  return p * scale
}

/// tanh x: the odd Taylor series to x⁹ for |x| < 0.3 (remainder below 2·10⁻⁸), else
/// sign(x)·(1 − 2 / (e^{2|x|} + 1)), which rounds to ±1 beyond |x| ≈ 9.
@inlinable @inline(__always)
public func fastTanh(_ x: Float) -> Float {
  let a = min(abs(x), 10)
  let large = 1 - 2 / (fastExp(2 * a) + 1)
  let x2 = x * x
  var small: Float = 62.0 / 2835
  small = small * x2 - 17.0 / 315
  small = small * x2 + 2.0 / 15
  small = small * x2 - 1.0 / 3
  small = (small * x2 + 1) * x
  let signed = x < 0 ? -large : large
  return abs(x) < 0.3 ? small : signed
}
