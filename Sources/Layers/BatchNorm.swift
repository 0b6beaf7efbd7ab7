import Tensors

/// Batch normalisation over the last (channel) axis, PyTorch conventions: biased batch
/// variance for normalising, unbiased for the running estimate, `momentum` the weight of
/// the new batch. Training normalises with the batch statistics and updates the running
/// ones; inference normalises with the running ones.
///
/// x [N, …, C] → y [N, …, C]; M = N·… rows of C channels; γ, β, running mean/var [C]
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

  /// x̂ = (x − mean) · invStd, and the invStd used, from the last forward.
  private var savedNormalized: Tensor?
  private var savedInvStd: Tensor
  private var savedTraining = true
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
    savedInvStd = Tensor(zeros: c)
  }

  public var parameters: [Parameter] { [gamma, beta] }
  public var buffers: [(name: String, value: Tensor)] {
    [("running_mean", runningMean), ("running_var", runningVariance)]
  }

  private var channels: Int { runningMean.count }

  /// y = γ · (x − mean) / √(var + ε) + β
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let c = channels
    let m = input.count / c
    let xhat = Tensor.reusing(savedNormalized, shape: input.shape)
    let y = Tensor.reusing(output, shape: input.shape)
    let (x, xh, o, inv) = (input.pointer, xhat.pointer, y.pointer, savedInvStd.pointer)
    let (g, b) = (gamma.value.pointer, beta.value.pointer)
    var mean = [Double](repeating: 0, count: c)
    if mode.isTraining {
      var variance = [Double](repeating: 0, count: c)
      for r in 0..<m { for j in 0..<c { mean[j] += Double(x[r * c + j]) } }
      for j in 0..<c { mean[j] /= Double(m) }
      for r in 0..<m {
        for j in 0..<c {
          let d = Double(x[r * c + j]) - mean[j]
          variance[j] += d * d
        }
      }
      let (rm, rv, mo) = (runningMean.pointer, runningVariance.pointer, momentum)
      for j in 0..<c {
        let biased = variance[j] / Double(m)
        inv[j] = Float(1 / (biased + Double(epsilon)).squareRoot())
        let unbiased = m > 1 ? variance[j] / Double(m - 1) : biased
        rm[j] = (1 - mo) * rm[j] + mo * Float(mean[j])
        rv[j] = (1 - mo) * rv[j] + mo * Float(unbiased)
      }
    } else {
      for j in 0..<c {
        mean[j] = Double(runningMean[j])
        inv[j] = 1 / (runningVariance[j] + epsilon).squareRoot()
      }
    }
    let meanF = mean.map(Float.init)
    for r in 0..<m {
      for j in 0..<c {
        let i = r * c + j
        xh[i] = (x[i] - meanF[j]) * inv[j]
        o[i] = g[j] * xh[i] + b[j]
      }
    }
    savedTraining = mode.isTraining
    savedNormalized = xhat
    output = y
    return y
  }

  /// Training: gradInput = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)), the batch statistics
  /// being functions of x. Inference: gradInput = γ·invStd · dy.
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    let c = channels
    let m = gradOutput.count / c
    let dx = Tensor.reusing(gradInput, shape: gradOutput.shape)
    let (dy, xh, d, inv, g) = (gradOutput.pointer, xhat.pointer, dx.pointer, savedInvStd.pointer, gamma.value.pointer)
    if savedTraining {
      let (sumDy, sumDyXhat) = sums(gradOutput, xhat)
      for r in 0..<m {
        for j in 0..<c {
          let i = r * c + j
          let centred = Double(m) * Double(dy[i]) - sumDy[j] - Double(xh[i]) * sumDyXhat[j]
          d[i] = Float(Double(g[j] * inv[j]) / Double(m) * centred)
        }
      }
    } else {
      for r in 0..<m { for j in 0..<c { d[r * c + j] = dy[r * c + j] * g[j] * inv[j] } }
    }
    gradInput = dx
    return dx
  }

  /// Accumulates γ.gradient += Σ dy·x̂ and β.gradient += Σ dy over the M rows.
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    let (sumDy, sumDyXhat) = sums(gradOutput, xhat)
    for j in 0..<channels {
      gamma.gradient[j] += Float(sumDyXhat[j])
      beta.gradient[j] += Float(sumDy[j])
    }
  }

  /// Per channel: Σ dy and Σ dy·x̂, in `Double`.
  private func sums(_ gradOutput: Tensor, _ xhat: Tensor) -> ([Double], [Double]) {
    let c = channels
    var sumDy = [Double](repeating: 0, count: c)
    var sumDyXhat = [Double](repeating: 0, count: c)
    let (dy, xh) = (gradOutput.pointer, xhat.pointer)
    for r in 0..<(gradOutput.count / c) {
      for j in 0..<c {
        sumDy[j] += Double(dy[r * c + j])
        sumDyXhat[j] += Double(dy[r * c + j]) * Double(xh[r * c + j])
      }
    }
    return (sumDy, sumDyXhat)
  }
}
