import Tensors

/// One layer as a user describes it: the single source of truth that the parser
/// produces, `summary` prints, a saved session stores, and `makeLayer` builds from.
public enum LayerSpec: Hashable, Codable, Sendable, CustomStringConvertible {
  case dense(units: Int, bias: Bool)
  case conv(filters: Int, kernel: Int, stride: Int, padding: Padding, bias: Bool)
  case deconv(filters: Int, kernel: Int, stride: Int, padding: Padding, bias: Bool)
  case relu
  case leakyReLU(slope: Float)
  case sigmoid
  case tanh
  case flatten
  case reshape(Shape)
  case dropout(rate: Float)
  /// `momentum` is PyTorch's: the weight of the new batch in the running statistics.
  case batchNorm(momentum: Float, epsilon: Float)
  /// A dense, conv or deconv layer whose kernel is spectrally normalised (`SpectralNorm`).
  indirect case spectralNorm(LayerSpec)
  /// PacGAN: `m` consecutive samples judged as one (`Pack`); only in a discriminator.
  case pack(Int)
  /// Progressive GANs' minibatch standard deviation over groups of `group` samples, one
  /// channel more (`MinibatchStdDev`); only in a discriminator.
  case minibatchStdDev(group: Int)

  /// The notebook line that defines this layer.
  public var description: String {
    func b(_ bias: Bool) -> String { bias ? "" : " bias=false" }
    switch self {
    case .dense(let units, let bias): return "dense \(units)\(b(bias))"
    case .conv(let f, let k, let s, let p, let bias):
      return "conv \(f) kernel=\(k) stride=\(s) padding=\(p)\(b(bias))"
    case .deconv(let f, let k, let s, let p, let bias):
      return "deconv \(f) kernel=\(k) stride=\(s) padding=\(p)\(b(bias))"
    case .relu: return "relu"
    case .leakyReLU(let slope): return "leakyrelu \(slope)"
    case .sigmoid: return "sigmoid"
    case .tanh: return "tanh"
    case .flatten: return "flatten"
    case .reshape(let shape): return "reshape " + shape.dims.map(String.init).joined(separator: "x")
    case .dropout(let rate): return "dropout \(rate)"
    case .batchNorm(let m, let e): return "batchnorm momentum=\(m) eps=\(e)"
    case .spectralNorm(let layer): return "\(layer) sn"
    case .pack(let m): return "pack \(m)"
    case .minibatchStdDev(let group): return "mbstd group=\(group)"
    }
  }

  /// The kind of layer as `summary` shows it (Keras's class names).
  public var kind: String {
    switch self {
    case .dense: "Dense"
    case .conv: "Conv2D"
    case .deconv: "Conv2DTranspose"
    case .relu: "ReLU"
    case .leakyReLU: "LeakyReLU"
    case .sigmoid: "Sigmoid"
    case .tanh: "Tanh"
    case .flatten: "Flatten"
    case .reshape: "Reshape"
    case .dropout: "Dropout"
    case .batchNorm: "BatchNorm"
    case .spectralNorm(let layer): layer.kind + "+SN"
    case .pack: "Pack"
    case .minibatchStdDev: "MinibatchStdDev"
    }
  }

  /// The most values one sample may have after any layer (1 GB of floats). Sizes come
  /// from a user, so shape inference stops here, long before counts, parameter counts or
  /// batch sizes times counts could overflow an `Int`.
  public static let maximumSampleCount = 1 << 28

  /// The per-sample output shape for a per-sample `input`, or why the layer can't take it.
  public func outputShape(for input: Shape) throws(GeometryError) -> Shape {
    let output = try uncheckedOutputShape(for: input)
    guard let count = output.checkedCount, count <= Self.maximumSampleCount else {
      throw GeometryError(
        "its output \(output.compact) would hold more than \(Self.maximumSampleCount) values per sample "
          + "(\(output.checkedCount.map(String.init) ?? "too many to count")); use smaller sizes")
    }
    return output
  }

  private func uncheckedOutputShape(for input: Shape) throws(GeometryError) -> Shape {
    switch self {
    case .dense(let units, _):
      guard input.rank == 1 else {
        throw GeometryError("dense needs a flat input; add 'flatten' before it")
      }
      return Shape(units)
    case .conv(let f, let k, let s, let p, _):
      let g = try ConvGeometry(
        inputHeight: try imageSize(input).h, inputWidth: input[1], inputChannels: input[2],
        outputChannels: f, kernel: (k, k), stride: (s, s), padding: p)
      return Shape(g.outputHeight, g.outputWidth, f)
    case .deconv(let f, let k, let s, let p, _):
      let g = try ConvGeometry.transposed(
        inputHeight: try imageSize(input).h, inputWidth: input[1], inputChannels: input[2],
        outputChannels: f, kernel: (k, k), stride: (s, s), padding: p)
      return Shape(g.inputHeight, g.inputWidth, f)
    case .relu, .leakyReLU, .sigmoid, .tanh, .dropout, .batchNorm:
      return input
    case .flatten:
      return Shape(input.count)
    case .reshape(let shape):
      guard shape.checkedCount == input.count else {
        throw GeometryError(
          "cannot reshape \(input.compact) (\(input.count) values) to \(shape.compact) "
            + "(\(shape.checkedCount.map(String.init) ?? "too many") values)")
      }
      return shape
    case .spectralNorm(let layer):
      return try layer.uncheckedOutputShape(for: input)
    case .pack(let m):
      var dims = input.dims
      dims[dims.count - 1] *= m
      return Shape(dims)
    case .minibatchStdDev:
      var dims = input.dims
      dims[dims.count - 1] += 1
      return Shape(dims)
    }
  }

