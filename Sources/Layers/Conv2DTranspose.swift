import Tensors

/// A transposed ("fractionally strided") convolution over NHWC images (Keras
/// `Conv2DTranspose`, PyTorch `ConvTranspose2d`): the adjoint of a `Conv2D` from its
/// output back to its input, so the conv kernels run with their roles swapped.
///
/// x [N, H, W, IC] → y [N, OH, OW, OC], kernel [KH, KW, OC, IC] (Keras's layout: the
/// kernel of the conv from OC to IC channels whose adjoint this is), bias [OC].
public final class Conv2DTranspose: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public let outputShape: Shape
  /// The convolution this layer is the adjoint of: its input is our output.
  public let geometry: ConvGeometry
  let weights: Weights

  private let workspace: Workspace
  private var savedInput: Tensor?
  private var output: Tensor?

  init(
    spec: LayerSpec, input: Shape, filters: Int, kernel k: Int, stride: Int, padding: Padding,
    bias hasBias: Bool, initializer: Initializer, random: RandomSource, workspace: Workspace
  ) throws(GeometryError) {
    self.spec = spec
    self.workspace = workspace
    inputShape = input
    geometry = try ConvGeometry.transposed(
      inputHeight: input[0], inputWidth: input[1], inputChannels: input[2], outputChannels: filters,
      kernel: (k, k), stride: (stride, stride), padding: padding)
    outputShape = Shape(geometry.inputHeight, geometry.inputWidth, filters)
    weights = Weights(
      convolution: k, channels: (filters, input[2]), bias: hasBias, outputs: filters, initializer: initializer,
      random: random)
  }

  public var parameters: [Parameter] { weights.parameters }

  /// y[N, OH, OW, OC] = col2im(x[N·H·W, IC] · kernel[KH·KW·OC, IC]ᵀ) + bias
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let y = Tensor.reusing(output, shape: outputShape.batched(input.shape[0]))
    y.zero()
    convBackwardInput(
      gradOutput: input, weight: weights.kernel.value, geometry: geometry, gradInput: y,
      workspace: workspace)
    weights.addBias(to: y)
    savedInput = input
    output = y
    return y
  }

  /// Returns gradInput[N, H, W, IC] = im2col(gradOutput) · kernel[KH·KW·OC, IC]
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    let dx = workspace.gradients.buffer(inputShape.batched(gradOutput.shape[0]), besides: gradOutput)
    convForward(
      input: gradOutput, weight: weights.kernel.value, geometry: geometry, output: dx, workspace: workspace)
    return dx
  }

  /// Accumulates kernel.gradient += im2col(gradOutput)ᵀ · x, bias.gradient += Σ gradOutput
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    guard let x = savedInput else { preconditionFailure("\(spec): backward before forward") }
    convBackwardWeight(
      input: gradOutput, gradOutput: x, geometry: geometry, gradWeight: weights.kernel.gradient,
      workspace: workspace)
    weights.accumulateBiasGradient(gradOutput)
  }
}
