import Layers
import Tensors

/// Why a training step was refused: the first quantity of the step that went NaN or ∞, in
/// the order the step computes them, the network it belongs to, how large that network's
/// weights have grown, and its optimiser (what to lower).
public struct NonFiniteStep: Sendable {
  public enum Quantity: Sendable, Equatable {
    /// G(z), the generator's output.
    case generatorOutput
    /// D's loss on the real batch (its scores on real images overflowed).
    case discriminatorLossOnReal
    /// D's loss on the fakes.
    case discriminatorLossOnFakes
    /// D's gradients; the parameter where they first went non-finite (backward order).
    case discriminatorGradients(parameter: String)
    /// G's loss: the updated D's verdict on the fakes.
    case generatorLoss
    case generatorGradients(parameter: String)
  }

  public var quantity: Quantity
  public var step: Int
  /// The network to blame: the one the quantity comes from, or whose last update caused it.
  public var role: NetworkRole
  /// The largest |weight| in that network and the parameter holding it.
  public var largestWeight: (name: String, value: Float)?
  public var optimizer: OptimizerSpec
  /// The samples are 2-D points (the message says "points", not "images").
  public var points = false
}

extension GANTrainer {
  /// Why D's half of step `step` is not finite: G's output, D's loss on real or fake
  /// samples, or D's gradients, whichever the step computed first.
  func discriminatorNotFinite(step: Int, fake: Tensor, lossReal: Double, lossFake: Double) -> SessionError {
    let quantity: NonFiniteStep.Quantity =
      if !lossReal.isFinite {
        .discriminatorLossOnReal
      } else if !fake.isFinite {
        .generatorOutput
      } else if !lossFake.isFinite {
        .discriminatorLossOnFakes
      } else {
        .discriminatorGradients(parameter: GradientNorms.firstNonFinite(in: discriminator) ?? "?")
      }
    return notFinite(quantity, step: step, role: quantity == .generatorOutput ? .generator : .discriminator)
  }

  /// Why G's half of step `step` is not finite: its loss (D's verdict after D's update:
  /// blamed on D) or its gradients.
  func generatorNotFinite(step: Int, lossG: Double) -> SessionError {
    lossG.isFinite
      ? notFinite(
        .generatorGradients(parameter: GradientNorms.firstNonFinite(in: generator) ?? "?"), step: step,
        role: .generator)
      : notFinite(.generatorLoss, step: step, role: .discriminator)
  }

  private func notFinite(_ quantity: NonFiniteStep.Quantity, step: Int, role: NetworkRole) -> SessionError {
    let network = role == .generator ? generator : discriminator
    let optimizer = role == .generator ? optimizerG : optimizerD
    return SessionError(
      .notFinite(
        NonFiniteStep(
          quantity: quantity, step: step, role: role, largestWeight: GradientNorms.largestWeight(in: network),
          optimizer: optimizer.spec, points: generator.outputShape.rank == 1)))
  }
}
