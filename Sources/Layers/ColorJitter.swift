import Tensors

/// DiffAugment's `color` (Zhao et al. 2020, `rand_brightness`, `rand_saturation`,
/// `rand_contrast`), each with one random factor per image, applied in that order:
///   brightness  x + b,                b ~ U(−0.5, 0.5)
///   saturation  (x − m)·s + m,        s ~ U(0, 2),   m the pixel's mean over channels
///   contrast    (x − M)·c + M,        c ~ U(0.5, 1.5), M the image's mean over H, W, C
/// All three are affine in x, so backward needs only the factors.
///
/// x [N, H, W, C] → y [N, H, W, C]
struct ColorJitter {
  var brightness: [Float]
  var saturation: [Float]
  var contrast: [Float]

  /// Draws every brightness, then every saturation, then every contrast (the official order).
  init(images n: Int, random: RandomSource) {
    brightness = (0..<n).map { _ in random.uniform() - 0.5 }
    saturation = (0..<n).map { _ in random.uniform() * 2 }
    contrast = (0..<n).map { _ in random.uniform() + 0.5 }
  }

  /// The factors of images `kept` alone (one rank's rows of a batch drawn whole).
  func rows(_ kept: Range<Int>) -> ColorJitter {
    var part = self
    (part.brightness, part.saturation, part.contrast) = (
      Array(brightness[kept]), Array(saturation[kept]), Array(contrast[kept])
    )
    return part
  }

  /// y = contrast(saturation(x + b))
  func forward(_ x: Tensor, into y: Tensor) {
    let (n, c) = (x.shape[0], x.shape.dims.last!)
    let perImage = x.count / n
    for i in 0..<n {
      let (a, b) = (x.pointer + i * perImage, y.pointer + i * perImage)
      for k in 0..<perImage { b[k] = a[k] + brightness[i] }
      Self.mixPixels(b, count: perImage, channels: c, factor: saturation[i])
      Self.mixImage(b, count: perImage, factor: contrast[i])
    }
  }

  /// Returns gradInput = brightnessᵀ(saturationᵀ(contrastᵀ(gradOutput))): each step's
  /// adjoint is the step itself (v ↦ (v − mean)·f + mean is symmetric), brightness's the identity.
  func backward(_ gradOutput: Tensor, into gradInput: Tensor) {
    let (n, c) = (gradOutput.shape[0], gradOutput.shape.dims.last!)
    let perImage = gradOutput.count / n
    gradInput.assign(gradOutput)
    for i in 0..<n {
      let g = gradInput.pointer + i * perImage
      Self.mixImage(g, count: perImage, factor: contrast[i])
      Self.mixPixels(g, count: perImage, channels: c, factor: saturation[i])
    }
  }

  /// In place, each pixel's C values: v ↦ (v − mean_C v)·factor + mean_C v.
  private static func mixPixels(_ v: UnsafeMutablePointer<Float>, count: Int, channels c: Int, factor: Float) {
    for p in stride(from: 0, to: count, by: c) {
      var mean: Float = 0
      for k in 0..<c { mean += v[p + k] }
      mean /= Float(c)
      for k in 0..<c { v[p + k] = (v[p + k] - mean) * factor + mean }
    }
  }

  /// In place, one image's values: v ↦ (v − mean v)·factor + mean v.
  private static func mixImage(_ v: UnsafeMutablePointer<Float>, count: Int, factor: Float) {
    var sum = 0.0
    for k in 0..<count { sum += Double(v[k]) }
    let mean = Float(sum / Double(count))
    for k in 0..<count { v[k] = (v[k] - mean) * factor + mean }
  }
}
