import Tensors

/// DiffAugment's `cutout` (`rand_cutout`, ratio 1/2): in each image a square of
/// round(H/2) × round(W/2) pixels, centred at a random place (it may hang over the
/// edge), is set to zero in every channel. y = x · mask, so gradInput = gradOutput · mask.
///
/// x [N, H, W, C] → y [N, H, W, C]
struct Cutout {
  /// Each image's zeroed rows and columns, already clipped to the image.
  var rows: [Range<Int>]
  var columns: [Range<Int>]

  /// Draws every row centre, then every column centre (the official order and ranges).
  init(images n: Int, height: Int, width: Int, random: RandomSource) {
    func spans(_ size: Int) -> [Range<Int>] {
      let side = Int(Float(size) * 0.5 + 0.5)
      return (0..<n).map { _ in
        let start = Int.random(in: 0..<(size + 1 - side % 2), using: &random.generator) - side / 2
        return max(0, start)..<max(0, min(size, start + side))
      }
    }
    rows = spans(height)
    columns = spans(width)
  }

  /// The squares of images `kept` alone (one rank's rows of a batch drawn whole).
  func rows(_ kept: Range<Int>) -> Cutout {
    var part = self
    (part.rows, part.columns) = (Array(rows[kept]), Array(columns[kept]))
    return part
  }

  /// y = x with each image's square zeroed.
  func forward(_ x: Tensor, into y: Tensor) {
    y.assign(x)
    zeroSquares(y)
  }

  /// Returns gradInput = gradOutput with the same squares zeroed.
  func backward(_ gradOutput: Tensor, into gradInput: Tensor) {
    gradInput.assign(gradOutput)
    zeroSquares(gradInput)
  }

  private func zeroSquares(_ t: Tensor) {
    let (h, w, c) = (t.shape[1], t.shape[2], t.shape[3])
    for i in 0..<t.shape[0] where !columns[i].isEmpty {
      for r in rows[i] {
        (t.pointer + ((i * h + r) * w + columns[i].lowerBound) * c).update(repeating: 0, count: columns[i].count * c)
      }
    }
  }
}
