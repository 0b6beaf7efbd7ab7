import Layers
import Testing

@testable import Session
@testable import Tensors

/// A session's generator and discriminator share one workspace: its scratch, and the two
/// buffers backward relays gradients in (D's input gradient becomes G's output gradient in
/// the G half). Training must give the same bits as with a workspace each.
@Suite("Networks sharing a workspace")
struct SharedWorkspaceTests {
  static func trainer(_ workspaces: (g: Workspace, d: Workspace)) throws -> GANTrainer {
    let g = try Sequential(
      input: Shape(8), specs: ReferencePathTests.generator, initializer: .normal(std: 0.05),
      random: RandomSource(seed: 1), workspace: workspaces.g)
    let d = try Sequential(
      input: Shape(8, 8, 3), specs: ReferencePathTests.discriminator, initializer: .glorot,
      random: RandomSource(seed: 2), workspace: workspaces.d)
    let spec = OptimizerSpec.adam(learningRate: 2e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8)
    let trainer = GANTrainer(
      generator: g, discriminator: d, optimizerG: Optimizer(spec, parameters: g.namedParameters),
      optimizerD: Optimizer(spec, parameters: d.namedParameters), loss: .bce, discriminatorLoss: .mean,
      realLabel: 1, fakeLabel: 0)
    trainer.augmentation = TrainerAugmentation(
      DiffAugment([.color, .translation, .cutout]), streams: RandomStreams(seed: 9))
    return trainer
  }

  /// Full steps, a D step alone and a G step alone; the losses and every weight after.
  static func train(_ trainer: GANTrainer) throws -> [Float] {
    let real = Tensor.randomUniform(Shape(6, 8, 8, 3), low: -1, high: 1, using: RandomSource(seed: 3))
    let (noise, dropout) = (RandomSource(seed: 4), RandomSource(seed: 5))
    var numbers: [Float] = []
    for step in 1...3 {
      let r = try trainer.step(real: real, noiseSource: noise, dropout: dropout, step: step)
      numbers += [r.lossD, r.lossG, r.dFakeAfter]
    }
    numbers.append(try trainer.discriminatorStep(real: real, noiseSource: noise, dropout: dropout, step: 4).lossD)
    numbers.append(try trainer.generatorStep(batch: 6, noiseSource: noise, dropout: dropout, step: 5).lossG)
    for (_, p) in trainer.generator.namedParameters + trainer.discriminator.namedParameters {
      numbers += Array(p.value.buffer)
    }
    return numbers
  }

  @Test("G and D on one workspace (with DiffAugment, NaN-poisoned buffers) train to the bits of a workspace each")
  func sameBits() throws {
    let apart = try Self.train(try Self.trainer((Workspace(), Workspace())))
    let shared = Workspace(poisoned: true)
    let together = try Self.train(try Self.trainer((shared, shared)))
    let finite = apart.allSatisfy { $0.isFinite }
    #expect(finite)
    #expect(together == apart)
  }
}
