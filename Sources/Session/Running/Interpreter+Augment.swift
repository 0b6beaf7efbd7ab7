import Layers

extension Interpreter {
  /// `augment …`: the transformations D's inputs get from the next step on. Refused at
  /// once when the loaded data are not images; the session keeps its previous policy.
  func setAugment(_ policy: Set<Augmentation>) throws(SessionError) {
    if !policy.isEmpty, let data = state.dataset?.sampleShape, data.rank != 3 {
      throw SessionError(.augmentNeedsImages(data: data))
    }
    state.augment = policy
    report(
      .notice(policy.isEmpty ? "augment off" : "augment " + policy.sorted().map(\.rawValue).joined(separator: " ")))
  }
}
