import Layers

extension Interpreter {
  /// `augment …`: the transformations D's inputs get from the next step on. Refused at
  /// once when the loaded data are not images, or too small for the shift; the session
  /// keeps its previous policy. Data loaded later are checked when training starts.
  func setAugment(_ policy: Set<Augmentation>, shift: Float) throws(SessionError) {
    if let data = state.dataset?.sampleShape {
      try TrainerConfiguration.checkAugment(policy, shift: shift, data: data)
    }
    state.augment = policy
    state.translationShift = shift
    report(.notice(policy.isEmpty ? "augment off" : "augment " + state.augmentWords))
  }
}
