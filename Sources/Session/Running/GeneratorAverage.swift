import Layers
import Tensors

/// An exponential moving average of the generator's weights (Yazıcı et al., ICLR 2019;
/// `set ema 0.999`): a second generator, built from the same layers, whose every weight
/// after each G update is
///
///     θ_avg ← d_t · θ_avg + (1 − d_t) · θ,   d_t = min(decay, (1 + t) / (K + t))
///
/// starting from G's weights when the average begins, t counting the updates since. With
/// K = 10 (`set ema-warmup`'s default) the warm-up is TensorFlow's
/// `ExponentialMovingAverage(decay, num_updates)` rule: with the
/// decay alone, 0.999 still holds e^(−0.7) ≈ 50% of the starting (untrained) weights after
/// 700 updates, and the average's pictures are nearly flat (SWD 170.5 against G's own 43.1
/// on the gray faces); with the warm-up d_t is 0.5 at t = 8, 0.99 at t = 890 and reaches
/// 0.999 at t = 8,990, so the average trails G by a window that grows with the run. Until
/// the decay is reached, the update after G's t-th weighs about t^(K − 2) in the average
/// (a power-function average, as Karras et al.'s EDM2, 2024): its mean age is 1/K of the
/// run; K = 2 is the plain mean of every update. A layer may have its own K
/// (`set ema-warmup K layers=A..B`): on the gray faces the first layer, which sets a face's
/// coarse layout, is best averaged over more of the run than the layers that draw detail.
/// BatchNorm's running statistics are copied from G at each update (as StyleGAN2-ADA copies
/// its buffers) and re-estimated for the averaged weights before they are shown
/// (`standStatistics`, StandingStatistics.swift). `sample`, `eval`, `interpolate`, `nearest`,
/// `save` and `export` use `network` (`SessionState.viewedGenerator`); training never reads it.
public final class GeneratorAverage {
  public let decay: Float
  /// K in the warm-up's (1 + t) / (K + t).
  public let warmUp: Float
  /// TensorFlow's K.
  public static let defaultWarmUp: Float = 10
  /// The layers (by index in the generator) whose K is their own instead of `warmUp`.
  public let layerWarmUps: [Int: Float]
  /// The K of each of `network`'s parameters, in `namedParameters` order.
  private let parameterWarmUps: [Float]
  /// The generator whose weights are averaged: the average belongs to this network and is
  /// begun again when the session's generator is another (redefined, reset, loaded).
  let source: Sequential
  /// The averaged copy.
  public let network: Sequential
  /// Updates since the average began, for the warm-up; nil for an average saved before the
  /// warm-up existed, which goes on with the decay alone, as it began.
  private(set) var updates: Int?
  /// The batch size `network`'s BatchNorm statistics were estimated for (`standStatistics`)
  /// since the last update; nil while they are G's, copied at the update.
  var standingBatch: Int?

  /// Begins the average at `source`'s weights and buffers.
  init(of source: Sequential, decay: Float, warmUp: Float = defaultWarmUp, layerWarmUps: [Int: Float] = [:]) {
    self.decay = decay
    self.warmUp = warmUp
    self.layerWarmUps = layerWarmUps
    parameterWarmUps = Self.parameterWarmUps(source, warmUp, layerWarmUps)
    self.source = source
    network = Self.copy(source)
    updates = 0
    for (copy, raw) in zip(network.namedParameters, source.namedParameters) {
      copy.parameter.value.assign(raw.parameter.value)
    }
    copyBuffers()
  }

  /// Continues an average: `network` holds averaged weights of `source` after `updates`
  /// updates (a loaded session, or the same average with a new decay or warm-up).
  init(
    of source: Sequential, averaged network: Sequential, decay: Float, warmUp: Float = defaultWarmUp,
    layerWarmUps: [Int: Float] = [:], updates: Int?
  ) {
    precondition(network.specs == source.specs, "an average of \(source.specs) cannot be \(network.specs)")
    (self.decay, self.warmUp, self.source, self.network, self.updates) = (decay, warmUp, source, network, updates)
    self.layerWarmUps = layerWarmUps
    parameterWarmUps = Self.parameterWarmUps(source, warmUp, layerWarmUps)
  }

  /// K for each of `source.namedParameters`, in its order (each layer's parameters in turn).
  private static func parameterWarmUps(_ source: Sequential, _ k: Float, _ layers: [Int: Float]) -> [Float] {
    let ks = source.layers.enumerated().flatMap { i, layer in layer.parameters.map { _ in layers[i] ?? k } }
    precondition(ks.count == source.namedParameters.count, "a K for each of the generator's parameters")
    return ks
  }

