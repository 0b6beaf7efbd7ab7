/// `set ema DECAY` and `set ema off`: the generator's moving average (`GeneratorAverage`).
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
    report(
      .notice(
        "ema \(decay): "
          + (continued
            ? "the average goes on with the new decay"
            : "the average begins at the generator's weights and warms up (its t-th update keeps"
              + " min(\(decay), (1 + t) / (10 + t)) of it, \(decay) itself from update \(average.warmUpUpdates) on)")
          + "; sample, eval and save use it"))
  }
}
