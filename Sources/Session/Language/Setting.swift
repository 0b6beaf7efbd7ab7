import Layers

/// A session setting and its value: the one table that the parser, `help set` and
/// `show settings` read.
public enum Setting: Hashable, Sendable {
  /// Seeds every random stream (weights, noise, dropout, shuffles) when networks are built.
  case seed(UInt64)
  /// Size of the generator's input noise z.
  case latent(Int)
  /// Images per training step.
  case batch(Int)
  /// Target for real images in the discriminator's loss (1; 0.9 is one-sided label smoothing).
  case realLabel(Float)
  /// Target for generated images in the discriminator's loss (0).
  case fakeLabel(Float)
  /// Threads for the maths (OpenBLAS).
  case threads(Int)
  /// Keep (true) or drop the last batch of an epoch when it is smaller than `batch`.
  case keepLastBatch(Bool)
  /// How the discriminator's two losses combine: the tutorial averages them, the PyTorch
  /// example adds them.
  case discriminatorLoss(DiscriminatorLoss)
  /// Whether the diagnoses watch names what goes wrong while training (on).
  case diagnose(Bool)
  /// The decay of the generator's moving average (`GeneratorAverage`); nil is off.
  case ema(Float?)
  /// K in the moving average's warm-up, d_t = min(decay, (1 + t) / (K + t)): 10 as
  /// TensorFlow's; smaller reaches back over more of the run (2 is the plain mean). With
  /// `layers`, K for those of the generator's layers alone (`layers=0..1`).
  case emaWarmup(Float, layers: ClosedRange<Int>? = nil)
  /// Under mpirun, whether BatchNorm normalises with the whole batch's statistics (summed
  /// over the ranks) instead of each rank's part (off).
  case syncBatchNorm(Bool)
  /// X: D's targets are the labels plus X·u, u ~ U[0, 1) per sample (keras.io's 0.05); 0 off.
  case labelNoise(Float)
  /// G's step draws a fresh z (`fresh`, keras.io's tutorial) or reuses D's fakes (`same`).
  case freshNoise(Bool)
  /// Pictures of images drawn or written N times larger, each pixel an N×N block (1).
  case pictureScale(Int)
  /// Every matrix product summed in one fixed order (`BLAS.fixedOrder`): a seeded run of
  /// dense networks prints the same numbers whichever kernels OpenBLAS runs for the CPU (off).
  case portable(Bool)

  /// Checks the value against its setting's range; the field is the setting's name in a
  /// saved session (`latent`, `realLabel`).
  public func validate() throws(RuleViolation) {
    switch self {
    case .latent(let n): try Rule.check(n, in: Name.sizes, "latent")
    case .batch(let n): try Rule.check(n, in: Name.sizes, "batch")
    case .realLabel(let x): try Rule.check(x, in: Name.labels, "realLabel")
    case .fakeLabel(let x): try Rule.check(x, in: Name.labels, "fakeLabel")
    case .labelNoise(let x): try Rule.check(x, in: Name.labels, "labelNoise")
    case .pictureScale(let n): try Rule.check(n, in: Name.pictureScales, "pictureScale")
    case .threads(let n): try Rule.check(n, in: Name.threadCounts, "threads")
    case .ema(let decay?): try Rule.check(decay, in: Name.decays, "ema")
    case .emaWarmup(let k, nil): try Rule.check(k, in: Name.warmUps, "emaWarmUp")
    case .emaWarmup(let k, let layers?): try Rule.check(k, in: Name.warmUps, "emaWarmUpLayers.\(layers.lowerBound)")
    case .seed, .keepLastBatch, .discriminatorLoss, .diagnose, .ema(nil), .syncBatchNorm, .freshNoise, .portable:
      break
    }
  }

  public enum Name: String, CaseIterable, Sendable {
    case seed, latent, batch
    case realLabel = "real-label"
    case fakeLabel = "fake-label"
    case threads
    case keepLastBatch = "keep-last-batch"
    case discriminatorLoss = "d-loss"
    case diagnose
    case ema
    case emaWarmup = "ema-warmup"
    case syncBatchNorm = "sync-batchnorm"
    case labelNoise = "label-noise"
    case freshNoise = "g-noise"
    case pictureScale = "picture-scale"
    case portable

