import Layers
import Testing

@testable import Session
@testable import Tensors

/// The fast convolution methods (columns, shifted, Winograd) against the direct loops of
/// `ConvReference` over a whole short training run, not just one kernel call.
@Suite("Fast paths over a training run")
struct ReferencePathTests {
  /// A small GAN whose layers use every method: k4 s2 convs with ≥ 16 channels (Winograd),
  /// a stride-1 conv narrowing the channels (shifted), and 3-channel convs (columns).
  static let generator: [LayerSpec] = [
    .dense(units: 4 * 4 * 32, bias: true), .reshape(Shape(4, 4, 32)), .batchNorm(momentum: 0.1, epsilon: 1e-5), .relu,
    .deconv(filters: 16, kernel: 4, stride: 2, padding: .explicit(1), bias: false), .leakyReLU(slope: 0.2),
    .conv(filters: 3, kernel: 3, stride: 1, padding: .same, bias: true), .tanh,
  ]
  static let discriminator: [LayerSpec] = [
    .conv(filters: 16, kernel: 4, stride: 2, padding: .same, bias: true), .leakyReLU(slope: 0.2),
    .conv(filters: 32, kernel: 4, stride: 2, padding: .explicit(1), bias: false),
    .batchNorm(momentum: 0.1, epsilon: 1e-5),
    .leakyReLU(slope: 0.2), .flatten, .dropout(rate: 0.2), .dense(units: 1, bias: true), .sigmoid,
  ]

  static func trainer(reference: Bool) throws -> GANTrainer {
    let workspace = Workspace(reference: reference)
    let g = try Sequential(
      input: Shape(8), specs: generator, initializer: .normal(std: 0.05), random: RandomSource(seed: 1),
      workspace: workspace)
    let d = try Sequential(
      input: Shape(8, 8, 3), specs: discriminator, initializer: .glorot, random: RandomSource(seed: 2),
      workspace: workspace)
    let spec = OptimizerSpec.adam(learningRate: 2e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8)
    return GANTrainer(
      generator: g, discriminator: d, optimizerG: Optimizer(spec, parameters: g.namedParameters),
      optimizerD: Optimizer(spec, parameters: d.namedParameters), loss: .bce, discriminatorLoss: .mean,
      realLabel: 1, fakeLabel: 0)
  }

  @Test("eight GAN steps give the same losses and weights with the fast methods and with the direct loops")
  func sameTraining() throws {
    let fast = try Self.trainer(reference: false)
    let slow = try Self.trainer(reference: true)
    let real = Tensor.randomUniform(Shape(6, 8, 8, 3), low: -1, high: 1, using: RandomSource(seed: 3))
    let streams = (
      fast: (RandomSource(seed: 4), RandomSource(seed: 5)), slow: (RandomSource(seed: 4), RandomSource(seed: 5))
    )
    for step in 1...8 {
      let a = try fast.step(real: real, noiseSource: streams.fast.0, dropout: streams.fast.1, step: step)
      let b = try slow.step(real: real, noiseSource: streams.slow.0, dropout: streams.slow.1, step: step)
      #expect(abs(a.lossD - b.lossD) <= 1e-4 * max(1, abs(b.lossD)), "step \(step): D loss \(a.lossD) vs \(b.lossD)")
      #expect(abs(a.lossG - b.lossG) <= 1e-4 * max(1, abs(b.lossG)), "step \(step): G loss \(a.lossG) vs \(b.lossG)")
    }
    for (x, y) in zip(
      fast.generator.namedParameters + fast.discriminator.namedParameters,
      slow.generator.namedParameters + slow.discriminator.namedParameters)
    {
      let worst = x.parameter.value.maxAbsDifference(y.parameter.value)
      #expect(worst <= 1e-3, "\(x.name): weights differ by \(worst)")
    }
    // Every method was exercised.
    let geometries =
      fast.generator.layers.compactMap { ($0 as? Conv2DTranspose)?.geometry }
      + (fast.generator.layers + fast.discriminator.layers).compactMap { ($0 as? Conv2D)?.geometry }
    let methods = Set(
      geometries.flatMap { g in [ConvPass.forward, .backwardInput, .backwardWeight].map { ConvMethod($0, g) } })
    // All but F(4×4, 2×2), which needs grids of 16×16 (images too large for the direct
    // loops to train on here) except where FMAs are 256 bits wide: there it takes the
    // generator's 4×4 grid too. `WinogradF4Tests` holds its three passes to the reference.
    let unexercised: Set<ConvMethod> = WinogradF4.choice.reach == .fma256 ? [] : [.winograd4]
    #expect(methods == Set(ConvMethod.allCases).subtracting(unexercised))
  }
}
