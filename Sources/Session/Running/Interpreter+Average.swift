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
    let k = Self.number(average.warmUp)
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
    let text = Self.number(k)
    var notice =
      "ema-warmup \(text): the average's t-th update keeps min(decay, (1 + t) / (\(text) + t)); until the"
      + " decay is reached it weighs G after update t about as t^\(Self.number(k - 2)), its mean age 1/\(text)"
      + " of the run"
    if let average = state.generatorAverage {
      notice += " (ema \(average.decay) is reached at update \(average.warmUpUpdates); the average goes on)"
    } else {
      notice += " (with 'set ema DECAY' on)"
    }
    report(.notice(notice))
  }

  /// `x` as typed: 10, not 10.0.
  static func number(_ x: Float) -> String { x == x.rounded() && abs(x) < 1e6 ? "\(Int(x))" : "\(x)" }
}
