import Layers
import Tensors

/// The size of a network's gradients after a backward pass: the L2 norm over every
/// parameter's accumulated gradient, √(Σ g²), summed in `Double`. One cheap pass over the
/// gradients (no allocation), taken before the optimiser's update.
enum GradientNorms {
  /// √(Σ g²) over every parameter of `network`; NaN or ∞ when a gradient is.
  static func norm(of network: Sequential) -> Float {
    var sum = 0.0
    for (_, parameter) in network.namedParameters {
      let g = parameter.gradient
      let p = g.pointer
      for i in 0..<g.count { sum += Double(p[i]) * Double(p[i]) }
    }
    return Float(sum.squareRoot())
  }

  /// The first parameter, in backward order (last layer first), whose gradient is not
  /// finite: where a non-finite gradient started.
  static func firstNonFinite(in network: Sequential) -> String? {
    network.namedParameters.reversed().first { !$0.parameter.gradient.isFinite }?.name
  }

  /// The parameter tensor holding the largest |weight|, and that weight.
  static func largestWeight(in network: Sequential) -> (name: String, value: Float)? {
    network.namedParameters.map { ($0.name, $0.parameter.value.maxAbs()) }.max { $0.1 < $1.1 }
  }
}
