/// Resampling to a square: area averaging when shrinking (every source pixel contributes
/// by how much of it an output pixel covers) and bilinear interpolation when enlarging.
/// Separable: one table of weights per axis, applied to rows and then to columns.
extension DecodedImage {
  /// This image as size×size, squashed (`.squash`) or shorter-side-scaled and
  /// centre-cropped (`.crop`).
  public func resized(to size: Int, mode: DataSpec.Resize) -> DecodedImage {
    var region = (x: 0.0, y: 0.0, width: Double(width), height: Double(height))
    if mode == .crop {
      let side = Double(min(width, height))
      region = ((Double(width) - side) / 2, (Double(height) - side) / 2, side, side)
    }
    if mode == .squash && width == size && height == size { return self }
    let columns = ResampleAxis(source: width, start: region.x, length: region.width, target: size)
    let rows = ResampleAxis(source: height, start: region.y, length: region.height, target: size)
    let c = channels
    // Horizontal pass: height × size × c, in Float.
    var horizontal = [Float](repeating: 0, count: height * size * c)
    for y in 0..<height {
      for x in 0..<size {
        let taps = columns.taps[x]
        for ch in 0..<c {
          var s: Float = 0
          for (i, w) in zip(taps.first..., taps.weights) { s += w * Float(pixels[(y * width + i) * c + ch]) }
          horizontal[(y * size + x) * c + ch] = s
        }
      }
    }
    var out = [UInt8](repeating: 0, count: size * size * c)
    for y in 0..<size {
      let taps = rows.taps[y]
      for x in 0..<size {
        for ch in 0..<c {
          var s: Float = 0
          for (i, w) in zip(taps.first..., taps.weights) { s += w * horizontal[(i * size + x) * c + ch] }
          out[(y * size + x) * c + ch] = UInt8(max(0, min(255, s.rounded())))
        }
      }
    }
    return DecodedImage(width: size, height: size, channels: c, pixels: out)
  }
}

/// For each output index along one axis: the first source index and the weights (summing
/// to 1) of the source pixels it is made of.
struct ResampleAxis {
  struct Taps {
    var first: Int
    var weights: [Float]
  }

  var taps: [Taps]

  /// Maps source coordinates [start, start + length) onto `target` output pixels.
  init(source: Int, start: Double, length: Double, target: Int) {
    let scale = length / Double(target)  // source pixels per output pixel
    taps = (0..<target).map { o in
      if scale >= 1 {
        // Area: the output pixel covers [a, b) in source coordinates.
        let a = start + Double(o) * scale
        let b = a + scale
        let first = max(0, Int(a.rounded(.down)))
        let last = min(source - 1, Int((b - 1e-9).rounded(.down)))
        var weights: [Float] = []
        for i in first...max(first, last) {
          let overlap = min(b, Double(i + 1)) - max(a, Double(i))
          weights.append(Float(max(0, overlap) / scale))
        }
        return Taps(first: first, weights: normalised(weights))
      }
      // Bilinear between the two nearest source pixel centres.
      let centre = start + (Double(o) + 0.5) * scale - 0.5
      let left = Int(centre.rounded(.down))
      let t = Float(centre - Double(left))
      let i0 = min(max(left, 0), source - 1)
      let i1 = min(max(left + 1, 0), source - 1)
      if i0 == i1 { return Taps(first: i0, weights: [1]) }
      return Taps(first: i0, weights: [1 - t, t])
    }
  }
}

private func normalised(_ weights: [Float]) -> [Float] {
  let total = weights.reduce(0, +)
  return total > 0 ? weights.map { $0 / total } : [1]
}
