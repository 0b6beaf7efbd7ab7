extension Tensor {
  /// Σ self, accumulated in `Double`.
  public func sum() -> Double {
    var s = 0.0
    let a = pointer
    for i in 0..<count { s += Double(a[i]) }
    return s
  }

  public func mean() -> Double { count == 0 ? 0 : sum() / Double(count) }

  /// Σ self[i]·other[i], accumulated in `Double`.
  public func dot(_ other: Tensor) -> Double {
    precondition(other.count == count, "dot: \(shape) · \(other.shape)")
    var s = 0.0
    let a = pointer
    let b = other.pointer
    for i in 0..<count { s += Double(a[i]) * Double(b[i]) }
    return s
  }

  /// Adds the column sums of self seen as `[count / C, C]` into `sums` (length C):
  /// a bias gradient over every position and sample. Threads split the columns, so each
  /// sum is added in the same order whatever the thread count.
  public func accumulateColumnSums(into sums: Tensor) {
    let c = sums.count
    precondition(c > 0 && count % c == 0, "columnSums: \(sums.shape) does not tile \(shape)")
    let rows = count / c
    parallelRanges(c, grain: c >= 32 && rows * c >= 1 << 16 ? 16 : c) { columns in
      let (a, s) = (self.pointer, sums.pointer)
      for r in 0..<rows {
        let base = r * c
        for j in columns { s[j] += a[base + j] }
      }
    }
  }

  /// max |self[i] − other[i]|
  public func maxAbsDifference(_ other: Tensor) -> Float {
    precondition(other.count == count, "maxAbsDifference: \(shape) vs \(other.shape)")
    var m: Float = 0
    for i in 0..<count { m = Swift.max(m, abs(pointer[i] - other.pointer[i])) }
    return m
  }

  /// max |self[i]|
  public func maxAbs() -> Float {
    var m: Float = 0
    for i in 0..<count { m = Swift.max(m, abs(pointer[i])) }
    return m
  }

  /// True when every element is finite (no NaN, no ±∞).
  public var isFinite: Bool {
    for i in 0..<count where !pointer[i].isFinite { return false }
    return true
  }
}
