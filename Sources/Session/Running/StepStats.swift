/// What one training step measured. D(x) and D(G(z)) are mean probabilities: D(G(z)) is
/// measured twice, in the discriminator's step (before its update) and in the generator's
/// (after it), as the PyTorch DCGAN prints `D(G(z)): a / b`.
///
/// A step of one network alone (`kind`) measures only its half: a D step leaves `lossG` and
/// `dFakeAfter` at 0, a G step `lossD`, `dReal` and `dFake`; the gradient norm of the
/// network it did not train is nil.
public struct StepStats: Codable, Sendable, Equatable {
  /// 1-based, counted over the whole session.
  public var step: Int
  /// 1-based epoch, and the 1-based batch within it.
  public var epoch: Int
  public var batch: Int
  public var batchesPerEpoch: Int
  public var lossD: Float
  public var lossG: Float
  /// D(x): the discriminator's mean probability that real images are real.
  public var dReal: Float
  /// D(G(z)) in the discriminator's step.
  public var dFake: Float
  /// D(G(z)) in the generator's step, after the discriminator's update.
  public var dFakeAfter: Float
  /// Wall time of the step, including data preparation.
  public var seconds: Double
  /// Of which waiting for the batch of real samples (0 when it was prepared in time).
  public var dataWait: Double = 0
  /// ‖∇θ‖₂ over all of each network's parameters in this step (`GradientNorms`); nil for a
  /// network the step did not train, and in sessions saved before norms were recorded.
  public var gradientNormD: Float?
  public var gradientNormG: Float?
  /// Saved as `kind` for a step of one network only: a full step, the only kind there was
  /// before, leaves it out, so histories read and write as they did.
  var partialKind: StepKind?
  /// The multi-scale SWD (×10³, mean over levels) of `eval swd` after this step; nil when
  /// none was measured.
  public var swd: Float?

  enum CodingKeys: String, CodingKey {
    case step, epoch, batch, batchesPerEpoch, lossD, lossG, dReal, dFake, dFakeAfter, seconds, dataWait
    case gradientNormD, gradientNormG
    case partialKind = "kind"
    case swd
  }

  /// What the step trained.
  public var kind: StepKind {
    get { partialKind ?? .full }
    set { partialKind = newValue == .full ? nil : newValue }
  }
}

extension StepStats {
  /// The numbers a step measured, nil where its kind did not measure them: a step of D
  /// alone has no G loss and no verdict after D's update, a step of G alone no D loss, no
  /// D(x) and no verdict before D's update. Curves and files leave those out, not 0.
  public var measuredLossD: Float? { kind.trains(.discriminator) ? lossD : nil }
  public var measuredLossG: Float? { kind.trains(.generator) ? lossG : nil }
  public var measuredDReal: Float? { kind.trains(.discriminator) ? dReal : nil }
  public var measuredDFake: Float? { kind.trains(.discriminator) ? dFake : nil }
  public var measuredDFakeAfter: Float? { kind.trains(.generator) ? dFakeAfter : nil }
}

/// Averages over a run of steps (an epoch, a `train` command). Each number is averaged
/// over the steps that measured it: a `step d` adds no G loss, a `step g` no D loss.
public struct StepAverages: Sendable {
  public var steps = 0
  /// Steps that trained D (measured its loss, D(x) and D(G(z)) before its update), and
  /// steps that trained G (its loss and D(G(z)) after D's update).
  public var discriminatorSteps = 0, generatorSteps = 0
  public var lossD = 0.0, lossG = 0.0, dReal = 0.0, dFake = 0.0, dFakeAfter = 0.0
  public var seconds = 0.0
  public var images = 0
  /// The samples counted in `images` are 2-D points (the log says "points").
  public var points = false

  public init() {}

  public mutating func add(_ s: StepStats, images: Int) {
    steps += 1
    if let lossD = s.measuredLossD, let dReal = s.measuredDReal, let dFake = s.measuredDFake {
      discriminatorSteps += 1
      (self.lossD, self.dReal, self.dFake) = (
        self.lossD + Double(lossD), self.dReal + Double(dReal), self.dFake + Double(dFake)
      )
    }
    if let lossG = s.measuredLossG, let dFakeAfter = s.measuredDFakeAfter {
      generatorSteps += 1
      (self.lossG, self.dFakeAfter) = (self.lossG + Double(lossG), self.dFakeAfter + Double(dFakeAfter))
    }
    seconds += s.seconds
    self.images += images
  }

  /// The means, each over the steps that measured it; nil where none did.
  public var mean: (lossD: Double?, lossG: Double?, dReal: Double?, dFake: Double?, dFakeAfter: Double?) {
    func over(_ sum: Double, _ n: Int) -> Double? { n > 0 ? sum / Double(n) : nil }
    return (
      over(lossD, discriminatorSteps), over(lossG, generatorSteps), over(dReal, discriminatorSteps),
      over(dFake, discriminatorSteps), over(dFakeAfter, generatorSteps)
    )
  }

  public var imagesPerSecond: Double { seconds > 0 ? Double(images) / seconds : 0 }
}
