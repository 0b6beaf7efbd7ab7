import Layers
import Tensors

/// The size of one network's weights and of the gradients its last update used: the
/// Euclidean norm ‖·‖₂ of each layer's parameters (kernel and bias together) and of the
/// whole network. The gradients are read before the update (the trainer refuses an update
/// whose gradient norm is NaN or ∞, so this one pass is also the check), the weights after
/// it, so they are the updated ones.
///
/// A gradient norm near 0 is a network that no longer learns (D too sure of itself
/// leaves G nothing to learn from); one in the hundreds is an update about to blow up.
/// The ratio gradient / weight says how hard a step pushes a layer relative to its size.
///
/// Every step measures the networks it trained: one pass over gradients and one over
/// weights. For the classic DCGAN's 6.4 M parameters that loop takes about 7 ms (release,
/// best of 10, on this 2-core machine), against 2.1–4.7 s for its step at batch 64; three
/// alternating pairs of `bench dcgan steps=4` before and after could not tell them apart (the
/// shared machine's noise is ±30%).
public struct GradientNorms: Sendable, Equatable {
  public struct Layer: Sendable, Equatable {
    /// 0-based, as in `summary` and in parameter names (`generator.3.kernel`).
    public var index: Int
    /// The layer as written (`conv 64 kernel=4 stride=2 padding=1`).
    public var definition: String
    public var parameters: Int
    public var weightNorm: Double
    public var gradientNorm: Double

    /// gradient / weight, 0 for weights that are all 0.
    public var ratio: Double { weightNorm > 0 ? gradientNorm / weightNorm : 0 }
  }

  /// The session step whose update these gradients made.
  public var step: Int
  /// Layers with parameters, in order (activations, reshapes and dropout have none).
  public var layers: [Layer]

  public var weightNorm: Double { Self.combined(layers.map(\.weightNorm)) }
  public var gradientNorm: Double { Self.combined(layers.map(\.gradientNorm)) }
  /// The layer whose gradient is largest.
  public var largest: Layer? { layers.max { $0.gradientNorm < $1.gradientNorm } }

  /// Reads every gradient of `network` once, before its update: `gradientNorm` is what
  /// the trainer checks for NaN or ∞ before it lets the optimiser write the weights. The
  /// weight norms stay 0 until `weigh` reads the updated weights.
  init(gradientsOf network: Sequential, step: Int) {
    self.step = step
    layers = network.layers.enumerated().compactMap { index, layer in
      guard !layer.parameters.isEmpty else { return nil }
      return Layer(
        index: index, definition: "\(layer.spec)", parameters: layer.parameters.reduce(0) { $0 + $1.value.count },
        weightNorm: 0, gradientNorm: Self.combined(layer.parameters.map { $0.gradient.norm() }))
    }
  }

  /// Reads the weights of `network` (the one the gradients came from) after its update.
  mutating func weigh(_ network: Sequential) {
    let weighed = network.layers.filter { !$0.parameters.isEmpty }
    precondition(weighed.count == layers.count, "weighing another network than the one measured")
    for (i, layer) in weighed.enumerated() {
      layers[i].weightNorm = Self.combined(layer.parameters.map { $0.value.norm() })
    }
  }

  /// √(Σ nᵢ²): the norm of parameters whose norms are `norms`.
  static func combined(_ norms: [Double]) -> Double {
    norms.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }
}

extension GradientNorms {
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

extension Tensor {
  /// ‖self‖₂, accumulated in `Double` in four independent sums (one sum would wait on
  /// each addition; this keeps the pass over a network's gradients at memory speed).
  func norm() -> Double {
    let a = pointer
    var s = (0.0, 0.0, 0.0, 0.0)
    var i = 0
    while i + 4 <= count {
      let (x0, x1, x2, x3) = (Double(a[i]), Double(a[i + 1]), Double(a[i + 2]), Double(a[i + 3]))
      s.0 += x0 * x0
      s.1 += x1 * x1
      s.2 += x2 * x2
      s.3 += x3 * x3
      i += 4
    }
    while i < count {
      s.0 += Double(a[i]) * Double(a[i])
      i += 1
    }
    return ((s.0 + s.1) + (s.2 + s.3)).squareRoot()
  }
}
