import Tensors

/// The hinge loss of SAGAN and BigGAN (Lim & Ye 2017; Miyato et al. 2018), on D's raw
/// scores s (D must end in a linear layer, not a sigmoid):
///
///     D on real:   mean max(0, 1 − s)     gradient −1/N where s < 1, else 0
///     D on fakes:  mean max(0, 1 + s)     gradient +1/N where s > −1, else 0
///     G:           −mean s                gradient −1/N
///
/// D stops pushing once a real scores above 1 or a fake below −1; G always pushes its
/// fakes' scores up. The label only says which side a batch is on: ≥ 0.5 real.
extension Loss {
  /// Σ of the loss over `count` scores `x`, and d(mean loss)/dx into `gradient`.
  static func hingeTotal(
    _ x: UnsafeMutablePointer<Float>, gradient g: UnsafeMutablePointer<Float>, count n: Int, real: Bool,
    generator: Bool
  ) -> Double {
    let scale = 1 / Float(n)
    var total = 0.0
    for i in 0..<n {
      if generator {
        total -= Double(x[i])
        g[i] = -scale
      } else {
        let margin = real ? 1 - x[i] : 1 + x[i]
        total += Double(max(margin, 0))
        g[i] = margin > 0 ? (real ? -scale : scale) : 0
      }
    }
    return total
  }
}
