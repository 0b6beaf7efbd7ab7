import Tensors

/// The Laplacian pyramid of Karras et al. (2018, §5; their `sliced_wasserstein.py`), on
/// images [N, H, W, C] (NHWC):
///
///     level 0      = image − up(down(image))          H × W
///     level 1      = down(image) − up(down²(image))   H/2 × W/2
///     …
///     last level   = downᴸ⁻¹(image)                   the coarsest Gaussian level
///
/// `down` is `cv2.pyrDown`: the 5×5 binomial blur ([1 4 6 4 1]ᵀ[1 4 6 4 1] / 256) with mirror
/// edges (… c b | a b c … without repeating the edge pixel), then every other pixel; `up` is
/// `cv2.pyrUp`: zeros between the pixels, then the same blur ×4. Each level but the last
/// holds one band of detail and sums to ~0 on a flat image.
enum LaplacianPyramid {
  /// The binomial taps, normalised: the blur is this row applied along H, then along W.
  static let taps: [Float] = [1, 4, 6, 4, 1].map { $0 / 16 }

  /// `levels` levels of `images` [N, H, W, C]; H and W must halve `levels − 1` times.
  static func levels(of images: Tensor, count levels: Int) -> [Tensor] {
    precondition(images.shape.rank == 4, "pyramid of \(images.shape): expected [N, H, W, C]")
    var pyramid = [images.copy()]
    for _ in 1..<max(levels, 1) {
      let coarser = down(pyramid[pyramid.count - 1])
      let restored = up(coarser)
      let finer = pyramid[pyramid.count - 1]
      for i in 0..<finer.count { finer.pointer[i] -= restored.pointer[i] }
      pyramid.append(coarser)
    }
    return pyramid
  }

  /// `cv2.pyrDown`: [N, H, W, C] → [N, H/2, W/2, C], blurred then the even pixels kept.
  static func down(_ images: Tensor) -> Tensor {
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    precondition(h % 2 == 0 && w % 2 == 0, "pyrDown of \(images.shape): H and W must be even")
    let blurred = blur(images, gain: 1)
    let out = Tensor(zeros: Shape(n, h / 2, w / 2, c))
    for b in 0..<n {
      for y in 0..<h / 2 {
        for x in 0..<w / 2 {
          let from = ((b * h + 2 * y) * w + 2 * x) * c
          let to = ((b * (h / 2) + y) * (w / 2) + x) * c
          for k in 0..<c { out.pointer[to + k] = blurred.pointer[from + k] }
        }
      }
    }
    return out
  }

  /// `cv2.pyrUp`: [N, H, W, C] → [N, 2H, 2W, C], zeros between the pixels, blurred ×4.
  static func up(_ images: Tensor) -> Tensor {
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    let spread = Tensor(zeros: Shape(n, 2 * h, 2 * w, c))
    for b in 0..<n {
      for y in 0..<h {
        for x in 0..<w {
          let from = ((b * h + y) * w + x) * c
          let to = ((b * 2 * h + 2 * y) * 2 * w + 2 * x) * c
          for k in 0..<c { spread.pointer[to + k] = images.pointer[from + k] }
        }
      }
    }
    return blur(spread, gain: 4)
  }

  /// The 5×5 binomial blur × `gain` with mirror edges, as two 1-D passes (H, then W).
  static func blur(_ images: Tensor, gain: Float) -> Tensor {
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    let along = Tensor(zeros: images.shape)
    let out = Tensor(zeros: images.shape)
    let row = w * c
    for b in 0..<n {
      let base = b * h * row
      for y in 0..<h {
        for (t, tap) in taps.enumerated() {
          let source = base + mirror(y + t - 2, h) * row
          let target = base + y * row
          for i in 0..<row { along.pointer[target + i] += tap * images.pointer[source + i] }
        }
      }
      for y in 0..<h {
        for x in 0..<w {
          let target = base + y * row + x * c
          for (t, tap) in taps.enumerated() {
            let source = base + y * row + mirror(x + t - 2, w) * c
            for k in 0..<c { out.pointer[target + k] += gain * tap * along.pointer[source + k] }
          }
        }
      }
    }
    return out
  }

  /// The naive reference for `blur`: each output pixel a direct 5×5 sum with the 2-D kernel.
  static func blurReference(_ images: Tensor, gain: Float) -> Tensor {
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    let out = Tensor(zeros: images.shape)
    for b in 0..<n {
      for y in 0..<h {
        for x in 0..<w {
          for k in 0..<c {
            var sum: Float = 0
            for dy in 0..<5 {
              for dx in 0..<5 {
                let (sy, sx) = (mirror(y + dy - 2, h), mirror(x + dx - 2, w))
                sum += taps[dy] * taps[dx] * images.pointer[((b * h + sy) * w + sx) * c + k]
              }
            }
            out.pointer[((b * h + y) * w + x) * c + k] = gain * sum
          }
        }
      }
    }
    return out
  }

  /// scipy's `mode='mirror'`: −1 → 1, size → size − 2 (the edge pixel is not repeated).
  static func mirror(_ i: Int, _ size: Int) -> Int {
    if size == 1 { return 0 }
    if i < 0 { return -i }
    if i >= size { return 2 * (size - 1) - i }
    return i
  }
}
