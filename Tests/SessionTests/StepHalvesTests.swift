import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// `step d`, `step g`, `explain step` and `show gradients`: what each half changes and what
/// it leaves bit for bit, what the history records, and the gradient norms.
@Suite("Step halves and gradients")
struct StepHalvesTests {
  /// Every weight of `role`'s network, in parameter order.
  func weights(_ role: NetworkRole, _ interpreter: Interpreter) -> [[Float]] {
    interpreter.state.networks[role]!.namedParameters.map(\.parameter.value.values)
  }

  /// After two full steps of `tinyGAN`, runs `command`: the session, and which networks' weights changed.
  func changes(by command: String) throws -> (state: SessionState, generator: Bool, discriminator: Bool) {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 2", in: interpreter)
    let (g, d) = (weights(.generator, interpreter), weights(.discriminator, interpreter))
    try run(command, in: interpreter)
    return (interpreter.state, weights(.generator, interpreter) != g, weights(.discriminator, interpreter) != d)
  }

  @Test("step d trains D alone: G's weights and optimiser untouched, one real batch consumed")
  func discriminatorOnly() throws {
    let (state, generator, discriminator) = try changes(by: "step d 3")
    #expect(!generator && discriminator)
    #expect(state.trainedSteps(.generator) == 2 && state.trainedSteps(.discriminator) == 5)
    #expect(state.step == 5 && state.batchInEpoch == 0 && state.epoch == 2, "5 batches of an epoch of 5")
    #expect(state.history.suffix(3).allSatisfy { $0.kind == .discriminator && $0.gradientNormG == nil })
    #expect(state.history.suffix(3).allSatisfy { $0.lossD > 0 && $0.lossG == 0 && ($0.gradientNormD ?? 0) > 0 })
  }

  @Test("step g trains G alone: D's weights and optimiser untouched, no real batch consumed")
  func generatorOnly() throws {
    let (state, generator, discriminator) = try changes(by: "step g 2")
    #expect(generator && !discriminator)
    #expect(state.trainedSteps(.generator) == 4 && state.trainedSteps(.discriminator) == 2)
    #expect(state.step == 4 && state.batchInEpoch == 2, "the epoch stays at batch 2")
    #expect(state.history.suffix(2).map(\.kind) == [.generator, .generator])
    #expect(state.history.suffix(2).allSatisfy { $0.lossG > 0 && $0.lossD == 0 && $0.gradientNormD == nil })
  }

  @Test("the full step's D half is step d: the same batch and noise give D the same numbers and weights")
  func fullStepBeginsWithTheDiscriminatorHalf() throws {
    let (whole, half) = (Interpreter(), Interpreter())
    try run(tinyGAN + "\nstep 2", in: whole)
    try run(tinyGAN + "\nstep 2", in: half)
    let real = Tensor.randomUniform(Shape(8, 16, 16, 3), low: -1, high: 1, using: RandomSource(seed: 5))
    let a = try whole.readyTrainer().step(
      real: real, noiseSource: RandomSource(seed: 6), dropout: RandomSource(seed: 7), step: 3)
    let b = try half.readyTrainer().discriminatorStep(
      real: real, noiseSource: RandomSource(seed: 6), dropout: RandomSource(seed: 7), step: 3)
    #expect(a.lossD == b.lossD && a.dReal == b.dReal && a.dFake == b.dFake)
    #expect(a.lossReal == b.lossReal && a.lossFake == b.lossFake)
    #expect(a.norms[.discriminator] == b.norms[.discriminator])
    #expect(weights(.discriminator, whole) == weights(.discriminator, half))
    #expect(weights(.generator, whole) != weights(.generator, half), "only the full step updated G")
  }

