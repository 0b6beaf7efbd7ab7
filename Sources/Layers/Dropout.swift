import Tensors

/// Inverted dropout: in training each element is zeroed with probability `rate` and the
/// survivors are scaled by 1 / (1 − rate); in inference it is the identity. The mask is
/// drawn from the `RandomSource` the training mode carries.
///
/// x [N, …] → y [N, …]
public final class Dropout: Layer {
  public var spec: LayerSpec { .dropout(rate: rate) }
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  public let rate: Float

  /// Per element: 0 (dropped) or 1 / (1 − rate) (kept); all ones in inference.
  private var savedMask: Tensor?
  private var output: Tensor?
  private let relay: GradientRelay

  init(shape: Shape, rate: Float, relay: GradientRelay) {
    self.relay = relay
    precondition(rate >= 0 && rate < 1, "dropout rate \(rate) outside [0, 1)")
    inputShape = shape
    self.rate = rate
  }

  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let mask = Tensor.reusing(savedMask, shape: input.shape)
    if case .training(let random) = mode, rate > 0 {
      let keep = 1 / (1 - rate)
      let m = mask.pointer
      random.uniforms(mask.count) { i, u in m[i] = u < rate ? 0 : keep }
    } else {
      mask.fill(1)
    }
    let y = Tensor.reusing(output, shape: input.shape)
    let (x, m, o) = (input.pointer, mask.pointer, y.pointer)
    for i in 0..<y.count { o[i] = x[i] * m[i] }
    savedMask = mask
    output = y
    return y
  }

  /// gradInput = gradOutput · mask
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let mask = savedMask else { preconditionFailure("dropout: backward before forward") }
    let dx = relay.inPlace(gradOutput)
    let (g, m, d) = (gradOutput.pointer, mask.pointer, dx.pointer)
    for i in 0..<dx.count { d[i] = g[i] * m[i] }
    return dx
  }
}
