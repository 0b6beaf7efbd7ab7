import Tensors

/// A fully connected layer: y = x · kernel + bias.
///
/// x [N, IN] · kernel [IN, OUT] (+ bias [OUT]) → y [N, OUT]
public final class Dense: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public let outputShape: Shape
  let weights: Weights

  private var savedInput: Tensor?
  private var output: Tensor?
  private let relay: GradientRelay

  init(
    input: Shape, units: Int, bias hasBias: Bool, initializer: Initializer, random: RandomSource,
    relay: GradientRelay
  ) {
    self.relay = relay
    spec = .dense(units: units, bias: hasBias)
    inputShape = input
    outputShape = Shape(units)
    let features = input.count
    weights = Weights(
      kernel: Shape(features, units), fans: (features, units), bias: hasBias, outputs: units,
      initializer: initializer, random: random)
  }

  public var parameters: [Parameter] { weights.parameters }

  /// y[N, OUT] = x[N, IN] · kernel[IN, OUT] + bias
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let n = input.shape[0]
    let y = Tensor.reusing(output, shape: outputShape.batched(n))
    gemm(
      m: n, n: outputShape[0], k: inputShape[0],
      a: input.pointer, lda: inputShape[0], b: weights.kernel.value.pointer, ldb: outputShape[0],
      c: y.pointer, ldc: outputShape[0])
    weights.addBias(to: y)
    savedInput = input
    output = y
    return y
  }

  /// Returns gradInput[N, IN] = gradOutput[N, OUT] · kernelᵀ
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    let n = gradOutput.shape[0]
    let dx = relay.buffer(inputShape.batched(n), besides: gradOutput)
    gemm(
      transposeB: true, m: n, n: inputShape[0], k: outputShape[0],
      a: gradOutput.pointer, lda: outputShape[0], b: weights.kernel.value.pointer, ldb: outputShape[0],
      c: dx.pointer, ldc: inputShape[0])
    return dx
  }

  /// Accumulates kernel.gradient += xᵀ · gradOutput and bias.gradient += Σ_N gradOutput
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    guard let x = savedInput else { preconditionFailure("\(spec): backward before forward") }
    gemm(
      transposeA: true, m: inputShape[0], n: outputShape[0], k: x.shape[0],
      a: x.pointer, lda: inputShape[0], b: gradOutput.pointer, ldb: outputShape[0],
      beta: 1, c: weights.kernel.gradient.pointer, ldc: outputShape[0])
    weights.accumulateBiasGradient(gradOutput)
  }
}
