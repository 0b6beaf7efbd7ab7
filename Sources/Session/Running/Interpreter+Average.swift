import Layers

/// `set ema DECAY`, `set ema off` and `set ema-warmup K`: the generator's moving average
/// (`GeneratorAverage`).
extension Interpreter {
  func setAverage(_ decay: Float?) {
    state.emaDecay = decay
    guard let decay else {
      state.averaged = nil
      report(.notice("ema off: sample, eval and save use the generator's own weights"))
      return
    }
    let continued = state.averaged != nil && state.averaged?.source === state.networks[.generator]
    guard let average = state.generatorAverage else {
      report(.notice("ema \(decay): the average begins when the generator is defined"))
      return
    }
    let k = Rule.text(average.warmUp)
    report(
      .notice(
        "ema \(decay): "
          + (continued
            ? "the average goes on with the new decay"
            : "the average begins at the generator's weights and warms up (its t-th update keeps"
              + " min(\(decay), (1 + t) / (\(k) + t)) of it, \(decay) itself from update \(average.warmUpUpdates) on)")
          + "; sample, eval and save use it"))
  }

  /// `set ema-warmup K`: K for every layer (the layers' own Ks are dropped).
  func setAverageWarmUp(_ k: Float) {
    let dropped = state.emaLayerWarmUps.isEmpty ? "" : " for every layer (the layers' own dropped: \(layerWarmUpsText))"
    state.emaWarmUp = k
    state.emaLayerWarmUps = [:]
    let text = Rule.text(k)
    var notice =
      "ema-warmup \(text)\(dropped): the average's t-th update keeps min(decay, (1 + t) / (\(text) + t)); until"
      + " the decay is reached it weighs G after update t about as t^\(Rule.text(k - 2)), its mean age 1/\(text)"
      + " of the run"
    if let average = state.generatorAverage {
      notice +=
        average.updates == nil
        ? " (this average was saved before the warm-up existed and goes on with its decay alone)"
        : " (ema \(average.decay) is reached at update \(average.warmUpUpdates); the average goes on)"
    } else {
      notice +=
        state.emaDecay == nil ? " (with 'set ema DECAY' on)" : " (the average begins when the generator is defined)"
    }
    report(.notice(notice))
  }

  /// `set ema-warmup K layers=A..B`: K for the generator's layers A to B alone (those with
  /// weights); the generator must be defined, so that the layers are known. `location`:
  /// where `layers=` is written.
  func setAverageWarmUp(_ k: Float, layers: ClosedRange<Int>, at location: SourceLocation?) throws(SessionError) {
    guard let g = state.networks[.generator] else {
      throw SessionError(
        .missing(
          "generator",
          hint:
            "define it before 'set ema-warmup K layers=…': the layers are its, numbered as 'summary generator' shows"),
        at: location)
    }
    guard layers.upperBound < g.specs.count else {
      throw SessionError(
        .invalidValue(
          Self.rangeText(layers), for: "layers",
          expected:
            "indices of the generator's \(g.specs.count) layers, 0 to \(g.specs.count - 1) ('summary generator')"),
        at: location)
    }
    let weighted = layers.filter { !g.layers[$0].parameters.isEmpty }
    guard !weighted.isEmpty else {
      let which = layers.count == 1 ? "layer \(layers.lowerBound) has" : "layers \(Self.rangeText(layers)) have"
      report(.notice("ema-warmup \(Rule.text(k)): \(which) no weights to average; nothing changes"))
      return
    }
    for i in weighted { state.emaLayerWarmUps[i] = k }
    let named = weighted.map { "\($0) (\(g.specs[$0]))" }.joined(separator: ", ")
    var notice = "ema-warmup \(Rule.text(k)) for the weights of layer\(weighted.count == 1 ? "" : "s") \(named)"
    if let average = state.generatorAverage {
      notice +=
        average.updates == nil
        ? " (this average was saved before the warm-up existed and goes on with its decay alone)"
        : ", which reach ema \(average.decay) at update \(average.warmUpUpdates(warmUp: k))"
    } else if state.emaDecay == nil {
      notice += " (with 'set ema DECAY' on)"
    }
    report(.notice(notice + "; now ema-warmup \(averageWarmUpText)"))
  }

  /// A generator just defined: the layers' own Ks apply to its layers by number; those past
  /// its last layer, or on a layer without weights, are dropped.
  func fitLayerWarmUps(to g: Sequential) {
    guard !state.emaLayerWarmUps.isEmpty else { return }
    let before = layerWarmUpsText
    state.emaLayerWarmUps = state.emaLayerWarmUps.filter { i, _ in
      i < g.layers.count && !g.layers[i].parameters.isEmpty
    }
    let kept = state.emaLayerWarmUps.isEmpty ? "none left" : "now \(layerWarmUpsText)"
    report(
      .notice(
        "ema-warmup per layer (\(before)) goes by layer number: "
          + (layerWarmUpsText == before ? "it applies to this generator's layers" : "\(kept) for this generator")))
  }

  /// `show settings`' ema-warmup: K, then the layers with their own.
  var averageWarmUpText: String {
    Rule.text(state.emaWarmUp) + (state.emaLayerWarmUps.isEmpty ? "" : "; \(layerWarmUpsText)")
  }

  /// The layers' own Ks, each K once with its layers, consecutive ones as a range:
  /// "3 for layers 0..1, 4; 5 for layer 6".
  var layerWarmUpsText: String {
    let byK = Dictionary(grouping: state.emaLayerWarmUps.keys) { state.emaLayerWarmUps[$0]! }
    return byK.map { k, layers in
      var runs: [ClosedRange<Int>] = []
      for i in layers.sorted() {
        if let last = runs.last, last.upperBound == i - 1 {
          runs[runs.count - 1] = last.lowerBound...i
        } else {
          runs.append(i...i)
        }
      }
      let plural = runs.count > 1 || runs[0].count > 1
      return (
        first: runs[0].lowerBound,
        text: "\(Rule.text(k)) for layer\(plural ? "s" : "") "
          + runs.map(Self.rangeText).joined(separator: ", ")
      )
    }
    .sorted { $0.first < $1.first }.map(\.text).joined(separator: "; ")
  }

  static func rangeText(_ layers: ClosedRange<Int>) -> String {
    layers.count == 1 ? "\(layers.lowerBound)" : "\(layers.lowerBound)..\(layers.upperBound)"
  }
}
