import Tensors

extension LayerSpec {
  /// The values a notebook may give each layer option. The parser's binder reads these
  /// ranges (so a typed value is refused at its token), and `validate` checks a whole spec
  /// against them (so a loaded session is held to the same rules).
  public enum Limits {
    public static let units = 1...(1 << 24)
    public static let filters = 1...65536
    public static let kernel = 1...64
    public static let stride = 1...64
    public static let slope: ClosedRange<Float> = 0...1
    public static let dropoutRate: ClosedRange<Float> = 0...0.99
    public static let momentum: ClosedRange<Float> = 0...1
    public static let epsilon: ClosedRange<Float> = 0...1
    /// Each of a reshape's height, width and channels.
    public static let reshapeSize = 1...(1 << 24)
    /// Values in one sample of any layer's output: far beyond memory, far short of overflow.
    public static let values = 1...LayerSpec.maximumSampleCount
    /// Samples in one PacGAN pack (the paper tries 2 to 4).
    public static let pack = 1...64
    /// Samples in one minibatch-stddev group (Progressive GANs use 4).
    public static let group = 2...4096

    /// Explicit padding: fewer pixels than the kernel is wide.
    public static func padding(kernel: Int) -> ClosedRange<Int> { 0...max(0, kernel - 1) }
  }

  /// Checks every option against `Limits`; the violation's field is the spec's JSON path
  /// (`dropout.rate`, `conv.kernel`).
  public func validate() throws(RuleViolation) {
    switch self {
    case .dense(let units, _):
      try Rule.check(units, in: Limits.units, "dense.units")
    case .conv(let f, let k, let s, let p, _):
      try Self.validateConv("conv", filters: f, kernel: k, stride: s, padding: p)
    case .deconv(let f, let k, let s, let p, _):
      try Self.validateConv("deconv", filters: f, kernel: k, stride: s, padding: p)
    case .leakyReLU(let slope):
      try Rule.check(slope, in: Limits.slope, "leakyReLU.slope")
    case .dropout(let rate):
      try Rule.check(rate, in: Limits.dropoutRate, "dropout.rate")
    case .batchNorm(let momentum, let epsilon):
      try Rule.check(momentum, in: Limits.momentum, "batchNorm.momentum")
      try Rule.check(epsilon, in: Limits.epsilon, "batchNorm.epsilon")
    case .reshape(let shape):
      guard shape.dims.count == 3 else {
        throw RuleViolation(
          field: "reshape._0.dims", value: "\(shape.dims)", expected: "height, width and channels (3 sizes)")
      }
      for (i, d) in shape.dims.enumerated() { try Rule.check(d, in: Limits.reshapeSize, "reshape._0.dims[\(i)]") }
      guard Rule.product(shape.dims, limit: Limits.values.upperBound) != nil else {
        throw RuleViolation(
          field: "reshape._0.dims", value: "\(shape.dims)",
          expected: "1 or more sizes whose product is at most \(Limits.values.upperBound)")
      }
    case .relu, .sigmoid, .tanh, .flatten:
      break
    case .spectralNorm(let layer):
      guard layer.spectralNormAxis != nil else {
        throw RuleViolation(
          field: "spectralNorm._0", value: layer.description, expected: "a dense, conv or deconv layer")
      }
      try layer.validate()
    case .pack(let m):
      try Rule.check(m, in: Limits.pack, "pack._0")
    case .minibatchStdDev(let group):
      try Rule.check(group, in: Limits.group, "minibatchStdDev.group")
    }
  }

  private static func validateConv(
    _ name: String, filters: Int, kernel: Int, stride: Int, padding: Padding
  ) throws(RuleViolation) {
    try Rule.check(filters, in: Limits.filters, "\(name).filters")
    try Rule.check(kernel, in: Limits.kernel, "\(name).kernel")
    try Rule.check(stride, in: Limits.stride, "\(name).stride")
    if case .explicit(let p) = padding {
      try Rule.check(p, in: Limits.padding(kernel: kernel), "\(name).padding.explicit._0")
    }
  }
}

extension OptimizerSpec {
  /// The values `optimizer` accepts, for the binder and for `validate`.
  public enum Limits {
    public static let learningRate: ClosedRange<Float> = 0...10
    public static let beta: ClosedRange<Float> = 0...0.999999
    public static let epsilon: ClosedRange<Float> = 0...1
    public static let momentum: ClosedRange<Float> = 0...0.999999
  }

  /// Checks every hyperparameter against `Limits`.
  public func validate() throws(RuleViolation) {
    switch self {
    case .adam(let lr, let b1, let b2, let eps):
      try Rule.check(lr, in: Limits.learningRate, "adam.learningRate")
      try Rule.check(b1, in: Limits.beta, "adam.beta1")
      try Rule.check(b2, in: Limits.beta, "adam.beta2")
      try Rule.check(eps, in: Limits.epsilon, "adam.epsilon")
    case .sgd(let lr, let momentum):
      try Rule.check(lr, in: Limits.learningRate, "sgd.learningRate")
      try Rule.check(momentum, in: Limits.momentum, "sgd.momentum")
    }
  }
}

extension Initializer {
  /// The standard deviations `init=normal std=…` accepts.
  public static let stdRange: ClosedRange<Float> = 0...10

  public func validate() throws(RuleViolation) {
    if case .normal(let std) = self { try Rule.check(std, in: Self.stdRange, "normal.std") }
  }
}