    public var help: String {
      switch self {
      case .seed: "seeds weights, noise, dropout and shuffles (whole number)"
      case .latent: "size of the generator's input noise z (1–4096)"
      case .batch: "images per training step (1–4096)"
      case .realLabel: "discriminator target for real images (0–1; 0.9 smooths labels)"
      case .fakeLabel: "discriminator target for generated images (0–1)"
      case .threads: "threads for the maths (1–256)"
      case .keepLastBatch: "train on the last, smaller batch of an epoch (true/false)"
      case .discriminatorLoss:
        "mean: (real + fake) / 2, as the Keras tutorial; sum: real + fake, as the PyTorch example"
      case .diagnose: "name what goes wrong while training: D winning, collapse, exploding gradients… (on/off)"
      case .ema:
        "a moving average of G's weights that sample, eval and save use: 0.999 keeps 99.9% each G step (off)"
      case .emaWarmup:
        "K in the average's warm-up, min(decay, (1 + t) / (K + t)) at its t-th update: 10 as TensorFlow;"
          + " 2–1000, smaller averages over more of the run; 'layers=0..1' gives G's layers 0 and 1 their own K"
      case .syncBatchNorm:
        "under mpirun, batchnorm normalises with the whole batch's statistics, summed over the ranks (true/false)"
      case .labelNoise: "X: D's targets are the labels plus X·u, u uniform in [0, 1) each (0–1; keras.io's 0.05)"
      case .freshNoise: "same: G's step reuses D's fakes (the tutorial); fresh: it draws a new z (keras.io's version)"
      case .pictureScale: "pictures of images N times larger, each pixel an N×N block, to project (1–8)"
      case .portable:
        "every matrix product summed in one order: a seeded run of dense networks (the 2-D toys) prints the same"
          + " numbers whichever kernels OpenBLAS runs for the CPU; slower (on/off)"
      }
    }

    /// The allowed values of the numeric settings: `value(_:at:)` reads typed text against
    /// them, `Setting.validate()` checks a loaded session against them.
    static let sizes = 1...4096
    static let labels: ClosedRange<Float> = 0...1
    static let threadCounts = 1...256
    static let pictureScales = 1...8
    static let decays: ClosedRange<Float> = 0...0.99999
    static let warmUps: ClosedRange<Float> = 2...1_000
    /// A layer's index in a network (`summary` numbers them from 0).
    static let layerIndices = 0...4095

    /// The words a setting's value can be, for the settings that take words.
    var words: [String] {
      switch self {
      case .keepLastBatch: ["true", "false"]
      case .discriminatorLoss: ["mean", "sum"]
      case .diagnose: ["on", "off"]
      case .ema: ["0.999", "off"]
      case .syncBatchNorm: ["true", "false"]
      case .freshNoise: ["same", "fresh"]
      case .portable: ["on", "off"]
      case .seed, .latent, .batch, .realLabel, .fakeLabel, .threads, .emaWarmup, .labelNoise, .pictureScale: []
      }
    }

    /// The typed setting `token` gives this one; numbers go through `NumberText`, the same
    /// checked path as every other number a notebook writes.
    func value(_ token: Token, at location: SourceLocation) throws(SessionError) -> Setting {
      let name = rawValue
      switch self {
      case .seed:
        return .seed(
          try NumberText.whole(token, named: name, in: 0...UInt64.max, expected: "a whole number ≥ 0", at: location))
      case .latent: return .latent(try NumberText.whole(token, named: name, in: Self.sizes, at: location))
      case .batch: return .batch(try NumberText.whole(token, named: name, in: Self.sizes, at: location))
      case .realLabel: return .realLabel(try NumberText.real(token, named: name, in: Self.labels, at: location))
      case .fakeLabel: return .fakeLabel(try NumberText.real(token, named: name, in: Self.labels, at: location))
      case .labelNoise: return .labelNoise(try NumberText.real(token, named: name, in: Self.labels, at: location))
      case .threads: return .threads(try NumberText.whole(token, named: name, in: Self.threadCounts, at: location))
      case .pictureScale:
        return .pictureScale(try NumberText.whole(token, named: name, in: Self.pictureScales, at: location))
      case .ema:
        if token.text.lowercased() == "off" { return .ema(nil) }
        guard Float(token.text) != nil else {
          throw SessionError(
            .invalidValue(
              token.text, for: name, expected: "a decay from 0 to 0.99999 (0.999 is usual), or off",
              suggestion: closest(to: token.text.lowercased(), among: ["off"])),
            at: location.at(column: token.column))
        }
        return .ema(try NumberText.real(token, named: name, in: Self.decays, at: location))
      case .emaWarmup: return .emaWarmup(try NumberText.real(token, named: name, in: Self.warmUps, at: location))
      case .keepLastBatch, .discriminatorLoss, .diagnose, .syncBatchNorm, .freshNoise, .portable:
        let word = token.text.lowercased()
        guard words.contains(word) else {
          throw SessionError(
            .invalidValue(
              token.text, for: name, expected: words.joined(separator: " or "),
              suggestion: closest(to: word, among: words)),
            at: location.at(column: token.column))
        }
        if self == .diagnose { return .diagnose(word == "on") }
        if self == .syncBatchNorm { return .syncBatchNorm(word == "true") }
        if self == .freshNoise { return .freshNoise(word == "fresh") }
        if self == .portable { return .portable(word == "on") }
        return self == .keepLastBatch
          ? .keepLastBatch(word == "true") : .discriminatorLoss(DiscriminatorLoss(rawValue: word)!)
      }
    }
  }
}

/// How the discriminator's losses on real and generated images combine.
public enum DiscriminatorLoss: String, Hashable, Codable, Sendable {
  case mean
  case sum

  /// The weight of each half.
  var weight: Float { self == .mean ? 0.5 : 1 }
}
