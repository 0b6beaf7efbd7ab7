import Layers
import Tensors

/// Everything a session holds: settings, data, the two networks and their optimisers,
/// random streams, the position in the epoch, counters and history. Plain data; the
/// behaviour is in `Interpreter`, `Training` and `SessionArchive`.
public final class SessionState {
  // Settings.
  public var variables: [String: String] = [:]
  public var seed: UInt64 = 1
  public var latent = 100
  public var batch = 32
  public var realLabel: Float = 1
  public var fakeLabel: Float = 0
  /// `set label-noise`: X in D's targets label + X·u (0: none).
  public var labelNoise: Float = 0
  /// `set g-noise fresh`: G's step draws its own z.
  public var freshNoise = false
  /// `set picture-scale`: pictures of images N times larger (not saved: a display choice).
  public var pictureScale = 1
  public var keepLastBatch = true
  public var discriminatorLoss = DiscriminatorLoss.mean
  public var loss: Loss = .bce
  /// Keras's Adam defaults until a notebook says otherwise.
  public var optimizerSpecs: [NetworkRole: OptimizerSpec] = [
    .generator: .adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7),
    .discriminator: .adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7),
  ]
  public var every: [EveryRule] = []

  // Data.
  public var dataset: (any Dataset)?

  // Networks, built when defined.
  public var definitions: [NetworkRole: NetworkDefinition] = [:]
  public var networks: [NetworkRole: Sequential] = [:]
  /// Scratch and gradient buffers for every network of the session: they run one at a
  /// time, so they share, and the step holds one set of scratch instead of two. `reset`
  /// starts a new one, so the old networks' scratch goes with them.
  public internal(set) var workspace = Workspace()
  public var optimizers: [NetworkRole: Optimizer] = [:]

  // Randomness.
  public let random = RandomStreams(seed: 1)
  /// z for `sample`: drawn once when the generator is built, so grids compare over time.
  public var fixedNoise: Tensor?

  // Progress.
  /// Steps taken (1 after the first step).
  public var step = 0
  /// The current epoch, how many of its batches are done, and its order.
  public var position = EpochPosition()
  public var history: [StepStats] = []
  /// Steps taken since the session was last saved or loaded: what quitting, or loading
  /// another session over this one, would throw away.
  public var unsavedSteps = 0
  /// Which training run this is: new at start and at `reset`, kept by `save` and taken from
  /// the session `load` reads. A save of another run is not replaced by a rule the user did
  /// not type (`inheritedRules`).
  public internal(set) var run = SessionState.newRun()
  /// The `every` rules as `load` brought them, until typed again: those the user never typed
  /// in this process.
  var inheritedRules: [EveryRule] = []
  /// The data folder's `FolderListing.fingerprint` (names and sizes); nil for built-in data.
  var dataListing: String?
  /// D's loss parts of the last step and each network's last gradient norms.
  var measured = LastMeasurements()

  // Diagnoses.
  /// Whether the watch runs after each step (`set diagnose on|off`).
  public var diagnose = true
  /// Under mpirun, whether BatchNorm uses the whole batch's statistics (`set sync-batchnorm`).
  public var syncBatchNorm = false
  /// What it has seen and what fired (`show diagnoses`).
  public let watch = DiagnosisWatch()

  // The generator's moving average (`GeneratorAverage`).
  /// `set ema DECAY`; nil when off.
  public var emaDecay: Float?
  /// `set ema-warmup K`: K in the average's warm-up, (1 + t) / (K + t).
  public var emaWarmUp = GeneratorAverage.defaultWarmUp
  /// `set ema-warmup K layers=A..B`: the generator's layers (by index) with a K of their own.
  public var emaLayerWarmUps: [Int: Float] = [:]
  /// The average of the generator `networks` holds, once begun.
  var averaged: GeneratorAverage?
  /// The processes that share each training step: this one alone, or the ranks of an
  /// mpirun job (set by the executable before the first command).
  public var communicator: any Communicator = SingleProcess()
  /// DiffAugment's transformations applied to every image D sees (`augment`); empty: off.
  public var augment: Set<Augmentation> = []
  /// `augment translation shift=R`: translation's largest shift, a fraction of the size.
  public var translationShift = DiffAugment.defaultShift

  /// `augment`'s words as written: "color translation shift=0.0625".
  public var augmentWords: String {
    let shift = augment.contains(.translation) && translationShift != DiffAugment.defaultShift
    return (augment.sorted().map(\.rawValue) + (shift ? ["shift=\(translationShift)"] : [])).joined(separator: " ")
  }

  public init() {}

  /// Steps of an epoch for the current data and batch size.
  public var batchesPerEpoch: Int {
    guard let dataset else { return 0 }
    return EpochPosition.batches(of: dataset.count, batch: batch, keepLast: keepLastBatch)
  }

  /// The current epoch (1-based).
  public var epoch: Int { position.epoch }
  /// How many batches of the current epoch are done.
  public var batchInEpoch: Int { position.batchInEpoch }
  /// The shuffle stream's state when the current epoch's order was drawn: the order is
  /// recomputed from it on load instead of being stored.
  public var epochShuffleState: [UInt64]? { position.shuffleState }

  /// How many steps a network has been trained for.
  public func trainedSteps(_ role: NetworkRole) -> Int { optimizers[role]?.steps ?? 0 }

  /// Forgets the networks, their optimisers, the position, counters and history; keeps
  /// the settings and the data.
  public func forgetTraining() {
    definitions = [:]
    networks = [:]
    optimizers = [:]
    workspace = Workspace()
    averaged = nil
    fixedNoise = nil
    step = 0
    position = EpochPosition()
    history = []
    unsavedSteps = 0
    run = Self.newRun()
    watch.forget()
  }

  /// 128 random bits in hex: a name no other run takes.
  static func newRun() -> String {
    var system = SystemRandomNumberGenerator()
    return (0..<2).map { _ in
      let hex = String(system.next() as UInt64, radix: 16)
      return String(repeating: "0", count: 16 - hex.count) + hex
    }.joined()
  }

  /// Whether generator, discriminator and data agree on the image shape.
  func fitProblem() -> SessionError? {
    guard let d = networks[.discriminator] else {
      guard let g = networks[.generator], let data = dataset, g.outputShape != data.sampleShape else { return nil }
      return SessionError(.generatorDoesNotFitData(generatorOutput: g.outputShape, data: data.sampleShape))
    }
    if let g = networks[.generator], g.outputShape != d.inputShape {
      return SessionError(.networksDoNotFit(generatorOutput: g.outputShape, discriminatorInput: d.inputShape))
    }
    if let data = dataset, data.sampleShape != d.inputShape {
      return SessionError(.dataDoesNotFit(data: data.sampleShape, discriminatorInput: d.inputShape))
    }
    return nil
  }
}
