import Tensors

/// The descriptors of one pyramid level (Karras et al. 2018, §5): `perImage` random 7×7
/// neighbourhoods of every image, each a row of 7·7·C numbers (y, x, channel order), then
/// every channel normalised to mean 0 and standard deviation 1 over the whole set (all
/// rows, all 49 positions): `finalize_descriptors` of `sliced_wasserstein.py`.
struct PatchDescriptors {
  /// Side of a neighbourhood.
  static let side = 7
  /// [count, 7·7·C], row-major.
  let values: Tensor

  var count: Int { values.shape[0] }
  var length: Int { values.shape[1] }

  /// Descriptors of `level` [N, H, W, C]: `perImage` neighbourhoods per image whose centres
  /// are drawn uniformly from the pixels at least 3 from every edge, from `random`.
  init(_ level: Tensor, perImage: Int, random: inout SeededGenerator) {
    let (n, h, w, c) = (level.shape[0], level.shape[1], level.shape[2], level.shape[3])
    let half = Self.side / 2
    precondition(h >= Self.side && w >= Self.side, "descriptors of \(level.shape): images under 7×7")
    let length = Self.side * Self.side * c
    let values = Tensor(zeros: Shape(n * perImage, length))
    for image in 0..<n {
      for p in 0..<perImage {
        // np.random.randint(H, S − H): centres in [3, size − 4].
        let cy = half + Int(random.next() % UInt64(h - 2 * half))
        let cx = half + Int(random.next() % UInt64(w - 2 * half))
        var out = values.pointer + (image * perImage + p) * length
        for y in (cy - half)...(cy + half) {
          let from = level.pointer + ((image * h + y) * w + cx - half) * c
          out.update(from: from, count: Self.side * c)
          out += Self.side * c
        }
      }
    }
    Self.normalize(values, channels: c)
    self.values = values
  }

  /// Each channel of `values` [count, 7·7·C] to mean 0, standard deviation 1 over all rows
  /// and positions (population deviation, as numpy's `std`); a constant channel becomes 0.
  static func normalize(_ values: Tensor, channels c: Int) {
    let total = values.count
    var sum = [Double](repeating: 0, count: c)
    var squares = [Double](repeating: 0, count: c)
    for i in 0..<total { sum[i % c] += Double(values.pointer[i]) }
    let per = Double(total / c)
    let mean = sum.map { $0 / per }
    for i in 0..<total {
      let d = Double(values.pointer[i]) - mean[i % c]
      squares[i % c] += d * d
    }
    let std = squares.map { ($0 / per).squareRoot() }
    for i in 0..<total {
      let k = i % c
      values.pointer[i] = std[k] > 0 ? Float((Double(values.pointer[i]) - mean[k]) / std[k]) : 0
    }
  }
}
