import Layers

/// A setup that trains without an error but cannot train well, named with its fix. The
/// interpreter looks for them after each command and warns about the ones that command
/// created (`Interpreter.warnAboutNewMistakes`), so each is named once, at its line.
enum ClassicMistake: Hashable {
  /// The generator's last activation cannot produce the data's range (tanh for 0..1 data,
  /// sigmoid for -1..1).
  case outputRange(activation: LayerSpec, data: DataSpec.PixelRange)
  /// A network with BatchNorm sees batches of one sample: every step (`lastBatchOnly`
  /// false) or the last batch of each epoch (`keep-last-batch` with count % batch == 1).
  /// `oneValue`: a BatchNorm sees one value per channel (after a dense layer), so it
  /// outputs β whatever its input; otherwise it normalises each image by its own pixels.
  case batchNormWithOneSample(NetworkRole, lastBatchOnly: Bool, oneValue: Bool)
  /// A learning rate far outside the usual range of its optimiser.
  case learningRate(NetworkRole, OptimizerSpec)
  /// `loss hinge` with a discriminator that ends in sigmoid: its scores stay in (0, 1), so a
  /// real one never passes the margin 1 and fakes are pushed towards 0, not below −1.
  case hingeWithSigmoid

  /// Adam's learning rates in practice: 1e-4 to 1e-3 (the DCGAN 2e-4, Keras 1e-3); far
  /// outside is below 1e-6 (nothing moves) or above 1e-2 (the losses jump, then NaN).
  static let adamRates: ClosedRange<Float> = 1e-6...1e-2
  /// Plain SGD tolerates larger rates: 1e-3 to 0.1 in practice.
  static let sgdRates: ClosedRange<Float> = 1e-5...1

  /// Every classic mistake in the session as it is now.
  static func all(in state: SessionState) -> Set<ClassicMistake> {
    var found: Set<ClassicMistake> = []
    if let data = state.dataset?.spec, data.source.hasPixels,
      let last = state.definitions[.generator]?.layers.last(where: { !$0.onlyMovesValues })
    {
      if (last == .tanh && data.range == .unit) || (last == .sigmoid && data.range == .symmetric) {
        found.insert(.outputRange(activation: last, data: data.range))
      }
    }
    let count = state.dataset?.count
    for role in NetworkRole.allCases {
      let norms = (state.networks[role]?.layers ?? []).filter { if case .batchNorm = $0.spec { true } else { false } }
      if !norms.isEmpty {
        let oneValue = norms.contains { $0.inputShape.count == $0.inputShape.dims.last }
        if state.batch == 1 {
          found.insert(.batchNormWithOneSample(role, lastBatchOnly: false, oneValue: oneValue))
        } else if let count, state.keepLastBatch, count > state.batch, count % state.batch == 1 {
          found.insert(.batchNormWithOneSample(role, lastBatchOnly: true, oneValue: oneValue))
        }
      }
      let spec = state.optimizerSpecs[role]!
      let usual: ClosedRange<Float>
      switch spec {
      case .adam: usual = adamRates
      case .sgd: usual = sgdRates
      }
      if !usual.contains(spec.learningRate) { found.insert(.learningRate(role, spec)) }
    }
    if state.loss == .hinge && state.definitions[.discriminator]?.layers.last == .sigmoid {
      found.insert(.hingeWithSigmoid)
    }
    return found
  }
}

extension DataSpec.Source {
  /// Images, as opposed to the 2-D toy points (which have no pixel range).
  var hasPixels: Bool {
    switch self {
    case .faces, .folder: true
    case .ring, .grid: false
    }
  }
}

extension LayerSpec {
  /// A layer that moves, keeps or zeroes values but makes no new ones, so the layer before
  /// it decides the output's range.
  var onlyMovesValues: Bool {
    switch self {
    case .flatten, .reshape, .dropout, .pack: true
    case .dense, .conv, .deconv, .relu, .leakyReLU, .sigmoid, .tanh, .batchNorm, .spectralNorm, .minibatchStdDev: false
    }
  }
}