  /// The decay of the next update: `decay`, lowered during the warm-up (for the layers
  /// without a K of their own).
  var currentDecay: Float { updates.map { decay(at: $0) } ?? decay }

  /// The warm-up's decay at update t (counting from 0): min(decay, (1 + t) / (K + t)), K
  /// `warmUp` unless given. (In Double, so that t beyond Float's 2²⁴ still counts; below it,
  /// the same bits.)
  func decay(at t: Int, warmUp k: Float? = nil) -> Float {
    min(decay, Float(Double(1 + t) / (Double(k ?? warmUp) + Double(t))))
  }

  /// The first update whose decay is `decay` itself: 80 for 0.9, 8,990 for 0.999 with
  /// K = 10 (about 10⁸ for the largest decay and K allowed, 0.99999 and 1,000). A run
  /// shorter than that never reaches the decay it set. From (1 + t) / (K + t) = decay
  /// solved for t, then stepped to the first update the rounded decay reaches.
  var warmUpUpdates: Int { warmUpUpdates(warmUp: warmUp) }

  /// The same for a layer's own K.
  func warmUpUpdates(warmUp k: Float) -> Int {
    let d = Double(decay)
    var t = max(0, Int(((d * Double(k) - 1) / (1 - d)).rounded(.down)))
    while t > 0 && decay(at: t - 1, warmUp: k) >= decay { t -= 1 }
    while decay(at: t, warmUp: k) < decay { t += 1 }
    return t
  }

  /// One step of the average, after a G update: θ_avg ← d_t · θ_avg + (1 − d_t) · θ; the
  /// buffers copied.
  func update() {
    let t = updates
    updates = updates.map { $0 + 1 }
    for ((copy, raw), k) in zip(zip(network.namedParameters, source.namedParameters), parameterWarmUps) {
      let keep = t.map { decay(at: $0, warmUp: k) } ?? decay
      let take = 1 - keep
      let (a, x) = (copy.parameter.value.pointer, raw.parameter.value.pointer)
      for i in 0..<raw.parameter.value.count { a[i] = keep * a[i] + take * x[i] }
    }
    copyBuffers()
  }

  /// G's buffers (BatchNorm's running statistics) into the average's.
  func copyBuffers() {
    standingBatch = nil
    for (copy, raw) in zip(network.namedBuffers, source.namedBuffers) { copy.value.assign(raw.value) }
  }

  /// A network with `source`'s layers and shapes (its weights to be filled in).
  static func copy(_ source: Sequential) -> Sequential {
    do {
      return try Sequential(
        input: source.inputShape, specs: source.specs, initializer: .glorot, random: RandomSource(seed: 0),
        workspace: source.workspace)
    } catch {
      preconditionFailure("the generator's own layers do not build again: \(error)")
    }
  }
}

extension SessionState {
  /// The generator that pictures, scores and saves show: the moving average when `set ema`
  /// is on (its BatchNorm statistics standing for its own weights), else the trained
  /// generator. An export should take this one.
  public var viewedGenerator: Sequential? { viewedGenerator(standing: true) }

  /// The generator shown, its BatchNorm statistics estimated only when `standing`: drawing
  /// with each batch's own statistics (`mode=train`) never reads them, so it need not pay
  /// for the estimate (about 1.8 s for the 64×64 DCGAN, once per G update).
  func viewedGenerator(standing: Bool) -> Sequential? {
    guard let average = generatorAverage else { return networks[.generator] }
    return standing ? average.standing(batch: batch) : average.network
  }

  /// The average of the session's generator, begun (at its present weights) if the session
  /// has none for this generator; nil when `set ema` is off or there is no generator.
  var generatorAverage: GeneratorAverage? {
    guard let decay = emaDecay, let g = networks[.generator] else { return nil }
    let (k, layers) = (emaWarmUp, emaLayerWarmUps)
    if let average = averaged, average.source === g, average.decay == decay, average.warmUp == k,
      average.layerWarmUps == layers
    {
      return average
    }
    let average =
      averaged.flatMap {
        $0.source === g
          ? GeneratorAverage(
            of: g, averaged: $0.network, decay: decay, warmUp: k, layerWarmUps: layers, updates: $0.updates) : nil
      }
      ?? GeneratorAverage(of: g, decay: decay, warmUp: k, layerWarmUps: layers)
    averaged = average
    return average
  }

  /// After a step that updated G: one step of the average, when `set ema` is on.
  func updateGeneratorAverage() { generatorAverage?.update() }
}
