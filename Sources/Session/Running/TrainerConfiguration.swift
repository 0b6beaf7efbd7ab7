import Layers
import Tensors

/// What a `GANTrainer` is built from and checked against, read from the session: the two
/// networks and their optimisers (by identity: a redefined network, or an optimiser of
/// another kind, is another object), the loss and its settings, and the data and batch
/// that the readiness checks (fit, batches per epoch, memory) looked at.
///
/// `Training` keeps the trainer it built with the configuration it built it from, and
/// builds a new one whenever the session's configuration is no longer equal: a setting
/// that changes how training runs is added here and nowhere else. Optimiser state lives
/// in the `Optimizer` objects, not in the trainer, so a rebuilt trainer takes it over.
struct TrainerConfiguration: Equatable {
  var generator: Same<Sequential>
  var discriminator: Same<Sequential>
  var optimizerG: Same<Optimizer>
  var optimizerD: Same<Optimizer>
  var dataset: Same<AnyObject>
  var batch: Int
  var keepLastBatch: Bool
  var objective: GANTrainer.Objective
  var augment: Set<Augmentation>
  var translationShift: Float
  var streams: Same<RandomStreams>

  /// The session's configuration; throws when the data or a network is missing.
  init(_ state: SessionState) throws(SessionError) {
    guard let dataset = state.dataset else { throw .missingData }
    guard let g = state.networks[.generator] else { throw .missingNetwork(.generator) }
    guard let d = state.networks[.discriminator] else { throw .missingNetwork(.discriminator) }
    generator = Same(g)
    discriminator = Same(d)
    optimizerG = Same(state.optimizers[.generator]!)
    optimizerD = Same(state.optimizers[.discriminator]!)
    self.dataset = Same(dataset)
    batch = state.batch
    keepLastBatch = state.keepLastBatch
    objective = GANTrainer.Objective(
      loss: state.loss, discriminatorLoss: state.discriminatorLoss, realLabel: state.realLabel,
      fakeLabel: state.fakeLabel, labelNoise: state.labelNoise, freshNoise: state.freshNoise)
    augment = state.augment
    translationShift = state.translationShift
    streams = Same(state.random)
    try Self.checkAugment(augment, shift: translationShift, data: dataset.sampleShape)
  }

  /// Augmentations transform images only, and a translation must move them by a pixel.
  static func checkAugment(_ policy: Set<Augmentation>, shift: Float, data: Shape) throws(SessionError) {
    if policy.isEmpty { return }
    guard data.rank == 3 else { throw SessionError(.augmentNeedsImages(data: data)) }
    let side = min(data[0], data[1])
    if policy.contains(.translation) && DiffAugment.translationPixels(side: side, shift: shift) < 1 {
      throw SessionError(
        .translationTooShort(shift: shift, side: side, policy: policy.sorted().map(\.rawValue)))
    }
  }

  func makeTrainer(communicator: any Communicator = SingleProcess()) -> GANTrainer {
    let trainer = GANTrainer(
      generator: generator.object, discriminator: discriminator.object, optimizerG: optimizerG.object,
      optimizerD: optimizerD.object, objective: objective, communicator: communicator)
    if objective.labelNoise > 0 { trainer.labelSource = streams.object[.labels] }
    if !augment.isEmpty {
      trainer.augmentation = TrainerAugmentation(
        DiffAugment(augment, shift: translationShift), streams: streams.object)
    }
    return trainer
  }
}

/// An object held by a value that compares by identity. Holding it keeps it alive, so an
/// address is never reused while a comparison depends on it.
struct Same<Object: AnyObject>: Equatable {
  let object: Object
  init(_ object: Object) { self.object = object }
  static func == (a: Same, b: Same) -> Bool { a.object === b.object }
}
