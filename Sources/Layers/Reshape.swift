import Tensors

/// `flatten` and `reshape`: the same numbers seen with another per-sample shape.
/// No copy: the output is a view of the input, and the gradient a view of gradOutput.
///
/// x [N, …input] → y [N, …output], with input.count == output.count
public final class Reshape: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public let outputShape: Shape

  init(spec: LayerSpec, input: Shape, output: Shape) {
    precondition(input.count == output.count, "\(spec): \(input) → \(output)")
    self.spec = spec
    inputShape = input
    outputShape = output
  }

  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    return input.reshaped(outputShape.batched(input.shape[0]))
  }

  /// gradInput = gradOutput seen with the input's shape
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    gradOutput.reshaped(inputShape.batched(gradOutput.shape[0]))
  }
}
