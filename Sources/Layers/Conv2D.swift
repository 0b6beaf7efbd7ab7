import Tensors

/// A 2-D convolution over NHWC images (Keras `Conv2D`, PyTorch `Conv2d`).
///
/// x [N, H, W, IC] ⊛ kernel [KH, KW, IC, OC] (+ bias [OC]) → y [N, OH, OW, OC]
public final class Conv2D: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public let outputShape: Shape
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
    geometry = try ConvGeometry(
      inputHeight: input[0], inputWidth: input[1], inputChannels: input[2], outputChannels: filters,
      kernel: (k, k), stride: (stride, stride), padding: padding)
    outputShape = Shape(geometry.outputHeight, geometry.outputWidth, filters)
    weights = Weights(
      convolution: k, channels: (input[2], filters), bias: hasBias, outputs: filters, initializer: initializer,
      random: random)
  }

  public var parameters: [Parameter] { weights.parameters }

  /// y[N, OH, OW, OC] = im2col(x) · kernel[KH·KW·IC, OC] + bias
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let y = Tensor.reusing(output, shape: outputShape.batched(input.shape[0]))
    convForward(input: input, weight: weights.kernel.value, geometry: geometry, output: y, workspace: workspace)
    weights.addBias(to: y)
    savedInput = input
    output = y
    return y
  }

  /// Returns gradInput[N, H, W, IC] = col2im(gradOutput · kernelᵀ)
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    let dx = workspace.gradients.buffer(inputShape.batched(gradOutput.shape[0]), besides: gradOutput)
    dx.zero()
    convBackwardInput(
      gradOutput: gradOutput, weight: weights.kernel.value, geometry: geometry, gradInput: dx,
      workspace: workspace)
    return dx
  }

  /// Accumulates kernel.gradient += im2col(x)ᵀ · gradOutput, bias.gradient += Σ gradOutput
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    guard let x = savedInput else { preconditionFailure("\(spec): backward before forward") }
    convBackwardWeight(
      input: x, gradOutput: gradOutput, geometry: geometry, gradWeight: weights.kernel.gradient,
      workspace: workspace)
    weights.accumulateBiasGradient(gradOutput)
  }
}
