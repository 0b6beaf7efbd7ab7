import Tensors

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// The GAN objective applied to the discriminator's outputs.
public enum Loss: String, Hashable, Codable, Sendable, CaseIterable {
  /// Binary cross-entropy (the DCGAN loss).
  case bce
  /// Mean squared error (least-squares GAN).
  case mse
  /// The hinge loss on raw scores (`Loss+Hinge.swift`).
  case hinge
}

/// What a loss is given: probabilities in (0, 1), or logits (pre-sigmoid scores).
public enum LossInput: Sendable {
  case probabilities
  case logits
}

extension Loss {
  /// Whether D is taught targets (`real-label`, `fake-label`, `label-noise`): BCE and MSE.
  /// The hinge loss has none: its real side is max(0, 1 − s) and G's −s, whatever a label says.
  public var hasLabels: Bool { self != .hinge }

  /// Keras's clip for BCE on probabilities: log never sees 0.
  public static let probabilityEpsilon: Float = 1e-7

  /// The mean loss of `prediction` [N, 1] against the constant `target`, in `Double`, and
  /// writes d(mean loss)/d(prediction) into `gradient` (same shape).
  ///
  /// BCE from logits ℓ: max(ℓ, 0) − ℓ·t + log(1 + e^−|ℓ|), gradient (σ(ℓ) − t) / N; exact for
  /// any ℓ. BCE from probabilities p (clipped to [ε, 1 − ε]): −t·log p − (1 − t)·log(1 − p),
  /// gradient (p − t) / (p(1 − p)) / N inside the clip, 0 outside. MSE: (p − t)², gradient
  /// 2(p − t) / N. Hinge: see `hingeTotal`; `generator` says the loss is G's.
  /// `targetNoise` [N], when given, is added to the target sample by sample (label noise;
  /// BCE and MSE: the hinge loss has no target to move).
  public func evaluate(
    _ prediction: Tensor, target: Float, input: LossInput, gradient: Tensor, generator: Bool = false,
    targetNoise: UnsafePointer<Float>? = nil
  ) -> Double {
    precondition(
      gradient.shape == prediction.shape, "\(self): gradient \(gradient.shape) vs \(prediction.shape)")
    let n = prediction.count
    let (x, g) = (prediction.pointer, gradient.pointer)
    let scale = 1 / Float(n)
    var total = 0.0
    switch (self, input) {
    case (.bce, .logits):
      for i in 0..<n {
        let (l, target) = (x[i], target + (targetNoise?[i] ?? 0))
        total += Double(max(l, 0) - l * target + log1pf(expf(-abs(l))))
        g[i] = (sigmoid(l) - target) * scale
      }
    case (.bce, .probabilities):
      let eps = Loss.probabilityEpsilon
      for i in 0..<n {
        let target = target + (targetNoise?[i] ?? 0)
        let p = min(max(x[i], eps), 1 - eps)
        total -= Double(target * logf(p) + (1 - target) * logf(1 - p))
        let inside = x[i] > eps && x[i] < 1 - eps
        g[i] = inside ? (p - target) / (p * (1 - p)) * scale : 0
      }
    case (.mse, .probabilities), (.mse, .logits):
      for i in 0..<n {
        let d = x[i] - target - (targetNoise?[i] ?? 0)
        total += Double(d * d)
        g[i] = 2 * d * scale
      }
    case (.hinge, _):
      total = Loss.hingeTotal(x, gradient: g, count: n, real: target >= 0.5, generator: generator)
    }
    return total / Double(n)
  }
}
