/// Elementwise operations. They write into an existing tensor (no allocation), and are
/// plain loops over raw pointers that the optimiser vectorises.
extension Tensor {
  /// Sets every element to zero.
  public func zero() { pointer.update(repeating: 0, count: count) }

  /// Sets every element to `value`.
  public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

  /// self += alpha · x
  public func add(_ x: Tensor, scaledBy alpha: Float = 1) {
    precondition(x.count == count, "add: \(x.shape) into \(shape)")
    let a = pointer
    let b = x.pointer
    for i in 0..<count { a[i] += alpha * b[i] }
  }

  /// self *= alpha
  public func scale(by alpha: Float) {
    let a = pointer
    for i in 0..<count { a[i] *= alpha }
  }

  /// Adds `row` (length C) to every row of self seen as `[count / C, C]`: a bias add.
  public func addRowVector(_ row: Tensor) {
    let c = row.count
    precondition(c > 0 && count % c == 0, "addRowVector: \(row.shape) does not tile \(shape)")
    parallelRanges(count / c, grain: max(1, (1 << 16) / c)) { rows in
      let (a, b) = (self.pointer, row.pointer)
      for r in rows {
        let base = r * c
        for j in 0..<c { a[base + j] += b[j] }
      }
    }
  }

  /// self[i] = f(x[i])
  public func map(from x: Tensor, _ f: (Float) -> Float) {
    precondition(x.count == count, "map: \(x.shape) into \(shape)")
    let a = pointer
    let b = x.pointer
    for i in 0..<count { a[i] = f(b[i]) }
  }
}
