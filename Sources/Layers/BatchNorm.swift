import Tensors

/// Batch normalisation over the last (channel) axis, PyTorch conventions: biased batch
/// variance for normalising, unbiased for the running estimate, `momentum` the weight of
/// the new batch. Training normalises with the batch statistics and updates the running
/// ones; inference normalises with the running ones.
///
/// x [N, …, C] → y [N, …, C]; M = N·… rows of C channels; γ, β, running mean/var [C]
///
/// Threads split the channels, and each channel's sums run in one order in `Double`, so
/// results do not depend on the thread count.
public final class BatchNorm: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  public let gamma: Parameter
  public let beta: Parameter
  public let runningMean: Tensor
  public let runningVariance: Tensor
  public let momentum: Float
  public let epsilon: Float

  /// x̂ = (x − mean) · invStd, and the mean and invStd used, from the last forward.
  private var savedNormalized: Tensor?
  private let savedMean: Tensor
  private let savedInvStd: Tensor
  private var savedTraining = true
  /// Σ dy and Σ dy·x̂ per channel, computed once for both halves of a backward pass.
  private let sums = ChannelSums()
  private var output: Tensor?
  private var gradInput: Tensor?

  init(shape: Shape, momentum: Float, epsilon: Float, initializer: Initializer, random: RandomSource) {
    spec = .batchNorm(momentum: momentum, epsilon: epsilon)
    inputShape = shape
    self.momentum = momentum
    self.epsilon = epsilon
    let c = Shape(shape.dims.last ?? 1)
    gamma = Parameter(name: "gamma", value: initializer.gamma(c, random: random))
    beta = Parameter(name: "beta", value: Tensor(zeros: c))
    runningMean = Tensor(zeros: c)
    runningVariance = Tensor(shape: c, repeating: 1)
    savedMean = Tensor(zeros: c)
    savedInvStd = Tensor(zeros: c)
    sums.reserve(c.count)
  }

  public var parameters: [Parameter] { [gamma, beta] }
  public var buffers: [(name: String, value: Tensor)] {
    [("running_mean", runningMean), ("running_var", runningVariance)]
  }

  private var channels: Int { runningMean.count }

  /// y = γ · (x − mean) / √(var + ε) + β
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let (c, m) = (channels, input.count / channels)
    let xhat = Tensor.reusing(savedNormalized, shape: input.shape)
    let y = Tensor.reusing(output, shape: input.shape)
    let training = mode.isTraining
    let (mean, inv, rm, rv) = (savedMean, savedInvStd, runningMean, runningVariance)
    let (eps, mo, g, b) = (epsilon, momentum, gamma.value, beta.value)
    let scratch = sums
    parallelRanges(c, grain: channelGrain(c, m)) { js in
      let (x, xh, o) = (input.pointer, xhat.pointer, y.pointer)
      if training {
        let (s, q) = (scratch.first, scratch.second)
        for j in js {
          s[j] = 0
          q[j] = 0
        }
        for r in 0..<m {
          for j in js {
            let v = Double(x[r * c + j])
            s[j] += v
            q[j] += v * v
          }
        }
        for j in js {
          let mu = s[j] / Double(m)
          let biased = max(q[j] / Double(m) - mu * mu, 0)
          mean[j] = Float(mu)
          inv[j] = Float(1 / (biased + Double(eps)).squareRoot())
          let unbiased = m > 1 ? biased * Double(m) / Double(m - 1) : biased
          rm[j] = (1 - mo) * rm[j] + mo * Float(mu)
          rv[j] = (1 - mo) * rv[j] + mo * Float(unbiased)
        }
      } else {
        for j in js {
          mean[j] = rm[j]
          inv[j] = 1 / (rv[j] + eps).squareRoot()
        }
      }
      let (mp, ip, gp, bp) = (mean.pointer, inv.pointer, g.pointer, b.pointer)
      for r in 0..<m {
        for j in js {
          let i = r * c + j
          xh[i] = (x[i] - mp[j]) * ip[j]
          o[i] = gp[j] * xh[i] + bp[j]
        }
      }
    }
    savedTraining = training
    savedNormalized = xhat
    sums.invalidate()
    output = y
    return y
  }

  /// Training: gradInput = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)), the batch statistics
  /// being functions of x. Inference: gradInput = γ·invStd · dy.
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    let (c, m) = (channels, gradOutput.count / channels)
    let dx = Tensor.reusing(gradInput, shape: gradOutput.shape)
    if savedTraining { computeSums(gradOutput, xhat) }
    let (training, inv, g, scratch) = (savedTraining, savedInvStd, gamma.value, sums)
    parallelRanges(c, grain: channelGrain(c, m)) { js in
      let (dy, xh, d, ip, gp) = (gradOutput.pointer, xhat.pointer, dx.pointer, inv.pointer, g.pointer)
      if training {
        let (sumDy, sumDyXhat) = (scratch.first, scratch.second)
        for r in 0..<m {
          for j in js {
            let i = r * c + j
            let centred = Double(m) * Double(dy[i]) - sumDy[j] - Double(xh[i]) * sumDyXhat[j]
            d[i] = Float(Double(gp[j] * ip[j]) / Double(m) * centred)
          }
        }
      } else {
        for r in 0..<m { for j in js { d[r * c + j] = dy[r * c + j] * gp[j] * ip[j] } }
      }
    }
    gradInput = dx
    return dx
  }

  /// Accumulates γ.gradient += Σ dy·x̂ and β.gradient += Σ dy over the M rows.
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    computeSums(gradOutput, xhat)
    for j in 0..<channels {
      gamma.gradient[j] += Float(sums.second[j])
      beta.gradient[j] += Float(sums.first[j])
    }
  }

  /// Σ dy and Σ dy·x̂ per channel into `sums`, unless they are already there for this
  /// gradient (the second half of the same backward pass).
  private func computeSums(_ gradOutput: Tensor, _ xhat: Tensor) {
    guard !sums.holds(gradOutput) else { return }
    let (c, m) = (channels, gradOutput.count / channels)
    let scratch = sums
    parallelRanges(c, grain: channelGrain(c, m)) { js in
      let (dy, xh, s, p) = (gradOutput.pointer, xhat.pointer, scratch.first, scratch.second)
      for j in js {
        s[j] = 0
        p[j] = 0
      }
      for r in 0..<m {
        for j in js {
          let v = Double(dy[r * c + j])
          s[j] += v
          p[j] += v * Double(xh[r * c + j])
        }
      }
    }
    sums.mark(gradOutput)
  }
}

/// Split channels among threads only when there are enough channels and rows.
private func channelGrain(_ c: Int, _ m: Int) -> Int {
  c >= 16 && c * m >= 1 << 15 ? 8 : c
}

/// Two per-channel `Double` accumulators, and which gradient they were computed for.
private final class ChannelSums: @unchecked Sendable {
  private(set) var first = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private(set) var second = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private var owner: (storage: ObjectIdentifier, shape: Shape)?

  func reserve(_ c: Int) {
    first.deallocate()
    second.deallocate()
    first = .allocate(capacity: c)
    second = .allocate(capacity: c)
  }

  func holds(_ t: Tensor) -> Bool { owner.map { $0.storage == ObjectIdentifier(t.storage) && $0.shape == t.shape } ?? false }
  func mark(_ t: Tensor) { owner = (ObjectIdentifier(t.storage), t.shape) }
  func invalidate() { owner = nil }

  deinit {
    first.deallocate()
    second.deallocate()
  }
}
