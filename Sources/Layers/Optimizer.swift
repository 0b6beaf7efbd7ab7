import Tensors

/// An optimiser's kind and hyperparameters, as a notebook sets them.
public enum OptimizerSpec: Hashable, Codable, Sendable, CustomStringConvertible {
  /// Adam (Kingma and Ba) with bias correction; Keras's default ε is 1e-7, PyTorch's 1e-8.
  case adam(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float)
  /// Stochastic gradient descent with heavy-ball momentum (0 for plain SGD).
  case sgd(learningRate: Float, momentum: Float)

  public var learningRate: Float {
    switch self {
    case .adam(let lr, _, _, _), .sgd(let lr, _): lr
    }
  }

  public var description: String {
    switch self {
    case .adam(let lr, let b1, let b2, let eps): "adam lr=\(lr) beta1=\(b1) beta2=\(b2) eps=\(eps)"
    case .sgd(let lr, let m): "sgd lr=\(lr) momentum=\(m)"
    }
  }
}

/// Updates a fixed list of parameters from their accumulated gradients, keeping per
/// parameter state (Adam's moments, SGD's velocity) that a saved session stores.
public final class Optimizer {
  public var spec: OptimizerSpec
  public let parameters: [(name: String, parameter: Parameter)]
  /// Number of updates made (Adam's t).
  public private(set) var steps: Int = 0
  /// Adam: first moments; SGD: velocities. Same order as `parameters`.
  public let firstMoments: [Tensor]
  /// Adam: second moments; SGD: unused (kept zero).
  public let secondMoments: [Tensor]

  public init(_ spec: OptimizerSpec, parameters: [(name: String, parameter: Parameter)]) {
    self.spec = spec
    self.parameters = parameters
    firstMoments = parameters.map { Tensor(zeros: $0.parameter.value.shape) }
    secondMoments = parameters.map { Tensor(zeros: $0.parameter.value.shape) }
  }

  /// One update of every parameter from its gradient. Does not zero the gradients.
  public func step() {
    steps += 1
    switch spec {
    case .adam(let lr, let b1, let b2, let eps):
      // PyTorch's form: θ −= lr · m̂ / (√v̂ + ε), m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ).
      let k = AdamConstants(
        beta1: b1, beta2: b2, learningRate: lr, epsilon: eps, correction1: 1 - Float(Double(b1).power(steps)),
        correction2: 1 - Float(Double(b2).power(steps)))
      for (i, (_, p)) in parameters.enumerated() {
        let (value, gradient, moments, squares) = (p.value, p.gradient, firstMoments[i], secondMoments[i])
        parallelRanges(value.count) { range in
          adamUpdate(value: value, gradient: gradient, moments: moments, squares: squares, range: range, k)
        }
      }
    case .sgd(let lr, let momentum):
      for (i, (_, p)) in parameters.enumerated() {
        let (w, g, u) = (p.value.pointer, p.gradient.pointer, firstMoments[i].pointer)
        for j in 0..<p.value.count {
          u[j] = momentum * u[j] + g[j]
          w[j] -= lr * u[j]
        }
      }
    }
  }

  /// Restores the update count from a saved session (the moments are restored in place).
  public func restore(steps: Int) { self.steps = steps }
}

extension Double {
  /// self raised to a non-negative integer power, by repeated squaring.
  fileprivate func power(_ n: Int) -> Double {
    var (result, base, e) = (1.0, self, n)
    while e > 0 {
      if e & 1 == 1 { result *= base }
      base *= base
      e >>= 1
    }
    return result
  }
}
