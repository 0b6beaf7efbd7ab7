import Foundation
import Layers
import Tensors
import TestSupport
import Testing

@testable import Session

/// `set ema-warmup K layers=A..B`: some of the generator's layers averaged with their own K.
@Suite("Moving average warm-up per layer")
struct LayerWarmUpTests {
  /// tinyGAN's generator: 0 dense, 1 reshape, 2 batchnorm, 3 relu, 4 deconv, 5 batchnorm,
  /// 6 relu, 7 deconv, 8 tanh.
  static let ownLayers: Set<Int> = [0, 1, 2]

  @Test("layers 0..2 at K = 2 are the plain mean of G's weights; the others follow K = 10's rule")
  func knownAnswer() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1\nset ema 0.99999\nset ema-warmup 2 layers=0..2", in: interpreter)
    let state = interpreter.state
    let g = state.networks[.generator]!
    let layerOf = g.namedParameters.map { Int($0.name.split(separator: ".")[0])! }
    var seen = [GeneratorAverageTests.weights(g)]
    for _ in 0..<5 {
      try run("step 1", in: interpreter)
      seen.append(GeneratorAverageTests.weights(g))
    }
    let got = GeneratorAverageTests.weights(state.averaged!.network)
    #expect(Set(layerOf).isSuperset(of: [0, 2, 4, 5, 7]))
    for (k, average) in got.enumerated() {
      let expected: [Float]
      if Self.ownLayers.contains(layerOf[k]) {
        expected = (0..<average.count).map { i in
          Float(seen.map { Double($0[k][i]) }.reduce(0, +) / Double(seen.count))
        }
      } else {
        // θ_avg ← d_t · θ_avg + (1 − d_t) · θ, d_t = (1 + t) / (10 + t), from G's weights.
        var a = seen[0][k].map(Double.init)
        for t in 0..<5 {
          let d = Double(1 + t) / Double(10 + t)
          a = zip(a, seen[t + 1][k]).map { d * $0 + (1 - d) * Double($1) }
        }
        expected = a.map(Float.init)
      }
      let c = compare(
        Tensor(shape: Shape(average.count), values: average), Tensor(shape: Shape(expected.count), values: expected),
        tolerance: 1e-5)
      #expect(c.passes, "tensor \(k) (layer \(layerOf[k])): \(c)")
    }
    // Neither rule alone gives this average.
    for k: Float in [2, 10] {
      let one = Interpreter()
      try run(tinyGAN + "\nstep 1\nset ema 0.99999\nset ema-warmup \(Rule.text(k))\nstep 5", in: one)
      #expect(GeneratorAverageTests.weights(one.state.averaged!.network) != got, "K = \(k) everywhere")
    }
  }

  @Test("save and load keep the layers' K and training on gives the same average; edited ones are refused by name")
  func saveLoad() throws {
    let folder = temporaryFolder()
    let setUp = tinyGAN + "\nset ema 0.99\nset ema-warmup 3 layers=0..2\nset ema-warmup 5 layers=4"
    let straight = Interpreter()
    try run(setUp + "\nstep 6", in: straight)
    let first = Interpreter()
    try run(setUp + "\nstep 3\nsave \"\(folder)/run\"", in: first)
    let second = Interpreter()
    try run("load \"\(folder)/run\"", in: second)
    // Layer 1 (reshape) has no weights and takes no K.
    #expect(second.state.emaLayerWarmUps == [0: 3, 2: 3, 4: 5])
    #expect(second.state.averaged!.layerWarmUps == [0: 3, 2: 3, 4: 5])
    try run("step 3", in: second)
    let weights = GeneratorAverageTests.weights
    #expect(weights(second.state.averaged!.network) == weights(straight.state.averaged!.network))

    let json = "\(folder)/run/session.json"
    let text = try String(contentsOfFile: json, encoding: .utf8)
    #expect(text.contains("\"emaWarmUpLayers\""), "\(text)")
    for (from, to, words) in [
      ("\"4\" : 5", "\"4\" : 1", "emaWarmUpLayers.4 is 1"), ("\"4\" : 5", "\"x\" : 5", "emaWarmUpLayers is \"x\""),
      ("\"4\" : 5", "\"9\" : 5", "emaWarmUpLayers is \"9\", expected indices of the generator's 9 layers (0 to 8)"),
      ("\"4\" : 5", "\"00\" : 5", "emaWarmUpLayers is \"00\""),
    ] {
      let edited = text.replacingOccurrences(of: from, with: to)
      #expect(edited != text, "\(from) in \(text)")
      try edited.write(toFile: json, atomically: true, encoding: .utf8)
      do {
        try run("load \"\(folder)/run\"", in: Interpreter())
        Issue.record("a session with \(to) loaded")
      } catch {
        #expect(error.description.contains(words), "\(error)")
      }
    }
    try text.write(toFile: json, atomically: true, encoding: .utf8)

    // A reset session keeps the setting and loads again; a generator defined later takes it
    // by layer number, dropping what lies past its last layer.
    try run("reset\nsave \"\(folder)/reset\"", in: first)
    let afterReset = Interpreter()
    try run("load \"\(folder)/reset\"", in: afterReset)
    #expect(afterReset.state.emaLayerWarmUps == [0: 3, 2: 3, 4: 5])
    let events = "\(try run("generator\n  dense 16*16*3\n  reshape 16x16x3\n  batchnorm\n  tanh\nend", in: afterReset))"
    #expect(events.contains("goes by layer number: now 3 for layers 0, 2 for this generator"), "\(events)")
    #expect(afterReset.state.emaLayerWarmUps == [0: 3, 2: 3])

    // K for every layer drops the layers' own, and a session without them omits the key.
    try run("set ema-warmup 10\nsave \"\(folder)/plain\"", in: second)
    #expect(second.state.emaLayerWarmUps.isEmpty)
    #expect(!(try String(contentsOfFile: "\(folder)/plain/session.json", encoding: .utf8)).contains("emaWarmUpLayers"))
  }

  @Test("set ema-warmup … layers= says what it changes, show settings lists it, bad input is refused where it is")
  func wordsAndErrors() throws {
    let empty = Interpreter()
    do {
      try run("set ema-warmup 3 layers=0..1", in: empty)
      Issue.record("layers= before a generator was accepted")
    } catch {
      #expect(error.description.contains("no generator yet") && error.description.contains("summary generator"))
      #expect(error.location?.column == 18)
    }
    let interpreter = Interpreter()
    try run(tinyGAN + "\nset ema 0.999", in: interpreter)
    var events = "\(try run("set ema-warmup 3 layers=0..1", in: interpreter))"
    #expect(events.contains("ema-warmup 3 for the weights of layer 0 (dense 128)"), "\(events)")
    #expect(events.contains("which reach ema 0.999 at update 1997; now ema-warmup 10; 3 for layer 0"), "\(events)")
    events = "\(try run("set ema-warmup 4 layers=3", in: interpreter))"
    #expect(events.contains("ema-warmup 4: layer 3 has no weights to average; nothing changes"), "\(events)")
    try run("set ema-warmup 5 layers=4..5", in: interpreter)
    #expect(interpreter.settingsTable().contains { $0 == ("ema-warmup", "10; 3 for layer 0; 5 for layers 4..5") })
    for (line, words, column) in [
      ("set ema-warmup 3 layers=1..0", "from the lower index to the higher", 18),
      ("set ema-warmup 3 layers=first", "a layer index or a range of them", 18),
      ("set ema-warmup 3 layers=0:2", "both ends included: Python's 0:2 is 0..1 here", 18),
      ("set ema-warmup 3 layers=0..9", "indices of the generator's 9 layers, 0 to 8", 18),
      ("set ema-warmup 1 layers=0", "expected a number from 2 to 1000", 16),
      ("set seed 3 layers=0", "'layers' does not apply to set seed", 12),
    ] {
      do {
        try run(line, in: interpreter)
        Issue.record("\(line) was accepted")
      } catch {
        #expect(error.description.contains(words), "\(line): \(error.description)")
        #expect(error.location?.column == column, "\(line): \(error.location.map { "\($0)" } ?? "nowhere")")
      }
    }
    #expect(interpreter.state.emaLayerWarmUps == [0: 3, 4: 5, 5: 5])
    #expect(Completion.candidates(line: "set ema-warmup 3 ", insideBlock: false)?.contains("layers=") == true)
    #expect(Completion.candidates(line: "set seed 3 ", insideBlock: false)?.contains("layers=") != true)
    events = "\(try run("set ema-warmup 6", in: interpreter))"
    #expect(
      events.contains("ema-warmup 6 for every layer (the layers")
        && events.contains("own dropped: 3 for layer 0; 5 for layers 4..5)"),
      "\(events)")
    #expect(interpreter.state.emaLayerWarmUps.isEmpty)
  }
}
