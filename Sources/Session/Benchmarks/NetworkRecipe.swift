import Layers
import Tensors

/// A GAN as a notebook sets it up: the images it trains on and their batch, the latent
/// size, both networks, the loss and the optimiser. The tutorial's and the classic
/// DCGAN's are written here once: `bench` and `bench data` train them, and
/// `NetworkRecipeTests` holds them equal to what `notebooks/celeba.gan` and
/// `notebooks/dcgan.gan` define.
public struct NetworkRecipe: Sendable {
  /// One image, H×W×C, and the range its pixels are scaled to.
  public var image: Shape
  public var range: DataSpec.PixelRange
  public var batch: Int
  public var latent: Int
  /// Both networks in the order the notebook defines them: their initial weights are
  /// drawn one after the other from the session's weights stream.
  public var networks: [(role: NetworkRole, definition: NetworkDefinition)]
  public var loss: Loss
  public var discriminatorLoss: DiscriminatorLoss
  /// The optimiser of both networks.
  public var optimizer: OptimizerSpec

  /// The definition of `role`'s network.
  public subscript(role: NetworkRole) -> NetworkDefinition {
    networks.first { $0.role == role }!.definition
  }
}

extension NetworkRecipe {
  /// The Keras DCGAN face tutorial (`notebooks/celeba.gan`): 64×64 RGB in [0, 1], batch
  /// 32, latent 128, three stride-2 "same" convolutions each way with LeakyReLU 0.2,
  /// Keras's initialisers, binary cross-entropy, Adam(1e-4) with Keras's defaults.
  public static let tutorial: NetworkRecipe = {
    func halving(_ filters: Int) -> [LayerSpec] {
      [.conv(filters: filters, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2)]
    }
    func doubling(_ filters: Int) -> [LayerSpec] {
      [.deconv(filters: filters, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2)]
    }
    let discriminator: [LayerSpec] =
      [64, 128, 128].flatMap(halving) + [.flatten, .dropout(rate: 0.2), .dense(units: 1, bias: true), .sigmoid]
    let generator: [LayerSpec] =
      [.dense(units: 8 * 8 * 128, bias: true), .reshape(Shape(8, 8, 128))] + [128, 256, 512].flatMap(doubling)
      + [.conv(filters: 3, kernel: 5, stride: 1, padding: .same, bias: true), .sigmoid]
    return NetworkRecipe(
      image: Shape(64, 64, 3), range: .unit, batch: 32, latent: 128,
      networks: [
        (.discriminator, NetworkDefinition(layers: discriminator, initializer: .glorot)),
        (.generator, NetworkDefinition(layers: generator, initializer: .glorot)),
      ],
      loss: .bce, discriminatorLoss: .mean,
      optimizer: .adam(learningRate: 1e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-7))
  }()

  /// The classic PyTorch DCGAN (`notebooks/dcgan.gan`, pytorch/examples dcgan/main.py):
  /// 64×64 RGB in [-1, 1], batch 64, nz 100, ngf = ndf = 64, k4 s2 p1 convolutions
  /// without bias, BatchNorm, N(0, 0.02) weights, the summed D loss, Adam(2e-4, β1 0.5).
  public static let dcgan: NetworkRecipe = {
    let batchNorm = LayerSpec.batchNorm(momentum: 0.1, epsilon: 1e-5)
    /// 1×1 → 4×4 (`stride` 1, `padding` 0) or twice the size (2, 1).
    func deconv(_ filters: Int, stride: Int = 2, padding: Int = 1) -> LayerSpec {
      .deconv(filters: filters, kernel: 4, stride: stride, padding: .explicit(padding), bias: false)
    }
    /// Half the size (2, 1) or 4×4 → 1×1 (`stride` 1, `padding` 0).
    func conv(_ filters: Int, stride: Int = 2, padding: Int = 1) -> LayerSpec {
      .conv(filters: filters, kernel: 4, stride: stride, padding: .explicit(padding), bias: false)
    }
    let generator: [LayerSpec] =
      [deconv(512, stride: 1, padding: 0), batchNorm, .relu]
      + [256, 128, 64].flatMap { [deconv($0), batchNorm, .relu] } + [deconv(3), .tanh]
    let discriminator: [LayerSpec] =
      [conv(64), .leakyReLU(slope: 0.2)] + [128, 256, 512].flatMap { [conv($0), batchNorm, .leakyReLU(slope: 0.2)] }
      + [conv(1, stride: 1, padding: 0), .flatten, .sigmoid]
    return NetworkRecipe(
      image: Shape(64, 64, 3), range: .symmetric, batch: 64, latent: 100,
      networks: [
        (.generator, NetworkDefinition(layers: generator, initializer: .normal(std: 0.02))),
        (.discriminator, NetworkDefinition(layers: discriminator, initializer: .normal(std: 0.02))),
      ],
      loss: .bce, discriminatorLoss: .sum,
      optimizer: .adam(learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8))
  }()
}
