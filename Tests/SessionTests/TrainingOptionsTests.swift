import Foundation
import Tensors
import Testing

@testable import Session

/// Settings that are parsed everywhere but were never trained in a test: each trains from
/// the same seed as a baseline and must move the numbers the way its definition says.
/// Step 1 of two runs from one seed sees the same weights, batch and noise, so its
/// discriminator losses can be compared exactly (up to rounding, 1e-5 relative).
@Suite("Training options")
struct TrainingOptionsTests {
  /// A small GAN on the toy ring (no dropout, no BatchNorm): `settings` go before the
  /// networks are defined.
  static func ring(_ settings: String = "") -> String {
    """
    set seed 1
    data ring count=64 batch=16
    set latent 4
    \(settings)
    generator
      dense 16
      relu
      dense 2
    end
    discriminator
      dense 16
      relu
      dense 1
      sigmoid
    end
    """
  }

  /// An interpreter that has run `ring(settings)` and then `then`.
  static func session(_ settings: String = "", then: String = "") throws -> Interpreter {
    let interpreter = Interpreter()
    try run(ring(settings) + "\n" + then, in: interpreter)
    return interpreter
  }

  /// The first step's statistics of `ring(settings)`.
  static func firstStep(_ settings: String = "") throws -> StepStats {
    try #require(try session(settings, then: "step 1").state.history.first)
  }

  /// How much one more step moves each of D's parameters in `interpreter`.
  static func discriminatorChange(_ interpreter: Interpreter) throws -> [Float] {
    func values() -> [Float] {
      interpreter.state.networks[.discriminator]!.namedParameters.flatMap(\.parameter.value.values)
    }
    let before = values()
    try run("step 1", in: interpreter)
    return zip(values(), before).map { $0 - $1 }
  }

  static func close(_ a: Float, _ b: Float) -> Bool { abs(a - b) <= 1e-5 * max(abs(a), abs(b), 1) }

  @Test("d-loss sum reports twice mean's discriminator loss for the same step, with D's scores unchanged")
  func discriminatorLossSum() throws {
    let mean = try Self.firstStep()
    let sum = try Self.firstStep("set d-loss sum")
    #expect(sum.dReal == mean.dReal && sum.dFake == mean.dFake)
    #expect(Self.close(sum.lossD, 2 * mean.lossD), "sum \(sum.lossD), mean \(mean.lossD)")
  }

  @Test("d-loss sum steps D twice as far under SGD (Adam would hide the scale)")
  func discriminatorLossSumGradients() throws {
    func change(_ settings: String) throws -> [Float] {
      try Self.discriminatorChange(try Self.session(settings, then: "optimizer discriminator sgd lr=0.01"))
    }
    let (mean, sum) = (try change(""), try change("set d-loss sum"))
    #expect(mean.contains { $0 != 0 })
    let off = zip(mean, sum).enumerated().first { abs($1.1 - 2 * $1.0) > 1e-3 * max(abs($1.1), 1e-4) }
    #expect(off == nil, "parameter \(off?.offset ?? 0): sum moved \(off?.element.1 ?? 0), mean \(off?.element.0 ?? 0)")
  }

