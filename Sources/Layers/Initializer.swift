import Tensors

/// How a network's weights start.
public enum Initializer: Hashable, Codable, Sendable, CustomStringConvertible {
  /// Keras defaults: Glorot-uniform kernels, U(±√(6 / (fanIn + fanOut))), zero biases,
  /// BatchNorm γ = 1, β = 0.
  case glorot
  /// The DCGAN paper and the PyTorch example: kernels N(0, std²), BatchNorm γ ~ N(1, std²),
  /// zero biases and β.
  case normal(std: Float)

  public var description: String {
    switch self {
    case .glorot: "glorot"
    case .normal(let std): "normal(\(std))"
    }
  }

  /// A kernel with fan-in and fan-out `fans` (the receptive field times the channels).
  func kernel(_ shape: Shape, fans: (in: Int, out: Int), random: RandomSource) -> Tensor {
    switch self {
    case .glorot:
      let limit = (6 / Float(fans.in + fans.out)).squareRoot()
      return .randomUniform(shape, low: -limit, high: limit, using: random)
    case .normal(let std):
      return .randomNormal(shape, mean: 0, std: std, using: random)
    }
  }

  /// BatchNorm's scale γ.
  func gamma(_ shape: Shape, random: RandomSource) -> Tensor {
    switch self {
    case .glorot: Tensor(shape: shape, repeating: 1)
    case .normal(let std): .randomNormal(shape, mean: 1, std: std, using: random)
    }
  }
}
