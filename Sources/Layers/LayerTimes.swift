import Tensors

/// Wall time a network spends in each of its layers, by phase, while `Sequential.times`
/// is set. For the `bench` command; off (nil) otherwise.
public final class LayerTimes {
  public private(set) var forward: [Double]
  public private(set) var backwardInput: [Double]
  public private(set) var backwardParameters: [Double]
  /// Calls measured, per phase and layer.
  public private(set) var calls: [Phase: [Int]]

  public init(layers: Int) {
    forward = Array(repeating: 0, count: layers)
    backwardInput = Array(repeating: 0, count: layers)
    backwardParameters = Array(repeating: 0, count: layers)
    calls = [
      .forward: Array(repeating: 0, count: layers), .backwardInput: Array(repeating: 0, count: layers),
      .backwardParameters: Array(repeating: 0, count: layers),
    ]
  }

  public enum Phase: Hashable, Sendable { case forward, backwardInput, backwardParameters }

  /// Runs `body`, adding its duration to layer `index`'s `phase`.
  @inline(__always)
  func measure<T>(_ index: Int, _ phase: Phase, _ body: () -> T) -> T {
    let start = monotonicSeconds()
    let result = body()
    let elapsed = monotonicSeconds() - start
    calls[phase]![index] += 1
    switch phase {
    case .forward: forward[index] += elapsed
    case .backwardInput: backwardInput[index] += elapsed
    case .backwardParameters: backwardParameters[index] += elapsed
    }
    return result
  }

  public func reset() {
    for i in forward.indices {
      forward[i] = 0
      backwardInput[i] = 0
      backwardParameters[i] = 0
    }
    for phase in calls.keys { calls[phase] = Array(repeating: 0, count: forward.count) }
  }
}
