/// What a training step trained: both networks (`step`, `train`, `explain step`), or one
/// half alone (`step d`, `step g`).
///
/// - `discriminator`: the full step's first half. Real batch and fakes from fresh noise,
///   D's loss, D's update. G's weights and its optimiser are untouched; G runs forward in
///   training mode, as in the full step, so its BatchNorm running statistics move.
///   Consumes one real batch, like a full step.
/// - `generator`: the full step's second half, on fakes from fresh noise: G's loss through
///   D, G's update. D's weights and optimiser are untouched; D runs forward in training
///   mode, as in the full step's G half, so its BatchNorm running statistics move. Needs
///   no real images and consumes no batch: the epoch stays where it was.
public enum StepKind: String, Codable, Sendable, CaseIterable {
  case full
  case discriminator
  case generator

  /// Whether this step trains the network.
  public func trains(_ role: NetworkRole) -> Bool {
    switch self {
    case .full: true
    case .discriminator: role == .discriminator
    case .generator: role == .generator
    }
  }
}
