import Layers

/// Classic mistakes named once, at the command that makes them (`ClassicMistake`): the
/// session is checked before and after each command, and only what is new is reported.
extension Interpreter {
  func warnAboutNewMistakes(since before: Set<ClassicMistake>) {
    let new = ClassicMistake.all(in: state).subtracting(before)
    // A rate set for both networks at once is one mistake, named once.
    var rates: [OptimizerSpec: [NetworkRole]] = [:]
    for case .learningRate(let role, let spec) in new { rates[spec, default: []].append(role) }
    for mistake in new.sorted(by: { "\($0)" < "\($1)" }) {
      switch mistake {
      case .outputRange(let activation, let range):
        report(.warning(outputRangeWarning(activation, range)))
      case .batchNormWithOneSample(let role, let lastBatchOnly, let oneValue):
        report(.warning(oneSampleWarning(role, lastBatchOnly: lastBatchOnly, oneValue: oneValue)))
      case .learningRate(let role, let spec):
        let roles = NetworkRole.allCases.filter { rates[spec]?.contains($0) == true }
        if roles.first == role { report(.warning(learningRateWarning(roles, spec))) }
      case .hingeWithSigmoid:
        report(
          .warning(
            "loss hinge wants D's raw scores, but the discriminator ends in sigmoid: its scores stay in 0..1,"
              + " so real images never reach the margin 1 and fakes never go below −1.\n  fix: remove the last"
              + " 'sigmoid' (end D with 'dense 1'), or use 'loss bce' (help losses)"))
      }
    }
  }

  private func outputRangeWarning(_ activation: LayerSpec, _ range: DataSpec.PixelRange) -> String {
    if activation == .tanh {
      return "the generator ends in tanh (values in -1..1) but the data is in 0..1: its images can never"
        + " look like the real ones, and D tells them apart by their range alone.\n  fix: load the data with"
        + " range=-1..1 (as PyTorch's DCGAN), or end the generator with sigmoid (help concept generator)"
    }
    return "the generator ends in sigmoid (values in 0..1) but the data is in -1..1: the darker half of"
      + " the real range is out of its reach, and D tells them apart by range alone.\n  fix: end the generator"
      + " with tanh (as PyTorch's DCGAN), or load the data with range=0..1 (help concept generator)"
  }

  private func oneSampleWarning(_ role: NetworkRole, lastBatchOnly: Bool, oneValue: Bool) -> String {
    let what: String
    switch (role, oneValue) {
    case (.discriminator, true):
      what =
        "after a dense layer each channel has one value, so BatchNorm outputs β whatever the input"
        + " and D gives every sample the same verdict (every loss 0.693, every verdict 0.500)"
    case (.generator, true):
      what =
        "after a dense layer each channel has one value, so BatchNorm outputs β whatever the input"
        + " and G makes the same output for every z"
    case (_, false):
      what =
        "BatchNorm normalises each image by its own pixels instead of over a batch, so training is"
        + " noisy and the running statistics 'sample' uses differ from what training saw"
    }
    if lastBatchOnly {
      let count = state.dataset?.count ?? 0
      return "the last batch of each epoch holds 1 sample (\(count) in batches of \(state.batch)) and the"
        + " \(role) has batchnorm: in that step \(what).\n  fix: 'set keep-last-batch false' to drop it, or"
        + " another batch size (help concept batchnorm)"
    }
    return "batch 1 with batchnorm in the \(role): \(what).\n  fix: 'set batch 32' (any batch above 1), or"
      + " remove the batchnorm layers (help concept batchnorm)"
  }

  private func learningRateWarning(_ roles: [NetworkRole], _ spec: OptimizerSpec) -> String {
    let whose = roles.count == 2 ? "both networks'" : "the \(roles[0])'s"
    let fixed: OptimizerSpec
    let usual: String
    switch spec {
    case .adam(_, let beta1, let beta2, let epsilon):
      (fixed, usual) = (
        .adam(learningRate: 2e-4, beta1: beta1, beta2: beta2, epsilon: epsilon), "Adam's usual 1e-4 to 1e-3"
      )
    case .sgd(_, let momentum):
      (fixed, usual) = (.sgd(learningRate: 0.01, momentum: momentum), "SGD's usual 1e-3 to 0.1")
    }
    let high = spec.learningRate > 1e-3
    return "\(whose) learning rate \(spec.learningRate) is far \(high ? "above" : "below") \(usual): "
      + (high ? "expect the losses to swing wildly or reach NaN" : "the weights will barely move")
      + ".\n  fix: 'optimizer " + (roles.count == 2 ? "" : "\(roles[0]) ") + "\(fixed)'"
  }
}
