import CImageCodecs
import Session

/// Resampling to a square: area averaging when shrinking (every source pixel contributes
/// by how much of it an output pixel covers) and bilinear interpolation when enlarging.
/// Separable: one table of taps per axis, applied to rows and then to columns.
///
/// The loader resizes in C (`gr_load_file` calls `gr_resize`: a 89×109 → 64×64 RGB image in
/// about 15 µs); `resized` calls that C function from Swift, and `resizedReference` is the
/// same rule written plainly in Swift, which the tests hold the C one to.
extension DecodedImage {
  /// This image as size×size×channels, squashed (`.squash`) or shorter-side-scaled and
  /// centre-cropped (`.crop`), written to `target`.
  public func resize(into target: UnsafeMutablePointer<UInt8>, size: Int, mode: DataSpec.Resize, channels: Int) {
    let status = pixels.withUnsafeBufferPointer {
      gr_resize(
        $0.baseAddress, Int32(width), Int32(height), Int32(self.channels), Int32(size), Int32(channels),
        mode == .crop ? 1 : 0, target)
    }
    precondition(status == 0, "out of memory resizing a \(width)×\(height) image")
  }

  /// This image as size×size×channels (see `resize(into:size:mode:channels:)`).
  public func resized(to size: Int, mode: DataSpec.Resize, channels: Int? = nil) -> DecodedImage {
    let c = channels ?? self.channels
    var out = [UInt8](repeating: 0, count: size * size * c)
    out.withUnsafeMutableBufferPointer { resize(into: $0.baseAddress!, size: size, mode: mode, channels: c) }
    return DecodedImage(width: size, height: size, channels: c, pixels: out)
  }

  /// The reference for `resize`: the same resampling, plainly.
  public func resizedReference(to size: Int, mode: DataSpec.Resize) -> DecodedImage {
    if mode == .squash && width == size && height == size { return self }
    var region = (x: 0.0, y: 0.0, width: Double(width), height: Double(height))
    if mode == .crop {
      let side = Double(min(width, height))
      region = ((Double(width) - side) / 2, (Double(height) - side) / 2, side, side)
    }
    let columns = ResampleAxis(source: width, start: region.x, length: region.width, target: size)
    let rows = ResampleAxis(source: height, start: region.y, length: region.height, target: size)
    let c = channels
    let rowWidth = size * c
    // Horizontal pass over the source rows the vertical taps use, then the vertical pass
    // row by row, tap by tap, over whole rows (a loop the compiler vectorises).
    let firstRow = rows.starts.first ?? 0
    var lastRow = firstRow
    for (start, count) in zip(rows.starts, rows.counts) { lastRow = max(lastRow, start + count) }
    var out = [UInt8](repeating: 0, count: size * rowWidth)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: (lastRow - firstRow + 1) * rowWidth) { h in
      pixels.withUnsafeBufferPointer { source in
        columns.apply(source.baseAddress!, rows: firstRow..<lastRow, width: width, channels: c, into: h.baseAddress!)
      }
      let accumulator = h.baseAddress! + (lastRow - firstRow) * rowWidth
      out.withUnsafeMutableBufferPointer { o in
        for y in 0..<size {
          accumulator.update(repeating: 0, count: rowWidth)
          for t in 0..<rows.counts[y] {
            let w = rows.weights[rows.offsets[y] + t]
            let line = h.baseAddress! + (rows.starts[y] + t - firstRow) * rowWidth
            for i in 0..<rowWidth { accumulator[i] += w * line[i] }
          }
          let row = o.baseAddress! + y * rowWidth
          for i in 0..<rowWidth { row[i] = UInt8(truncatingIfNeeded: Int32(max(0, min(255, accumulator[i])) + 0.5)) }
        }
      }
    }
    return DecodedImage(width: size, height: size, channels: c, pixels: out)
  }
}

/// For each output index along one axis: the first source index, the number of taps, and
/// where its weights (summing to 1) start in `weights`.
struct ResampleAxis {
  var starts: [Int] = []
  var counts: [Int] = []
  var offsets: [Int] = []
  var weights: [Float] = []

  /// Maps source coordinates [start, start + length) onto `target` output pixels.
  init(source: Int, start: Double, length: Double, target: Int) {
    let scale = length / Double(target)  // source pixels per output pixel
    for o in 0..<target {
      offsets.append(weights.count)
      if scale >= 1 {
        // Area: the output pixel covers [a, b) in source coordinates.
        let a = start + Double(o) * scale
        let b = a + scale
        let first = max(0, Int(a.rounded(.down)))
        let last = min(source - 1, Int((b - 1e-9).rounded(.down)))
        var total: Float = 0
        for i in first...max(first, last) {
          let w = Float(max(0, min(b, Double(i + 1)) - max(a, Double(i))) / scale)
          weights.append(w)
          total += w
        }
        for k in offsets[o]..<weights.count { weights[k] /= total > 0 ? total : 1 }
        starts.append(first)
        counts.append(weights.count - offsets[o])
      } else {
        // Bilinear between the two nearest source pixel centres.
        let centre = start + (Double(o) + 0.5) * scale - 0.5
        let left = Int(centre.rounded(.down))
        let t = Float(centre - Double(left))
        let i0 = min(max(left, 0), source - 1)
        let i1 = min(max(left + 1, 0), source - 1)
        starts.append(i0)
        if i0 == i1 {
          weights.append(1)
        } else {
          weights += [1 - t, t]
        }
        counts.append(weights.count - offsets[o])
      }
    }
  }

  /// Resamples rows `rows` of a width×channels byte image along this axis into `out`
  /// ((rows.count) × target × channels floats). Each source row is converted to floats
  /// once; RGB has its own loop with the three channels side by side.
  func apply(
    _ source: UnsafePointer<UInt8>, rows: Range<Int>, width: Int, channels c: Int, into out: UnsafeMutablePointer<Float>
  ) {
    let target = starts.count
    withUnsafeTemporaryAllocation(of: Float.self, capacity: width * c) { line in
      let l = line.baseAddress!
      starts.withUnsafeBufferPointer { starts in
        counts.withUnsafeBufferPointer { counts in
          offsets.withUnsafeBufferPointer { offsets in
            weights.withUnsafeBufferPointer { w in
              for (r, y) in rows.enumerated() {
                let bytes = source + y * width * c
                for i in 0..<(width * c) { l[i] = Float(bytes[i]) }
                let to = out + r * target * c
                if c == 3 {
                  for x in 0..<target {
                    var p = l + starts[x] * 3
                    var (s0, s1, s2): (Float, Float, Float) = (0, 0, 0)
                    for t in offsets[x]..<(offsets[x] + counts[x]) {
                      s0 += w[t] * p[0]
                      s1 += w[t] * p[1]
                      s2 += w[t] * p[2]
                      p += 3
                    }
                    (to[3 * x], to[3 * x + 1], to[3 * x + 2]) = (s0, s1, s2)
                  }
                } else {
                  for x in 0..<target {
                    for ch in 0..<c {
                      var s: Float = 0
                      for t in 0..<counts[x] { s += w[offsets[x] + t] * l[(starts[x] + t) * c + ch] }
                      to[x * c + ch] = s
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
