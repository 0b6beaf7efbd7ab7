import Foundation
import Layers

/// One full step told in order with its numbers (`explain step`): what D saw and said,
/// the loss it paid and its update, its verdict after the update, G's loss and update, and
/// each network's gradient norms. The executable turns it into sentences.
public struct StepExplanation: Sendable {
  /// The step's line as `step` prints it.
  public var stats: StepStats
  /// Real samples in the batch, fakes G made (the same number).
  public var realCount: Int
  public var fakeCount: Int
  /// Toy points (2-D) rather than images.
  public var points: Bool
  /// D's loss on the real batch and on the fakes, before they are averaged or added
  /// (`discriminatorLoss`) into `stats.lossD`.
  public var lossReal: Float
  public var lossFake: Float
  public var loss: Loss
  public var discriminatorLoss: DiscriminatorLoss
  public var realLabel: Float
  public var fakeLabel: Float
  /// D's loss when it answers 0.5 to everything: it cannot tell real from fake.
  public var undecidedLoss: Float
  public var optimizers: [NetworkRole: OptimizerSpec]
  public var norms: [NetworkRole: GradientNorms]
  /// `augment`'s transformations in the order they apply; empty when off.
  public var augment: [String] = []
  /// Samples behind each of D's verdicts: the product of its `pack` layers (1 without).
  public var samplesPerVerdict = 1
  /// Each `mbstd` layer in D, in order: its group and the samples in one group (the group
  /// times the packs before it); empty without.
  public var minibatchGroups: [(group: Int, samples: Int)] = []
  /// `set label-noise`'s X (0: none), and whether G's step drew a fresh z (`set g-noise`).
  public var labelNoise: Float = 0
  public var freshNoise = false
}

extension StepExplanation {
  init(_ stats: StepStats, _ r: GANTrainer.Result, state: SessionState) {
    self.stats = stats
    (realCount, fakeCount) = (r.realCount, r.fakeCount)
    points = state.dataset?.spec.source.isPoints ?? false
    (lossReal, lossFake) = (r.lossReal, r.lossFake)
    (loss, discriminatorLoss) = (state.loss, state.discriminatorLoss)
    (realLabel, fakeLabel) = (state.realLabel, state.fakeLabel)
    (labelNoise, freshNoise) = (state.loss.hasLabels ? state.labelNoise : 0, state.freshNoise)
    // BCE(0.5, t) = ln 2 whatever the label t; MSE(0.5, t) = (0.5 − t)².
    // Hinge at score 0 (σ = 0.5): max(0, 1 ∓ 0) = 1 on either side.
    let undecided = { (t: Float) -> Float in
      state.loss == .bce ? Float(M_LN2) : state.loss == .hinge ? 1 : (0.5 - t) * (0.5 - t)
    }
    undecidedLoss = (undecided(state.realLabel) + undecided(state.fakeLabel)) * state.discriminatorLoss.weight
    optimizers = state.optimizerSpecs
    norms = r.norms
    augment = state.augmentWords.split(separator: " ").map(String.init)
    if let d = state.networks[.discriminator] {
      samplesPerVerdict = d.samplesPerOutput
      var packs = 1
      for spec in d.specs {
        if case .pack(let m) = spec { packs *= m }
        if case .minibatchStdDev(let group) = spec { minibatchGroups.append((group, group * packs)) }
      }
    }
  }
}