  /// Trainable numbers this layer holds for a per-sample `input`.
  public func parameterCount(for input: Shape) -> Int {
    switch self {
    case .dense(let units, let bias): return input.count * units + (bias ? units : 0)
    case .conv(let f, let k, _, _, let bias), .deconv(let f, let k, _, _, let bias):
      return k * k * (input.rank == 3 ? input[2] : 0) * f + (bias ? f : 0)
    case .batchNorm: return 2 * (input.dims.last ?? 0)
    case .relu, .leakyReLU, .sigmoid, .tanh, .flatten, .reshape, .dropout: return 0
    case .spectralNorm(let layer): return layer.parameterCount(for: input)
    case .pack, .minibatchStdDev: return 0
    }
  }

  /// Multiply-adds of one forward pass for one sample (the convention of the peers'
  /// `flops.py`: a transposed conv scatters K·K·OC per input pixel and channel).
  public func multiplyAdds(for input: Shape) -> Int {
    guard let output = try? outputShape(for: input) else { return 0 }
    switch self {
    case .dense(let units, _): return input.count * units
    case .conv(let f, let k, _, _, _): return output[0] * output[1] * f * k * k * input[2]
    case .deconv(let f, let k, _, _, _): return input[0] * input[1] * input[2] * k * k * f
    case .relu, .leakyReLU, .sigmoid, .tanh, .flatten, .reshape, .dropout, .batchNorm: return 0
    case .spectralNorm(let layer): return layer.multiplyAdds(for: input)
    case .pack, .minibatchStdDev: return 0
    }
  }

  /// Builds the layer for a per-sample `input` that `outputShape(for:)` accepted:
  /// the one switch from description to object. Convolutions use `workspace` for scratch
  /// (layers run one at a time, so a network shares one).
  public func makeLayer(
    input: Shape, initializer: Initializer, random: RandomSource, workspace: Workspace = Workspace()
  ) throws(GeometryError) -> any Layer {
    let output = try outputShape(for: input)
    switch self {
    case .dense(let units, let bias):
      return Dense(
        input: input, units: units, bias: bias, initializer: initializer, random: random, relay: workspace.gradients)
    case .conv(let f, let k, let s, let p, let bias):
      return try Conv2D(
        spec: self, input: input, filters: f, kernel: k, stride: s, padding: p, bias: bias,
        initializer: initializer, random: random, workspace: workspace)
    case .deconv(let f, let k, let s, let p, let bias):
      return try Conv2DTranspose(
        spec: self, input: input, filters: f, kernel: k, stride: s, padding: p, bias: bias,
        initializer: initializer, random: random, workspace: workspace)
    case .relu: return LeakyReLU(spec: self, shape: input, slope: 0, relay: workspace.gradients)
    case .leakyReLU(let slope):
      return LeakyReLU(spec: self, shape: input, slope: slope, relay: workspace.gradients)
    case .sigmoid: return Pointwise(Sigmoid.self, shape: input, relay: workspace.gradients)
    case .tanh: return Pointwise(Tanh.self, shape: input, relay: workspace.gradients)
    case .flatten, .reshape: return Reshape(spec: self, input: input, output: output)
    case .dropout(let rate): return Dropout(shape: input, rate: rate, relay: workspace.gradients)
    case .batchNorm(let momentum, let epsilon):
      return BatchNorm(
        shape: input, momentum: momentum, epsilon: epsilon, initializer: initializer, random: random,
        relay: workspace.gradients)
    case .spectralNorm(let layer):
      return try SpectralNorm(
        spec: self, wrapping: layer, input: input, initializer: initializer, random: random, workspace: workspace)
    case .pack(let m): return Pack(spec: self, input: input, output: output, m: m, relay: workspace.gradients)
    case .minibatchStdDev(let group):
      return MinibatchStdDev(input: input, output: output, group: group, relay: workspace.gradients)
    }
  }

  private func imageSize(_ input: Shape) throws(GeometryError) -> (h: Int, w: Int) {
    guard input.rank == 3 else {
      throw GeometryError(
        "\(kind) needs an image input (height×width×channels); add 'reshape' before it")
    }
    return (input[0], input[1])
  }
}
