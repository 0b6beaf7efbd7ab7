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

  public enum Name: String, CaseIterable, Sendable {
    case seed, latent, batch
    case realLabel = "real-label"
    case fakeLabel = "fake-label"
    case threads
    case keepLastBatch = "keep-last-batch"
    case discriminatorLoss = "d-loss"

    public var help: String {
      switch self {
      case .seed: "seeds weights, noise, dropout and shuffles (whole number)"
      case .latent: "size of the generator's input noise z (1–4096)"
      case .batch: "images per training step (1–4096)"
      case .realLabel: "discriminator target for real images (0–1; 0.9 smooths labels)"
      case .fakeLabel: "discriminator target for generated images (0–1)"
      case .threads: "threads for the maths (1–256)"
      case .keepLastBatch: "train on the last, smaller batch of an epoch (true/false)"
      case .discriminatorLoss: "mean: (real + fake) / 2, as the Keras tutorial; sum: real + fake, as the PyTorch example"
      }
    }

    var expected: String {
      switch self {
      case .seed: "a whole number ≥ 0"
      case .latent, .batch: "a whole number from 1 to 4096"
      case .realLabel, .fakeLabel: "a number from 0 to 1"
      case .threads: "a whole number from 1 to 256"
      case .keepLastBatch: "true or false"
      case .discriminatorLoss: "mean or sum"
      }
    }

    /// The typed setting for `text`, or nil when `text` is not a valid value.
    func value(_ text: String) -> Setting? {
      switch self {
      case .seed: UInt64(text).map(Setting.seed)
      case .latent: Int(text).flatMap { (1...4096).contains($0) ? .latent($0) : nil }
      case .batch: Int(text).flatMap { (1...4096).contains($0) ? .batch($0) : nil }
      case .realLabel: Float(text).flatMap { (0...1).contains($0) ? .realLabel($0) : nil }
      case .fakeLabel: Float(text).flatMap { (0...1).contains($0) ? .fakeLabel($0) : nil }
      case .threads: Int(text).flatMap { (1...256).contains($0) ? .threads($0) : nil }
      case .keepLastBatch: Bool(text).map(Setting.keepLastBatch)
      case .discriminatorLoss: DiscriminatorLoss(rawValue: text.lowercased()).map(Setting.discriminatorLoss)
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
