import Tensors

/// DiffAugment's `translation` (`rand_translation`, ratio r, 1/8 by default): each image
/// shifted by whole pixels, (dy, dx) uniform in ±round(r·H) × ±round(r·W), with zeros shifted in:
///   y[n, h, w, c] = x[n, h + dy, w + dx, c], or 0 where that lies outside the image.
///
/// x [N, H, W, C] → y [N, H, W, C]
struct Translation {
  var rows: [Int]
  var columns: [Int]

  /// The largest shift as a fraction of the height and width, as DiffAugment has it.
  static let defaultRatio: Float = 0.125

  /// The largest shift in whole pixels along a side of `side` pixels: round(r·side).
  static func pixels(side: Int, ratio: Float) -> Int { Int(Float(side) * ratio + 0.5) }

  /// Draws every row shift, then every column shift (the official order).
  init(images n: Int, height: Int, width: Int, ratio: Float = defaultRatio, random: RandomSource) {
    let (sh, sw) = (Self.pixels(side: height, ratio: ratio), Self.pixels(side: width, ratio: ratio))
    rows = (0..<n).map { _ in Int.random(in: -sh...sh, using: &random.generator) }
    columns = (0..<n).map { _ in Int.random(in: -sw...sw, using: &random.generator) }
  }

  /// The shifts of images `kept` alone (one rank's rows of a batch drawn whole).
  func rows(_ kept: Range<Int>) -> Translation {
    var part = self
    (part.rows, part.columns) = (Array(rows[kept]), Array(columns[kept]))
    return part
  }

  /// y = x shifted, zeros where nothing arrives.
  func forward(_ x: Tensor, into y: Tensor) {
    y.zero()
    forEachCopy(x.shape) { from, to, count in (y.pointer + to).update(from: x.pointer + from, count: count) }
  }

  /// Returns gradInput: gradOutput shifted back (the adjoint), zeros for pixels shifted out.
  func backward(_ gradOutput: Tensor, into gradInput: Tensor) {
    gradInput.zero()
    forEachCopy(gradOutput.shape) { from, to, count in
      (gradInput.pointer + from).update(from: gradOutput.pointer + to, count: count)
    }
  }

  /// For every output row, the run of values that arrive: (source offset, target offset, count).
  private func forEachCopy(_ shape: Shape, _ body: (Int, Int, Int) -> Void) {
    let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
    for i in 0..<n {
      let (dy, dx) = (rows[i], columns[i])
      let (first, last) = (max(0, -dx), min(w, w - dx))
      guard first < last else { continue }
      for r in max(0, -dy)..<max(max(0, -dy), min(h, h - dy)) {
        body(((i * h + r + dy) * w + first + dx) * c, ((i * h + r) * w + first) * c, (last - first) * c)
      }
    }
  }
}
