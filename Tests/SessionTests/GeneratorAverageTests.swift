import Foundation
import Layers
import Tensors
import TestSupport
import Testing

@testable import Session

/// `set ema`: the generator's moving average, what shows it, and how it is saved.
@Suite("Generator moving average")
struct GeneratorAverageTests {
  static func weights(_ network: Sequential) -> [[Float]] { network.namedParameters.map(\.parameter.value.values) }

  static func picture(_ interpreter: Interpreter) throws -> [UInt8] {
    try Sampling.generated(8, fresh: false, batchStatistics: false, in: interpreter.state).image.pixels
  }

  @Test("each G step: average ← d · average + (1 − d) · weights, d = min(decay, (1 + t) / (10 + t)); D steps leave it")
  func byHand() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1\nset ema 0.2", in: interpreter)
    let state = interpreter.state
    let g = state.networks[.generator]!
    var expected = Self.weights(g)  // the average begins at G's weights
    #expect(Self.weights(state.averaged!.network) == expected)
    // The warm-up's 0.1 and 0.1818…, then the decay itself: (1 + 2) / 12 = 0.25 > 0.2.
    for d: Float in [1.0 / 10, 2.0 / 11, 0.2, 0.2] {
      #expect(state.averaged!.currentDecay == d)
      try run("step 1", in: interpreter)
      expected = zip(expected, Self.weights(g)).map { average, raw in
        zip(average, raw).map { d * $0 + (1 - d) * $1 }
      }
      let got = Self.weights(state.averaged!.network)
      for (a, e) in zip(got, expected) {
        let c = compare(
          Tensor(shape: Shape(a.count), values: a), Tensor(shape: Shape(e.count), values: e), tolerance: 1e-6)
        #expect(c.passes, "\(c)")
      }
      #expect(state.averaged!.network.namedBuffers.map(\.value.values) == g.namedBuffers.map(\.value.values))
    }
    let before = Self.weights(state.averaged!.network)
    try run("step d 1", in: interpreter)
    #expect(Self.weights(state.averaged!.network) == before)
    #expect(Self.weights(state.averaged!.network) != Self.weights(g))
  }

  @Test("sample shows the average; training is untouched; 'set ema off' shows G's own weights again")
  func sampleUsesAverage() throws {
    let plain = Interpreter()
    try run(tinyGAN + "\nstep 4", in: plain)
    let averaged = Interpreter()
    try run(tinyGAN + "\nset ema 0.5\nstep 4", in: averaged)
    #expect(withoutTimes(plain.state.history) == withoutTimes(averaged.state.history))
    #expect(averaged.state.viewedGenerator === averaged.state.averaged?.network)
    #expect(try Self.picture(averaged) != Self.picture(plain))
    try run("set ema off", in: averaged)
    #expect(averaged.state.viewedGenerator === averaged.state.networks[.generator])
    #expect(try Self.picture(averaged) == Self.picture(plain))
  }

  @Test("save and load keep the average; training on gives the same average as never stopping")
  func saveLoad() throws {
    let folder = temporaryFolder()
    let straight = Interpreter()
    try run(tinyGAN + "\nset ema 0.9\nstep 6", in: straight)
    let first = Interpreter()
    try run(tinyGAN + "\nset ema 0.9\nstep 3\nsave \"\(folder)/run\"", in: first)
    let second = Interpreter()
    try run("load \"\(folder)/run\"", in: second)
    #expect(second.state.emaDecay == 0.9)
    #expect(Self.weights(second.state.averaged!.network) == Self.weights(first.state.averaged!.network))
    #expect(second.state.averaged!.updates == 3)
    try run("step 3", in: second)
    #expect(Self.weights(second.state.averaged!.network) == Self.weights(straight.state.averaged!.network))

    // A session saved before the warm-up existed (no emaUpdates) goes on with the decay alone.
    let json = "\(folder)/run/session.json"
    let text = try String(contentsOfFile: json, encoding: .utf8)
    #expect(text.contains("\"emaUpdates\""))
    try text.replacingOccurrences(of: "\"emaUpdates\"", with: "\"emaUpdatesUnknown\"")
      .write(toFile: json, atomically: true, encoding: .utf8)
    let old = Interpreter()
    try run("load \"\(folder)/run\"", in: old)
    #expect(old.state.averaged!.updates == nil && old.state.averaged!.currentDecay == 0.9)

    // A session saved without the average loads with it off, over one that had it on.
    let without = Interpreter()
    try run(tinyGAN + "\nstep 1\nsave \"\(folder)/plain\"", in: without)
    try run("load \"\(folder)/plain\" discard", in: second)
    #expect(second.state.emaDecay == nil && second.state.averaged == nil)
    #expect(second.state.viewedGenerator === second.state.networks[.generator])
  }

  @Test("a saved count of the average's updates beyond the session's steps is refused by name; nothing changes")
  func updatesBeyondSteps() throws {
    let folder = temporaryFolder()
    try run(tinyGAN + "\nset ema 0.9\nstep 3\nsave \"\(folder)/run\"", in: Interpreter())
    let json = "\(folder)/run/session.json"
    let text = try String(contentsOfFile: json, encoding: .utf8)
    let edited = text.replacingOccurrences(of: "\"emaUpdates\" : 3", with: "\"emaUpdates\" : 99")
    #expect(edited != text)
    try edited.write(toFile: json, atomically: true, encoding: .utf8)
    let interpreter = Interpreter()
    do {
      try run("load \"\(folder)/run\"", in: interpreter)
      Issue.record("a session whose average counts 99 updates in 3 steps loaded")
    } catch {
      #expect(error.description.contains("emaUpdates is 99, expected a whole number from 0 to 3"), "\(error)")
    }
    #expect(interpreter.state.networks.isEmpty && interpreter.state.emaDecay == nil)
  }

  @Test(
    "the warm-up ends at the first update whose decay is the one set: 80 for 0.9, 8,990 for 0.999 (counting from 0)")
  func warmUpEnd() throws {
    let interpreter = Interpreter()
    try run(tinyGAN, in: interpreter)
    let g = interpreter.state.networks[.generator]!
    for (decay, end) in [(Float(0.9), 80), (0.999, 8990), (0.9995, 17_989), (0.1, 0), (0.5, 8)] {
      let average = GeneratorAverage(of: g, decay: decay)
      #expect(average.warmUpUpdates == end, "\(decay)")
      let rule = { (t: Int) in min(decay, Float(1 + t) / Float(10 + t)) }
      #expect(rule(end) == decay && (end == 0 || rule(end - 1) < decay), "\(decay)")
    }
    let events = try run("set ema 0.999", in: interpreter)
    #expect("\(events)".contains("0.999 itself from update 8990 on"), "\(events)")
  }

  @Test("a decay out of range or a word other than off is refused at its column")
  func badValues() {
    for (line, words) in [
      ("set ema 1.5", "expected a number from 0 to 0.99999"), ("set ema of", "did you mean 'off'?"),
    ] {
      do {
        try run(line, in: Interpreter())
        Issue.record("\(line) was accepted")
      } catch {
        #expect(error.description.contains(words), "\(line): \(error.description)")
        #expect(error.location?.column == 9, "\(line)")
      }
    }
  }
}
