#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// xoshiro256** (Blackman and Vigna): fast, 256 bits of state, and the state is the
/// whole story, so saving `state` and restoring it replays every later draw exactly.
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
  public private(set) var state: [UInt64]

  /// Expands `seed` into the four state words with SplitMix64, as the authors advise.
  public init(seed: UInt64) {
    var x = seed
    var words: [UInt64] = []
    for _ in 0..<4 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      words.append(z ^ (z >> 31))
    }
    state = words
  }

  /// Restores a generator from a saved `state` (four words, not all zero).
  public init?(state: [UInt64]) {
    guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
    self.state = state
  }

  public mutating func next() -> UInt64 {
    let result = rotate(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = rotate(state[3], 45)
    return result
  }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// A shared handle on one `SeededGenerator`, passed to whatever draws random numbers
/// (initialisers, dropout, noise, shuffles). There is no global generator.
public final class RandomSource {
  public var generator: SeededGenerator
  /// This process's rows of the batch while a data-parallel step draws (see `uniforms`).
  public var share: BatchShare?

  public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
  public init(generator: SeededGenerator) { self.generator = generator }

  /// Uniform in [low, high).
  public func uniform(_ low: Float = 0, _ high: Float = 1) -> Float {
    low + (high - low) * Float(generator.nextUnit())
  }

  /// Fills `buffer` with N(mean, std²) by the Box–Muller transform, two values per pair
  /// of uniforms (an odd count discards the last spare, so the draws stay reproducible).
  public func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float, std: Float) {
    var i = 0
    while i < buffer.count {
      let u1 = 1 - generator.nextUnit()  // (0, 1]: log is finite
      let u2 = generator.nextUnit()
      let radius = (-2 * log(u1)).squareRoot()
      let angle = 2 * Double.pi * u2
      buffer[i] = mean + std * Float(radius * cos(angle))
      if i + 1 < buffer.count { buffer[i + 1] = mean + std * Float(radius * sin(angle)) }
      i += 2
    }
  }

  /// Fills `buffer` uniformly in [low, high).
  public func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, low: Float, high: Float) {
    for i in buffer.indices { buffer[i] = uniform(low, high) }
  }

  /// A uniformly random permutation of `0..<count` (Fisher–Yates).
  public func permutation(_ count: Int) -> [Int] {
    var order = Array(0..<count)
    if count < 2 { return order }
    for i in stride(from: count - 1, to: 0, by: -1) {
      // The modulo bias is below 2⁻⁴⁰ for any dataset size; a fixed formula keeps
      // shuffles identical across Swift versions, which `Int.random(in:)` does not promise.
      let j = Int(generator.next() % UInt64(i + 1))
      order.swapAt(i, j)
    }
    return order
  }
}
