import Foundation
import Layers

/// The words of a refused step (`SessionError.Kind.notFinite`): what went NaN or ∞ first,
/// which network it points at, and the learning rate to lower.
extension NonFiniteStep {
  var what: String {
    switch quantity {
    case .generatorOutput: "the generator's output G(z)"
    case .discriminatorLossOnReal: "the discriminator's loss on real \(points ? "points" : "images")"
    case .discriminatorLossOnFakes: "the discriminator's loss on the fakes"
    case .discriminatorGradients(let parameter): "the discriminator's gradients (in discriminator.\(parameter))"
    case .generatorLoss: "the generator's loss (the updated discriminator's verdict on the fakes)"
    case .generatorGradients(let parameter): "the generator's gradients (in generator.\(parameter))"
    }
  }

  var message: String {
    var s = "\(what) became NaN or infinite at step \(step), the first of the step's numbers to do so"
    if let (name, value) = largestWeight {
      s += String(format: "; the %@'s weights have grown to %.3g (%@.%@)", role.rawValue, value, role.rawValue, name)
    }
    return s + "; training stopped before the update"
  }

  /// The blamed network's optimiser with a learning rate 10× lower.
  var hint: String {
    let lower: OptimizerSpec =
      switch optimizer {
      case .adam(let lr, let b1, let b2, let eps):
        .adam(learningRate: Self.tenTimesLower(lr), beta1: b1, beta2: b2, epsilon: eps)
      case .sgd(let lr, let m): .sgd(learningRate: Self.tenTimesLower(lr), momentum: m)
      }
    return "the \(role.rawValue)'s updates are too large for it: lower its learning rate"
      + " ('optimizer \(role.rawValue) \(lower)', now lr=\(optimizer.learningRate)),"
      + " add batchnorm, or 'load' a saved session"
  }

  /// `x` / 10 as the user would write it: the decimal `x` prints as, shifted one place
  /// (0.01 gives 0.001, where the Float quotient prints as 0.0009999999).
  static func tenTimesLower(_ x: Float) -> Float {
    Double("\(x)").map { Float($0 / 10) } ?? x / 10
  }
}