  @Test("gradient norms are √Σg² over each layer's parameters and over the network, after the update")
  func norms() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1", in: interpreter)
    for role in NetworkRole.allCases {
      let network = interpreter.state.networks[role]!
      let norms = try #require(interpreter.state.measured.norms(role, of: network))
      #expect(norms.step == 1)
      #expect(norms.layers.map(\.index) == network.layers.indices.filter { !network.layers[$0].parameters.isEmpty })
      var total = 0.0
      for layer in norms.layers {
        let squares = network.layers[layer.index].parameters.flatMap(\.gradient.values).map { Double($0) * Double($0) }
        let weights = network.layers[layer.index].parameters.flatMap(\.value.values).map { Double($0) * Double($0) }
        #expect(abs(layer.gradientNorm - squares.reduce(0, +).squareRoot()) <= 1e-9 * max(1, layer.gradientNorm))
        #expect(abs(layer.weightNorm - weights.reduce(0, +).squareRoot()) <= 1e-9 * max(1, layer.weightNorm))
        total += squares.reduce(0, +)
      }
      #expect(abs(norms.gradientNorm - total.squareRoot()) <= 1e-9 * max(1, norms.gradientNorm))
      let recorded =
        role == .generator ? interpreter.state.history[0].gradientNormG : interpreter.state.history[0].gradientNormD
      #expect(recorded == Float(norms.gradientNorm))
    }
  }

  /// The norms `show gradients` reports, per network.
  func shownNorms(_ text: String, in interpreter: Interpreter) throws -> [NetworkRole: GradientNorms?] {
    let events = try run(text, in: interpreter)
    for case .gradients(let rows) in events {
      return Dictionary(uniqueKeysWithValues: rows.map { ($0.role, $0.norms) })
    }
    Issue.record("no gradients event")
    return [:]
  }

  @Test("show gradients: none before a step and after a load; a half step updates only its network's")
  func showGradients() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN, in: interpreter)
    #expect(try shownNorms("show gradients", in: interpreter).values.allSatisfy { $0 == nil })
    try run("step d\nsave \"\(folder)/run\"", in: interpreter)
    var shown = try shownNorms("show gradients", in: interpreter)
    #expect(shown[.discriminator]??.step == 1 && shown[.generator]! == nil)
    shown = try shownNorms("step g\nshow gradients", in: interpreter)
    #expect(shown[.discriminator]??.step == 1 && shown[.generator]??.step == 2)
    let loaded = Interpreter()
    #expect(try shownNorms("load \"\(folder)/run\"\nshow gradients", in: loaded).values.allSatisfy { $0 == nil })
    #expect(loaded.state.history.map(\.kind) == [.discriminator], "the history keeps the kind")
  }

  @Test("explain step runs one full step and reports it with D's loss in its two parts")
  func explain() throws {
    let interpreter = Interpreter()
    let events = try run(tinyGAN + "\nexplain step", in: interpreter)
    let explained = events.compactMap { if case .explainedStep(let e) = $0 { e } else { nil } }
    #expect(explained.count == 1)
    #expect(!events.contains { if case .step = $0 { true } else { false } })
    let e = try #require(explained.first)
    #expect(e.stats == interpreter.state.history.last && e.stats.kind == .full)
    #expect(e.realCount == 8 && e.fakeCount == 8 && !e.points)
    #expect(abs((e.lossReal + e.lossFake) / 2 - e.stats.lossD) < 1e-6)
    #expect(abs(e.undecidedLoss - Float(M_LN2)) < 1e-7, "mean BCE of a D that says 0.5: ln 2")
    #expect(e.norms.keys.count == 2)
  }

  @Test("step d, step g and explain step read their words, and say what they take")
  func words() {
    #expect(throws: Never.self) { try parse("step d\nstep g 3\nstep discriminator 2\nexplain step\nshow gradients") }
    #expect(parseError("step x").contains("'d' (discriminator only) or 'g' (generator only)"))
    #expect(parseError("step dd").contains("did you mean 'd'?"))
    #expect(parseError("step d 0").contains("t.gan:1:8"))
    #expect(parseError("explain stp").contains("did you mean 'step'?"))
    #expect(parseError("explain").contains("missing what to explain"))
    #expect(
      parseError("explain train")
        == "t.gan:1:9: error: invalid what to explain 'train': expected 'step': explain runs one training step and"
        + " tells it; 'train' then 'plot' shows a run, and 'help concepts' lists the ideas explained")
    #expect(
      parseError("set lr 0.1")
        == "t.gan:1:5: error: 'lr' is not a setting: it is the optimiser's\n  hint: write 'optimizer adam lr=0.1' (or"
        + " sgd) for both networks, or 'optimizer generator adam lr=0.1' for one; options left out take their defaults"
        + " ('help optimizer')")
    #expect(parseError("set momentum 0.9").contains("'optimizer sgd momentum=0.9'"))
    #expect(Completion.candidates(line: "step ", insideBlock: false) == ["d", "g"])
    #expect(Completion.candidates(line: "explain ", insideBlock: false) == ["step"])
  }

  @Test(
    "averages over step d and step g count each number over the steps that measured it, never a 0 for the other half")
  func averagesOfHalves() {
    func stats(_ kind: StepKind, lossD: Float, lossG: Float) -> StepStats {
      var s = StepStats(
        step: 1, epoch: 1, batch: 1, batchesPerEpoch: 4, lossD: lossD, lossG: lossG, dReal: 0.8, dFake: 0.2,
        dFakeAfter: 0.3, seconds: 0.1)
      s.kind = kind
      return s
    }
    var onlyD = StepAverages()
    onlyD.add(stats(.discriminator, lossD: 0.75, lossG: 0), images: 8)
    onlyD.add(stats(.discriminator, lossD: 0.25, lossG: 0), images: 8)
    #expect(onlyD.mean.lossD == 0.5 && onlyD.mean.lossG == nil && onlyD.mean.dFakeAfter == nil)
    var mixed = StepAverages()
    mixed.add(stats(.discriminator, lossD: 0.5, lossG: 0), images: 8)
    mixed.add(stats(.generator, lossD: 0, lossG: 2), images: 8)
    mixed.add(stats(.full, lossD: 0.25, lossG: 1), images: 8)
    #expect(mixed.steps == 3 && mixed.mean.lossD == 0.375 && mixed.mean.lossG == 1.5)
    #expect(abs(mixed.mean.dReal! - 0.8) < 1e-6 && abs(mixed.mean.dFakeAfter! - 0.3) < 1e-6)
  }
}
