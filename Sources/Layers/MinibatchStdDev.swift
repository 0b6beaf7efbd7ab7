import Tensors

/// Minibatch standard deviation (Karras et al., Progressive GANs, ICLR 2018, section 3): D
/// sees how much the samples of its batch differ. Consecutive samples form groups of
/// `group` (the last group also takes the remainder, so groups hold `group` to
/// 2·`group` − 1 samples; a batch smaller than `group` is one group). For each group, the
/// standard deviation of every value over the group's samples, averaged over all values, is
/// appended to each of its samples as one more channel, the same at every position. A G that
/// draws the same face again and again gives its groups a value near 0, and D learns to call
/// that fake. It has no parameters and works the same in training and inference.
///
/// x [N, P, C] (P positions: H·W, or 1 for a vector; F = P·C values per sample),
/// a group g of m samples:
///   μ[g, f] = 1/m Σ_{i∈g} x[i, f]
///   s[g, f] = √(1/m Σ_{i∈g} (x[i, f] − μ[g, f])² + ε)
///   σ[g] = 1/F Σ_f s[g, f]
///   y [N, P, C + 1]: y[i, p, c] = x[i, p, c] for c < C, y[i, p, C] = σ[g(i)]
public final class MinibatchStdDev: Layer {
  public var spec: LayerSpec { .minibatchStdDev(group: group) }
  public let inputShape: Shape
  public let outputShape: Shape
  /// Samples per group (before the remainder joins the last one).
  public let group: Int
  /// Added to each variance before its square root: keeps s, and 1/s in backward, finite.
  static let epsilon: Float = 1e-8

  private var savedInput: Tensor?
  /// μ[g, f] and s[g, f] of the last forward, [groups, F] each.
  private var savedMean: Tensor?
  private var savedDeviation: Tensor?
  private var output: Tensor?
  private let relay: GradientRelay

  init(input: Shape, output: Shape, group: Int, relay: GradientRelay) {
    precondition(group >= 1, "mbstd: a group of \(group) samples")
    precondition(output.count == input.count + input.count / (input.dims.last ?? 1), "mbstd: \(input) → \(output)")
    inputShape = input
    outputShape = output
    self.group = group
    self.relay = relay
  }

  /// Positions P and channels C of one sample.
  private var positions: (p: Int, c: Int) {
    let c = inputShape.dims.last ?? 1
    return (inputShape.count / max(c, 1), c)
  }

  /// The groups of a batch of `n`: row ranges of `group` samples, the last one to the end.
  public static func groups(_ n: Int, of group: Int) -> [Range<Int>] {
    let count = max(1, n / group)
    return (0..<count).map { k in k * group..<(k == count - 1 ? n : (k + 1) * group) }
  }

  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let n = input.shape[0]
    let (p, c) = positions
    let f = p * c
    let groups = Self.groups(n, of: group)
    let mean = Tensor.reusing(savedMean, shape: Shape(groups.count, f))
    let deviation = Tensor.reusing(savedDeviation, shape: Shape(groups.count, f))
    let y = Tensor.reusing(output, shape: outputShape.batched(n))
    let (x, o) = (input.pointer, y.pointer)
    for (g, rows) in groups.enumerated() {
      let (mu, s) = (mean.pointer + g * f, deviation.pointer + g * f)
      let m = Float(rows.count)
      mu.update(repeating: 0, count: f)
      s.update(repeating: 0, count: f)
      for i in rows {
        for j in 0..<f { mu[j] += x[i * f + j] }
      }
      for j in 0..<f { mu[j] /= m }
      for i in rows {
        for j in 0..<f {
          let d = x[i * f + j] - mu[j]
          s[j] += d * d
        }
      }
      var sum = 0.0
      for j in 0..<f {
        s[j] = (s[j] / m + Self.epsilon).squareRoot()
        sum += Double(s[j])
      }
      let sigma = Float(sum / Double(f))
      for i in rows {
        for q in 0..<p {
          let row = o + (i * p + q) * (c + 1)
          row.update(from: x + (i * p + q) * c, count: c)
          row[c] = sigma
        }
      }
    }
    savedInput = input
    savedMean = mean
    savedDeviation = deviation
    output = y
    return y
  }

  /// gradInput[i, f] = gradOutput[i, f] + dσ[g] / (F·m) · (x[i, f] − μ[g, f]) / s[g, f],
  /// where dσ[g] sums the gradient of the appended channel over the group's samples and
  /// positions (μ's own path cancels: its deviations sum to zero over the group).
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let input = savedInput, let mean = savedMean, let deviation = savedDeviation else {
      preconditionFailure("mbstd: backward before forward")
    }
    let n = input.shape[0]
    let (p, c) = positions
    let f = p * c
    let dx = relay.buffer(inputShape.batched(n), besides: gradOutput)
    let (x, dy, d) = (input.pointer, gradOutput.pointer, dx.pointer)
    for (g, rows) in Self.groups(n, of: group).enumerated() {
      let (mu, s) = (mean.pointer + g * f, deviation.pointer + g * f)
      var dSigma = 0.0
      for i in rows {
        for q in 0..<p { dSigma += Double(dy[(i * p + q) * (c + 1) + c]) }
      }
      let scale = Float(dSigma / Double(f * rows.count))
      for i in rows {
        for q in 0..<p {
          let row = dy + (i * p + q) * (c + 1)
          let at = (i * p + q) * c
          for k in 0..<c {
            let j = q * c + k
            d[at + k] = row[k] + scale * (x[at + k] - mu[j]) / s[j]
          }
        }
      }
    }
    return dx
  }
}
