import Tensors

extension LayerSpec {
  /// The axis of the kernel that holds output channels, for the layers spectral
  /// normalisation can wrap: dense [IN, OUT] and conv [KH, KW, IC, OC] the last, deconv
  /// [KH, KW, OC, IC] the third (PyTorch's dim=1 of a ConvTranspose2d weight); nil otherwise.
  public var spectralNormAxis: Int? {
    switch self {
    case .dense: 1
    case .conv: 3
    case .deconv: 2
    default: nil
    }
  }

  /// The layer without its spectral normalisation: what it computes, for the code that
  /// looks at a layer's kind (the generator's input shape, im2col memory, benchmarks).
  public var unnormalized: LayerSpec {
    if case .spectralNorm(let layer) = self { return layer }
    return self
  }
}

extension SpectralNorm {
  /// Builds `layer` for `input` and wraps it; u and v are drawn after its weights.
  convenience init(
    spec: LayerSpec, wrapping layer: LayerSpec, input: Shape, initializer: Initializer, random: RandomSource,
    workspace: Workspace
  ) throws(GeometryError) {
    guard let axis = layer.spectralNormAxis else {
      throw GeometryError("'sn' (spectral normalisation) applies to dense, conv and deconv, not \(layer.kind)")
    }
    let inner = try layer.makeLayer(input: input, initializer: initializer, random: random, workspace: workspace)
    self.init(spec: spec, inner: inner, outAxis: axis, random: random)
  }
}
