import CKernels

/// Adam's constants for one update: β1, β2, lr, ε and the bias corrections 1 − β1ᵗ, 1 − β2ᵗ.
public struct AdamConstants: Sendable {
  public var beta1, beta2, learningRate, epsilon, correction1, correction2: Float

  public init(beta1: Float, beta2: Float, learningRate: Float, epsilon: Float, correction1: Float, correction2: Float) {
    (self.beta1, self.beta2, self.learningRate, self.epsilon) = (beta1, beta2, learningRate, epsilon)
    (self.correction1, self.correction2) = (correction1, correction2)
  }
}

/// One Adam update of the parameters `range` of `value` [n], in place, with PyTorch's
/// expression in `Float` (`ganrepl_adam`, four lanes at a time):
///
///     m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g·g;  w −= lr·(m / c1) / (√(v / c2) + ε)
///
/// value, gradient, moments (m), squares (v): [n], the same shape.
public func adamUpdate(
  value: Tensor, gradient: Tensor, moments: Tensor, squares: Tensor, range: Range<Int>, _ k: AdamConstants
) {
  precondition(
    gradient.count == value.count && moments.count == value.count && squares.count == value.count
      && range.lowerBound >= 0 && range.upperBound <= value.count,
    "adam: value \(value.shape), gradient \(gradient.shape), moments \(moments.shape), squares \(squares.shape), range \(range)"
  )
  var constants = ganrepl_adam_constants(
    beta1: k.beta1, beta2: k.beta2, learningRate: k.learningRate, epsilon: k.epsilon,
    correction1: k.correction1, correction2: k.correction2)
  let i = range.lowerBound
  ganrepl_adam(
    value.pointer + i, gradient.pointer + i, moments.pointer + i, squares.pointer + i, range.count, &constants)
}
