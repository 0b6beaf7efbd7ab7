import Tensors

/// Whether a forward pass trains (batch statistics, dropout) or infers. Training carries
/// the random source dropout draws from: there is no global mode and no global generator.
public enum Mode {
  case training(RandomSource)
  case inference

  public var isTraining: Bool {
    if case .training = self { return true }
    return false
  }
}

/// A network stage with a hand-written backward pass (the torch7 `nn.Module` contract).
///
/// Shapes are per sample; tensors carry the batch in front (`[N] + inputShape`).
/// `backwardInput` and `accumulateParameterGradients` refer to the most recent `forward`
/// and take the gradient of that forward's output; call `accumulateParameterGradients`
/// first, as `Sequential` does. Outputs and gradients are buffers later calls overwrite:
/// - a layer's output is its own, except that an activation in a `Sequential` may write
///   over the output of the conv, deconv, dense or BatchNorm layer before it (those never
///   read their output in backward);
/// - an input gradient lives in the workspace's `GradientRelay`, valid until the next
///   backward sharing that workspace (another network's too), and an elementwise layer
///   may overwrite a `gradOutput` that lives there.
public protocol Layer: AnyObject {
  /// What this layer is, as written in a notebook.
  var spec: LayerSpec { get }
  var inputShape: Shape { get }
  var outputShape: Shape { get }

  /// Computes the output and saves what the backward pass needs.
  func forward(_ input: Tensor, mode: Mode) -> Tensor
  /// Returns dLoss/dInput. Leaves parameter gradients alone.
  func backwardInput(_ gradOutput: Tensor) -> Tensor
  /// Adds (+=) dLoss/dParameter into each parameter's gradient.
  func accumulateParameterGradients(_ gradOutput: Tensor)

  /// Trainable parameters, in a stable order with stable names.
  var parameters: [Parameter] { get }
  /// State that is saved but not trained (BatchNorm's running statistics).
  var buffers: [(name: String, value: Tensor)] { get }
}

extension Layer {
  public var parameters: [Parameter] { [] }
  public var buffers: [(name: String, value: Tensor)] { [] }
  public func accumulateParameterGradients(_ gradOutput: Tensor) {}

  /// Checks a forward input against `inputShape`; a mismatch is a programming error.
  func checkInput(_ input: Tensor) {
    precondition(
      input.shape.rank == inputShape.rank + 1 && input.shape.sample == inputShape,
      "\(spec): expected input [N, \(inputShape.dims.map(String.init).joined(separator: ", "))], got \(input.shape)")
  }
}

/// A trainable tensor and the gradient accumulated for it.
public final class Parameter {
  /// `kernel`, `bias`, `gamma` or `beta`; networks prefix the layer index.
  public let name: String
  public let value: Tensor
  public let gradient: Tensor

  public init(name: String, value: Tensor) {
    self.name = name
    self.value = value
    gradient = Tensor(zeros: value.shape)
  }

  public func zeroGradient() { gradient.zero() }
}
