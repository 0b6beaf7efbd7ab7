import Tensors
import Testing

@testable import Session

/// Each diagnosis provoked by a seeded run of tiny networks, a healthy run that provokes
/// none, and the watch's promises: once per episode, switchable, and never changing the
/// numbers training computes.
@Suite("Diagnoses")
struct DiagnosisTests {
  /// A tiny GAN on the toy ring (one hidden layer each), on 512 points in batches of 32.
  static let ring = TrainingOptionsTests.ring("data ring count=512 batch=32")

  /// A tiny GAN on 8×8 built-in faces.
  static let faces = """
    set seed 1
    data faces count=64 size=8 batch=16 range=-1..1
    set latent 4
    generator
      dense 32
      relu
      dense 8*8*3
      reshape 8x8x3
      tanh
    end
    discriminator
      flatten
      dense 32
      leakyrelu 0.2
      dense 1
      sigmoid
    end
    """

  /// The findings reported while running `text`, in order.
  func findings(_ text: String, in interpreter: Interpreter = Interpreter()) throws -> [DiagnosisFinding] {
    try run(text, in: interpreter).compactMap {
      if case .diagnosis(let f) = $0 { return f }
      return nil
    }
  }

  @Test("D winning: D at lr 0.01 against a G at lr 1e-7 (D loss and D(G(z)) → 0), named once")
  func discriminatorWinning() throws {
    let found = try findings(
      Self.faces + "\noptimizer discriminator adam lr=0.01\noptimizer generator adam lr=1e-7\ntrain 200 steps")
    #expect(found.map(\.diagnosis) == [.discriminatorWinning], "\(found)")
    guard case .discriminatorWinning(let lossD, let dFake, _, _) = found.first?.evidence else { return }
    #expect(lossD < Diagnosis.winningLoss && dFake < Diagnosis.winningVerdict)
  }

  @Test("G fooling D: G at lr 0.01 against a D at lr 1e-7 (D(G(z)) → 1, G loss → 0, D loss high)")
  func generatorFoolingDiscriminator() throws {
    let found = try findings(
      Self.ring + "\noptimizer discriminator adam lr=1e-7\noptimizer generator adam lr=0.01\ntrain 100 steps")
    #expect(found.map(\.diagnosis) == [.generatorFoolingDiscriminator], "\(found)")
    #expect(found.first?.step == 70)
  }

  @Test("collapse: at lr 0.01 the fixed-noise faces stop differing; it fires again only after recovering")
  func collapse() throws {
    let found = try findings(Self.faces + "\noptimizer adam lr=0.01\ntrain 300 steps")
    let collapses = found.filter { $0.diagnosis == .collapse }
    #expect(collapses.first?.step == 101, "\(found)")
    guard case .spread(let now, let peak, let real, _) = collapses.first?.evidence else {
      Issue.record("no spread evidence in \(found)")
      return
    }
    #expect(now < Diagnosis.collapseFraction * peak && now < Diagnosis.collapseFraction * real)
    // Measured every 25 steps, recovered after two clear measurements: collapses are ≥ 70 steps apart.
    for (a, b) in zip(collapses, collapses.dropFirst()) {
      #expect(b.step - a.step >= Diagnosis.collapse.recoverySteps + Diagnosis.collapseInterval)
    }
  }

