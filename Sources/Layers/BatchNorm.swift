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
        scratch.sumRows(x, rows: m, channels: c, js, into: s, squares: q, times: nil)
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
  /// being functions of x (computed as a·dy + b + k·x̂ with per-channel a, b, k).
  /// Inference: gradInput = γ·invStd · dy.
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    let (c, m) = (channels, gradOutput.count / channels)
    let dx = Tensor.reusing(gradInput, shape: gradOutput.shape)
    if savedTraining { computeSums(gradOutput, xhat) }
    let (training, inv, g, scratch) = (savedTraining, savedInvStd, gamma.value, sums)
    parallelRanges(c, grain: channelGrain(c, m)) { js in
      let (dy, xh, d, ip, gp) = (gradOutput.pointer, xhat.pointer, dx.pointer, inv.pointer, g.pointer)
      if training {
        // dx = a·dy + b + k·x̂ per channel: a = γ·invStd, b = −a·Σdy/M, k = −a·Σ(dy·x̂)/M.
        let (sumDy, sumDyXhat, a, b, k) = (scratch.first, scratch.second, scratch.a, scratch.b, scratch.k)
        for j in js {
          let scale = Double(gp[j] * ip[j])
          a[j] = Float(scale)
          b[j] = Float(-scale * sumDy[j] / Double(m))
          k[j] = Float(-scale * sumDyXhat[j] / Double(m))
        }
        for r in 0..<m {
          for j in js {
            let i = r * c + j
            d[i] = a[j] * dy[i] + b[j] + k[j] * xh[i]
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
      scratch.sumRows(gradOutput.pointer, rows: m, channels: c, js, into: scratch.first, squares: nil, times: (UnsafePointer(xhat.pointer), scratch.second))
    }
    sums.mark(gradOutput)
  }
}

/// Split channels among threads only when there are enough channels and rows.
private func channelGrain(_ c: Int, _ m: Int) -> Int {
  c >= 16 && c * m >= 1 << 15 ? 8 : c
}

/// Two per-channel `Double` accumulators (and `Float` ones for blocks of rows), and which
/// gradient they were computed for.
private final class ChannelSums: @unchecked Sendable {
  private(set) var first = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private(set) var second = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private var blockFirst = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private var blockSecond = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  /// Per-channel coefficients of the input gradient.
  private(set) var a = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private(set) var b = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private(set) var k = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private var owner: (storage: ObjectIdentifier, shape: Shape)?

  func reserve(_ c: Int) {
    first.deallocate()
    second.deallocate()
    blockFirst.deallocate()
    blockSecond.deallocate()
    first = .allocate(capacity: c)
    second = .allocate(capacity: c)
    blockFirst = .allocate(capacity: c)
    blockSecond = .allocate(capacity: c)
    for p in [a, b, k] { p.deallocate() }
    (a, b, k) = (.allocate(capacity: c), .allocate(capacity: c), .allocate(capacity: c))
  }

  /// For channels `js` of x [rows, channels]: sums[j] = Σ x, and squares[j] = Σ x² or, with
  /// `times` (y, products), products[j] = Σ x·y. Blocks of 256 rows are summed in `Float`
  /// (a loop over channels the compiler vectorises), blocks are added in `Double`.
  func sumRows(
    _ x: UnsafePointer<Float>, rows m: Int, channels c: Int, _ js: Range<Int>,
    into sums: UnsafeMutablePointer<Double>, squares: UnsafeMutablePointer<Double>?,
    times: (UnsafePointer<Float>, UnsafeMutablePointer<Double>)?
  ) {
    let (bs, bq) = (blockFirst, blockSecond)
    let second = squares ?? times!.1
    for j in js {
      sums[j] = 0
      second[j] = 0
    }
    var start = 0
    while start < m {
      let end = min(start + 256, m)
      for j in js {
        bs[j] = 0
        bq[j] = 0
      }
      if let (y, _) = times {
        for r in start..<end {
          let (row, other) = (x + r * c, y + r * c)
          for j in js {
            bs[j] += row[j]
            bq[j] += row[j] * other[j]
          }
        }
      } else {
        for r in start..<end {
          let row = x + r * c
          for j in js {
            bs[j] += row[j]
            bq[j] += row[j] * row[j]
          }
        }
      }
      for j in js {
        sums[j] += Double(bs[j])
        second[j] += Double(bq[j])
      }
      start = end
    }
  }

  func holds(_ t: Tensor) -> Bool { owner.map { $0.storage == ObjectIdentifier(t.storage) && $0.shape == t.shape } ?? false }
  func mark(_ t: Tensor) { owner = (ObjectIdentifier(t.storage), t.shape) }
  func invalidate() { owner = nil }

  deinit {
    first.deallocate()
    second.deallocate()
    blockFirst.deallocate()
    blockSecond.deallocate()
    for p in [a, b, k] { p.deallocate() }
  }
}
