import Tensors

/// Spectral normalisation (Miyato et al. 2018) of a dense, conv or deconv layer, as
/// PyTorch's `spectral_norm`: the layer runs with W_sn = W / σ, where σ = uᵀ M v estimates
/// the largest singular value of the kernel seen as a matrix M [OUT, REST] (`KernelMatrix`).
/// Each training forward first runs one power iteration, v = Mᵀu/‖Mᵀu‖, u = Mv/‖Mv‖;
/// inference runs none and uses the stored u and v. u and v are saved with the session.
///
/// W: the wrapped layer's kernel; u [OUT], v [REST]
///
/// Backward treats u and v as constants (as PyTorch's autograd does: they are computed
/// without gradient), so ∂σ/∂W = u vᵀ and, with G = dL/dW_sn,
///   dL/dW = G/σ − (⟨G, W⟩/σ²) u vᵀ = (G − ⟨G, W_sn⟩ u vᵀ) / σ.
public final class SpectralNorm: Layer {
  public let spec: LayerSpec
  public let inner: any Layer
  /// W, the kernel the optimiser trains; the inner layer's own kernel holds W_sn.
  let kernel: Parameter
  private let normalized: Parameter
  private let matrix: KernelMatrix
  let u: Tensor
  let v: Tensor
  /// σ of the last forward.
  public private(set) var sigma: Float = 1

  /// Wraps `inner`, whose first parameter is its kernel with output channels on `outAxis`;
  /// u and v start as normalised N(0, 1) draws from `random`.
  init(spec: LayerSpec, inner: any Layer, outAxis: Int, random: RandomSource) {
    self.spec = spec
    self.inner = inner
    normalized = inner.parameters[0]
    precondition(normalized.name == "kernel", "\(spec): the wrapped layer's first parameter must be its kernel")
    kernel = Parameter(name: "kernel", value: normalized.value.copy())
    matrix = KernelMatrix(kernel: kernel.value.shape, outAxis: outAxis)
    u = Tensor(zeros: Shape(matrix.rows))
    v = Tensor(zeros: Shape(matrix.columns))
    random.fillNormal(u.buffer, mean: 0, std: 1)
    random.fillNormal(v.buffer, mean: 0, std: 1)
    Self.normalize(u)
    Self.normalize(v)
  }

  public var inputShape: Shape { inner.inputShape }
  public var outputShape: Shape { inner.outputShape }
  /// W (named `kernel`, so saved names are those of the plain layer), then the inner bias.
  public var parameters: [Parameter] { [kernel] + inner.parameters.dropFirst() }
  public var buffers: [(name: String, value: Tensor)] { [("sn_u", u), ("sn_v", v)] }

  /// Training: one power iteration on W; then σ = uᵀ M v, W_sn = W / σ, and the inner layer.
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    if mode.isTraining { powerIteration() }
    sigma = Float(matrix.bilinear(kernel.value, u, v))
    normalized.value.assign(kernel.value)
    normalized.value.scale(by: 1 / sigma)
    return inner.forward(input, mode: mode)
  }

  /// v = Mᵀu / ‖Mᵀu‖, then u = M v / ‖M v‖ (PyTorch's order, ε = 1e-12 in the norms).
  func powerIteration() {
    matrix.multiplyTransposed(kernel.value, u, into: v)
    Self.normalize(v)
    matrix.multiply(kernel.value, v, into: u)
    Self.normalize(u)
  }

  /// Returns the inner layer's gradInput (it runs with W_sn).
  public func backwardInput(_ gradOutput: Tensor) -> Tensor { inner.backwardInput(gradOutput) }

  /// Accumulates kernel.gradient += (G − ⟨G, W_sn⟩ u vᵀ) / σ with G = dL/dW_sn of this
  /// gradOutput (the inner layer writes G into its own kernel's gradient, which is
  /// scratch), and the inner bias's gradient as usual.
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    let g = normalized.gradient
    g.zero()
    inner.accumulateParameterGradients(gradOutput)
    let projection = Float(g.dot(normalized.value))
    kernel.gradient.add(g, scaledBy: 1 / sigma)
    matrix.addOuterProduct(-projection / sigma, u, v, to: kernel.gradient)
  }

  /// x /= max(‖x‖, 1e-12)
  private static func normalize(_ x: Tensor) {
    x.scale(by: 1 / max(Float(x.dot(x).squareRoot()), 1e-12))
  }
}