  @Test("exploding gradients: SGD at lr 10 on the toy; then the refused step says what went NaN and what to lower")
  func explodingThenNotFinite() throws {
    let interpreter = Interpreter()
    let found = try findings(Self.ring + "\noptimizer sgd lr=10\nstep 7", in: interpreter)
    #expect(found.map(\.diagnosis) == [.explodingGradients])
    guard case .explodingGradients(let role, let norm) = found.first?.evidence else { return }
    #expect(role == .discriminator && norm > Diagnosis.explodingNorm)
    do {
      try run("step", in: interpreter)
      Issue.record("step 8 trained on")
    } catch {
      #expect(
        error.message.hasPrefix(
          "the generator's loss (the updated discriminator's verdict on the fakes) became NaN or infinite at step 8"),
        "\(error.message)")
      #expect(error.message.contains("the discriminator's weights have grown to"))
      #expect(error.hint?.contains("'optimizer discriminator sgd lr=1.0 momentum=0.0'") == true, "\(error.hint ?? "")")
    }
    #expect(interpreter.state.step == 7)
  }

  @Test("a healthy run (Adam 1e-3, β1 0.5) provokes no diagnosis, and neither do the first steps of any run")
  func healthy() throws {
    #expect(try findings(Self.faces + "\noptimizer adam lr=1e-3 beta1=0.5\ntrain 300 steps").isEmpty)
    #expect(try findings(Self.ring + "\noptimizer adam lr=1e-3 beta1=0.5\ntrain 300 steps").isEmpty)
  }

  @Test("set diagnose off silences the watch and leaves the numbers as they were; show diagnoses lists the findings")
  func switchable() throws {
    let text = Self.ring + "\noptimizer discriminator adam lr=1e-7\noptimizer generator adam lr=0.01\nstep 80"
    let on = Interpreter()
    let off = Interpreter()
    #expect(try findings(text, in: on).count == 1)
    #expect(try findings("set diagnose off\n" + text, in: off).isEmpty)
    #expect(withoutTimes(on.state.history) == withoutTimes(off.state.history))
    let shown = try run("show diagnoses", in: on).compactMap {
      if case .diagnoses(let all) = $0 { return all }
      return nil
    }
    #expect(shown == [on.state.watch.fired] && on.state.watch.fired.count == 1)
  }

  @Test(
    "a new generator starts a new episode: after reset the same run is named again, and only its findings are listed")
  func newGeneratorStartsOver() throws {
    let interpreter = Interpreter()
    let text = Self.ring + "\noptimizer discriminator adam lr=1e-7\noptimizer generator adam lr=0.01\nstep 80"
    #expect(try findings(text, in: interpreter).map(\.step) == [70])
    #expect(try findings("step 30", in: interpreter).isEmpty, "still the same episode")
    #expect(try findings("reset\n" + text, in: interpreter).map(\.step) == [70])
    #expect(interpreter.state.watch.fired.map(\.step) == [70], "reset forgets the findings of the training it forgets")
  }

  @Test("on the toys, collapse is measured in modes covered by the fixed-noise points")
  func toyMeasure() throws {
    let interpreter = Interpreter()
    try run(Self.ring + "\nstep 2", in: interpreter)
    guard case .modes(let covered, let of) = SampleSpread.measure(in: interpreter.state) else {
      Issue.record("not measured in modes")
      return
    }
    #expect(of == 8 && (0...8).contains(covered))
  }

  @Test("the spread is the mean pairwise RMS distance")
  func spread() {
    // Three samples of 2 elements: pairs (0,0)-(3,4): √(25/2); (0,0)-(0,0): 0; (3,4)-(0,0): √(25/2).
    let x = Tensor(shape: Shape(3, 2), values: [0, 0, 3, 4, 0, 0])
    #expect(abs(SampleSpread.meanPairwiseDistance(x) - 2 * (12.5 as Float).squareRoot() / 3) < 1e-6)
  }

  @Test("set diagnose takes on or off, and Tab offers them")
  func setting() throws {
    #expect(Completion.candidates(line: "set diagnose ", insideBlock: false) == ["on", "off"])
    let interpreter = Interpreter()
    try run("set diagnose off", in: interpreter)
    #expect(!interpreter.state.diagnose)
    do {
      try run("set diagnose of", in: interpreter)
      Issue.record("no error")
    } catch {
      #expect(error.description == "t.gan:1:14: error: invalid diagnose 'of': expected on or off (did you mean 'on'?)")
    }
  }
}
