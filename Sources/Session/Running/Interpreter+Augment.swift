import Layers

extension Interpreter {
  /// `augment …`: the transformations D's inputs get from the next step on. Refused at
  /// once when the loaded data are not images; the session keeps its previous policy.
  func setAugment(_ policy: Set<Augmentation>, shift: Float) throws(SessionError) {
    if !policy.isEmpty, let data = state.dataset?.sampleShape, data.rank != 3 {
      throw SessionError(.augmentNeedsImages(data: data))
    }
    state.augment = policy
    state.translationShift = shift
    report(.notice(policy.isEmpty ? "augment off" : "augment " + state.augmentWords))
  }
}
