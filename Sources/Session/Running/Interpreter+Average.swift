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

  func setAverageWarmUp(_ k: Float) {
    state.emaWarmUp = k
    let text = Rule.text(k)
    var notice =
      "ema-warmup \(text): the average's t-th update keeps min(decay, (1 + t) / (\(text) + t)); until the"
      + " decay is reached it weighs G after update t about as t^\(Rule.text(k - 2)), its mean age 1/\(text)"
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
}
