import Layers
import Tensors

/// An exponential moving average of the generator's weights (Yazıcı et al., ICLR 2019;
/// `set ema 0.999`): a second generator, built from the same layers, whose every weight
/// after each G update is
///
///     θ_avg ← decay · θ_avg + (1 − decay) · θ
///
/// starting from G's weights when the average begins. BatchNorm's running statistics are
/// copied from G, not averaged (as StyleGAN2-ADA copies its buffers): they describe the
/// activations of G's recent weights, which the averaged weights follow closely.
/// `sample`, `eval`, `interpolate`, `nearest` and `save` use `network`
/// (`SessionState.viewedGenerator`); training never reads it.
public final class GeneratorAverage {
  public let decay: Float
  /// The generator whose weights are averaged: the average belongs to this network and is
  /// begun again when the session's generator is another (redefined, reset, loaded).
  let source: Sequential
  /// The averaged copy.
  public let network: Sequential

  /// Begins the average at `source`'s weights and buffers.
  init(of source: Sequential, decay: Float) {
    self.decay = decay
    self.source = source
    network = Self.copy(source)
    for (copy, raw) in zip(network.namedParameters, source.namedParameters) {
      copy.parameter.value.assign(raw.parameter.value)
    }
    copyBuffers()
  }

  /// Continues an average: `network` holds averaged weights of `source` (a loaded session).
  init(of source: Sequential, averaged network: Sequential, decay: Float) {
    precondition(network.specs == source.specs, "an average of \(source.specs) cannot be \(network.specs)")
    (self.decay, self.source, self.network) = (decay, source, network)
  }

  /// One step of the average, after a G update: θ_avg ← decay · θ_avg + (1 − decay) · θ;
  /// the buffers copied.
  func update() {
    let keep = decay
    let take = 1 - decay
    for (copy, raw) in zip(network.namedParameters, source.namedParameters) {
      let (a, x) = (copy.parameter.value.pointer, raw.parameter.value.pointer)
      for i in 0..<raw.parameter.value.count { a[i] = keep * a[i] + take * x[i] }
    }
    copyBuffers()
  }

  private func copyBuffers() {
    for (copy, raw) in zip(network.namedBuffers, source.namedBuffers) { copy.value.assign(raw.value) }
  }

  /// A network with `source`'s layers and shapes (its weights to be filled in).
  static func copy(_ source: Sequential) -> Sequential {
    do {
      return try Sequential(
        input: source.inputShape, specs: source.specs, initializer: .glorot, random: RandomSource(seed: 0))
    } catch {
      preconditionFailure("the generator's own layers do not build again: \(error)")
    }
  }
}

extension SessionState {
  /// The generator that pictures, scores and saves show: the moving average when `set ema`
  /// is on, else the trained generator. An export should take this one.
  public var viewedGenerator: Sequential? { generatorAverage?.network ?? networks[.generator] }

  /// The average of the session's generator, begun (at its present weights) if the session
  /// has none for this generator; nil when `set ema` is off or there is no generator.
  var generatorAverage: GeneratorAverage? {
    guard let decay = emaDecay, let g = networks[.generator] else { return nil }
    if let average = averaged, average.source === g, average.decay == decay { return average }
    let average =
      averaged.flatMap { $0.source === g ? GeneratorAverage(of: g, averaged: $0.network, decay: decay) : nil }
      ?? GeneratorAverage(of: g, decay: decay)
    averaged = average
    return average
  }

  /// After a step that updated G: one step of the average, when `set ema` is on.
  func updateGeneratorAverage() { generatorAverage?.update() }
}
