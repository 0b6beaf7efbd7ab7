import Tensors

/// The kernel and optional bias of `Dense`, `Conv2D` and `Conv2DTranspose`: how they start,
/// the list the optimiser sees, and the bias's share of forward and backward.
///
/// kernel: each layer states its shape; bias [OUT], added along the last axis of y
struct Weights {
  let kernel: Parameter
  let bias: Parameter?

  /// A kernel of `shape` with fan-in and fan-out `fans` drawn from `initializer`, then
  /// (when `bias`) a zero bias of `outputs` values.
  init(
    kernel shape: Shape, fans: (in: Int, out: Int), bias: Bool, outputs: Int, initializer: Initializer,
    random: RandomSource
  ) {
    kernel = Parameter(name: "kernel", value: initializer.kernel(shape, fans: fans, random: random))
    self.bias = bias ? Parameter(name: "bias", value: Tensor(zeros: Shape(outputs))) : nil
  }

  /// A convolution's k×k kernel `[k, k, A, B]` between A and B channels: fans k²·A and k²·B.
  init(
    convolution k: Int, channels: (a: Int, b: Int), bias: Bool, outputs: Int, initializer: Initializer,
    random: RandomSource
  ) {
    self.init(
      kernel: Shape(k, k, channels.a, channels.b), fans: (k * k * channels.a, k * k * channels.b), bias: bias,
      outputs: outputs, initializer: initializer, random: random)
  }

  /// The kernel, then the bias if there is one: the order of saved names and optimiser state.
  var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }

  /// y[…, OUT] += bias
  func addBias(to y: Tensor) {
    if let bias { y.addRowVector(bias.value) }
  }

  /// bias.gradient += Σ gradOutput over every axis but the last
  func accumulateBiasGradient(_ gradOutput: Tensor) {
    if let bias { gradOutput.accumulateColumnSums(into: bias.gradient) }
  }
}