  @Test("real-label t: BCE is linear in its target, so step 1's D loss at 0.9 is 0.8·(at 1) + 0.2·(at 0.5)")
  func realLabel() throws {
    let one = try Self.firstStep()
    let half = try Self.firstStep("set real-label 0.5")
    let smooth = try Self.firstStep("set real-label 0.9")
    #expect(smooth.dReal == one.dReal && smooth.dFake == one.dFake)
    #expect(smooth.lossD != one.lossD)
    #expect(
      Self.close(smooth.lossD, 0.8 * one.lossD + 0.2 * half.lossD),
      "0.9: \(smooth.lossD), 1: \(one.lossD), 0.5: \(half.lossD)")
  }

  @Test("loss mse: the real half is mean (p − t)², so moving t from 1 to 0.9 changes D's loss by ½(0.2·D(x) − 0.19)")
  func meanSquaredError() throws {
    let bce = try Self.firstStep()
    let one = try Self.firstStep("loss mse")
    let smooth = try Self.firstStep("loss mse\nset real-label 0.9")
    #expect(one.dReal == bce.dReal && one.lossD != bce.lossD)
    // mean (p − t)² = mean p² − 2t·mean p + t²; D(x) is mean p; the fake half does not change.
    let expected = 0.5 * (0.2 * one.dReal - 0.19)
    #expect(abs((smooth.lossD - one.lossD) - expected) <= 1e-5, "\(smooth.lossD) − \(one.lossD) vs \(expected)")
  }

  @Test(
    "label-noise X adds X·u, u uniform in [0, 1), to each of D's targets: BCE moves linearly in X, MSE by X² · mean u²")
  func labelNoise() throws {
    let none = try Self.firstStep()
    let (small, large) = (try Self.firstStep("set label-noise 0.05"), try Self.firstStep("set label-noise 0.1"))
    #expect(small.dReal == none.dReal && small.dFake == none.dFake && small.lossD != none.lossD)
    #expect(
      abs((large.lossD - none.lossD) - 2 * (small.lossD - none.lossD)) <= 2e-6,
      "0: \(none.lossD), 0.05: \(small.lossD), 0.1: \(large.lossD)")
    // (p − t − X·u)² is quadratic in X: the second difference is X² (mean u² real + fake),
    // about 2/3 for u uniform in [0, 1).
    let mse = try [0, 0.1, 0.2].map { try Self.firstStep("loss mse\nset label-noise \($0)").lossD }
    let spread = (mse[2] - 2 * mse[1] + mse[0]) / 0.01
    #expect(spread > 0.35 && spread < 1, "mean u² (real) + mean u² (fake) = \(spread)")
    #expect(try Self.firstStep("set label-noise 0").lossD == none.lossD)
  }

  @Test("g-noise fresh: G's step draws its own z; D's half is the same, and a save resumes it exactly")
  func freshNoise() throws {
    let same = try Self.firstStep()
    let fresh = try Self.firstStep("set g-noise fresh")
    #expect(fresh.lossD == same.lossD && fresh.dReal == same.dReal && fresh.dFake == same.dFake)
    #expect(fresh.lossG != same.lossG && fresh.dFakeAfter != same.dFakeAfter)
    let settings = "set g-noise fresh\nset label-noise 0.05"
    let straight = try Self.session(settings, then: "step 5")
    let folder = temporaryFolder()
    _ = try Self.session(settings, then: "step 2\nsave \"\(folder)/s\"")
    let resumed = Interpreter()
    try run("load \"\(folder)/s\"\nstep 3", in: resumed)
    #expect(resumed.state.labelNoise == 0.05 && resumed.state.freshNoise)
    #expect(withoutTimes(resumed.state.history) == withoutTimes(straight.state.history))
  }

  @Test("loss hinge has no labels: swapped or smoothed ones train exactly as the defaults")
  func hingeIgnoresLabels() throws {
    func steps(_ labels: String) throws -> [StepStats] {
      let text = Self.ring(labels + "\nloss hinge").replacingOccurrences(of: "  dense 1\n  sigmoid", with: "  dense 1")
      let interpreter = Interpreter()
      try run(text + "\nstep 5", in: interpreter)
      return withoutTimes(interpreter.state.history)
    }
    let plain = try steps("")
    #expect(plain.count == 5)
    #expect(try steps("set real-label 0\nset fake-label 1") == plain)
    #expect(try steps("set real-label 0.9") == plain)
  }

  @Test("switching D's optimiser mid-run to SGD: the next step moves D by lr × the same gradient")
  func optimizerSwitch() throws {
    func change(lr: String) throws -> [Float] {
      try Self.discriminatorChange(try Self.session(then: "step 2\noptimizer discriminator sgd lr=\(lr)"))
    }
    let (small, large) = (try change(lr: "0.01"), try change(lr: "0.03"))
    #expect(small.contains { $0 != 0 })
    let off = zip(small, large).enumerated().first { abs($1.1 - 3 * $1.0) > 1e-3 * max(abs($1.1), 1e-4) }
    #expect(
      off == nil, "parameter \(off?.offset ?? 0): lr 0.03 moved \(off?.element.1 ?? 0), lr 0.01 \(off?.element.0 ?? 0)")
  }

  @Test("optimizer builds from defaults, and says which options went back to theirs")
  func optimizerDefaultsSaid() throws {
    let interpreter = Interpreter()
    func notices(_ line: String) throws -> [String] {
      try run(line, in: interpreter).compactMap { if case .notice(let s) = $0 { s } else { nil } }
    }
    _ = try notices("optimizer discriminator adam lr=2e-4 beta1=0.5 eps=1e-8")
    #expect(
      try notices("optimizer discriminator adam lr=1e-4") == [
        "discriminator optimizer adam lr=0.0001 beta1=0.9 beta2=0.999 eps=1e-07; back to the default: beta1 (was 0.5),"
          + " eps (was 1e-08); to keep them, write beta1=0.5 eps=1e-08"
      ])
    #expect(
      try notices("optimizer discriminator adam lr=1e-4") == [
        "discriminator optimizer adam lr=0.0001 beta1=0.9 beta2=0.999 eps=1e-07"
      ])
    // The default typed is a choice, not a return.
    _ = try notices("optimizer discriminator adam beta1=0.5")
    #expect(
      try notices("optimizer discriminator adam lr=1e-4 beta1=0.9") == [
        "discriminator optimizer adam lr=0.0001 beta1=0.9 beta2=0.999 eps=1e-07"
      ])
    _ = try notices("optimizer discriminator sgd lr=0.01 momentum=0.9")
    #expect(
      try notices("optimizer discriminator sgd lr=0.02") == [
        "discriminator optimizer sgd lr=0.02 momentum=0.0; back to the default: momentum (was 0.9); to keep it,"
          + " write momentum=0.9"
      ])
  }

  @Test(
    "sample mode=train normalises with the batch's statistics: an image depends on the others drawn with it, and training is untouched"
  )
  func sampleInTrainingMode() throws {
    let folder = temporaryFolder()
    /// Image `i` (16×16 RGB) of the grid PNG at `path`, cut out of its cell.
    func image(_ i: Int, of path: String) throws -> [UInt8] {
      let data = try #require(FileManager.default.contents(atPath: folder + "/" + path))
      let grid = try DecodedImage.decode([UInt8](data)).get()
      let columns = (grid.width - 2) / 18
      let (top, left) = (2 + (i / columns) * 18, 2 + (i % columns) * 18)
      var pixels: [UInt8] = []
      for y in top..<(top + 16) {
        let start = (y * grid.width + left) * 3
        pixels += grid.pixels[start..<(start + 16 * 3)]
      }
      return pixels
    }
    let sampled = Interpreter()
    try run(tinyGAN + "\nstep 3", in: sampled)
    let buffers = sampled.state.networks[.generator]!.namedBuffers.map(\.value.values)
    try run(
      """
      sample 9 "\(folder)/train9.png" mode=train
      sample 16 "\(folder)/train16.png" mode=train
      sample 16 "\(folder)/again16.png" mode=train
      sample 9 "\(folder)/eval9.png"
      sample 16 "\(folder)/eval16.png"
      """, in: sampled)
    // Running statistics leave each image to its own noise; the batch's tie it to the others.
    for i in 0..<3 {
      #expect(try image(i, of: "eval9.png") == image(i, of: "eval16.png"), "eval image \(i)")
      #expect(try image(i, of: "train9.png") != image(i, of: "train16.png"), "train image \(i)")
      #expect(try image(i, of: "train16.png") != image(i, of: "eval16.png"), "train vs eval image \(i)")
    }
    #expect(
      try FileManager.default.contents(atPath: folder + "/train16.png")
        == FileManager.default.contents(atPath: folder + "/again16.png"))
    // Sampling in training mode keeps the running statistics and changes nothing that trains.
    #expect(sampled.state.networks[.generator]!.namedBuffers.map(\.value.values) == buffers)
    try run("step 2", in: sampled)
    let straight = Interpreter()
    try run(tinyGAN + "\nstep 5", in: straight)
    #expect(withoutTimes(sampled.state.history) == withoutTimes(straight.state.history))
  }

  @Test("set batch in the middle of an epoch says the epoch starts over; labels the wrong way round warn")
  func settingsSayWhatTheyDo() throws {
    let interpreter = Interpreter()
    try run(Self.ring() + "\nstep 3", in: interpreter)
    let events = try run("set batch 8\nset batch 8\nset fake-label 0.95\nset real-label 0.9", in: interpreter)
    let texts = events.compactMap { event -> String? in
      switch event {
      case .notice(let s): s
      case .warning(let s): "warning: " + s
      default: nil
      }
    }
    #expect(
      texts == [
        "batch 8; epoch 1 starts over in batches of 8 (3 batches of 16 were done)", "batch 8", "fake-label 0.95",
        "real-label 0.9",
        "warning: fake-label 0.95 is above real-label 0.9: D learns the labels swapped, so D(x) and D(G(z)) read the"
          + " other way round (near 1 means fake), and the diagnoses with them",
      ], "\(texts)")
    #expect(interpreter.state.batchInEpoch == 0)
  }
}

extension TrainingOptionsTests {
  @Test("set latent rebuilds an untrained generator; once it has trained, the latent is refused with why")
  func latentAfterTraining() throws {
    let interpreter = Interpreter()
    try run(Self.ring(), in: interpreter)
    try run("set latent 6", in: interpreter)
    #expect(interpreter.state.networks[.generator]?.inputShape == Shape(6))
    try run("step", in: interpreter)
    do {
      try run("set latent 8", in: interpreter)
      Issue.record("the latent changed after training")
    } catch {
      #expect(
        error.message
          == "the generator has trained for 1 step on a latent of 6: its first layer's weights are sized for it,"
          + " so the latent cannot change now")
    }
    #expect(interpreter.state.latent == 6 && interpreter.state.networks[.generator]?.inputShape == Shape(6))
    try run("set latent 6", in: interpreter)  // the same: nothing to change
  }
}
