import Tensors

/// Independent random streams, all derived from the session's seed, so that drawing in
/// one (sampling fresh noise, say) never changes another (the training trajectory).
/// Their states are saved with the session.
public final class RandomStreams {
  public enum Stream: String, CaseIterable, Codable, Sendable {
    /// Initial weights.
    case weights
    /// z for training steps.
    case noise
    /// Dropout masks.
    case dropout
    /// The order of images in each epoch.
    case shuffle
    /// The fixed sample noise, and `sample … fresh`.
    case samples
    /// DiffAugment's per-image factors (`augment`).
    case augment
    /// The noise added to D's labels (`set label-noise`).
    case labels
  }

  /// Streams added after sessions were first saved: a session saved before them lacks
  /// them and loads with them started from its seed.
  public static let addedLater: Set<Stream> = [.augment, .labels]

  public private(set) var sources: [Stream: RandomSource] = [:]

  public init(seed: UInt64) { reseed(seed) }

  /// Every stream restarted from `seed`: stream k gets the k-th draw of a generator seeded
  /// with `seed`.
  public func reseed(_ seed: UInt64) {
    var master = SeededGenerator(seed: seed)
    for stream in Stream.allCases { sources[stream] = RandomSource(seed: master.next()) }
  }

  public subscript(_ stream: Stream) -> RandomSource { sources[stream]! }

  /// Each stream's generator state, for saving.
  public var states: [String: [UInt64]] {
    Dictionary(uniqueKeysWithValues: sources.map { ($0.key.rawValue, $0.value.generator.state) })
  }

  /// Restores saved states; returns the names of streams that were missing or invalid.
  public func restore(_ states: [String: [UInt64]]) -> [String] {
    var bad: [String] = []
    for stream in Stream.allCases {
      if let words = states[stream.rawValue], let g = SeededGenerator(state: words) {
        sources[stream]!.generator = g
      } else {
        bad.append(stream.rawValue)
      }
    }
    return bad
  }
}
