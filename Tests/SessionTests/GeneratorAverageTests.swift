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

  @Test("each G step: average ← decay · average + (1 − decay) · weights; a D step leaves it")
  func byHand() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1\nset ema 0.75", in: interpreter)
    let state = interpreter.state
    let g = state.networks[.generator]!
    var expected = Self.weights(g)  // the average begins at G's weights
    #expect(Self.weights(state.averaged!.network) == expected)
    for _ in 0..<3 {
      try run("step 1", in: interpreter)
      expected = zip(expected, Self.weights(g)).map { average, raw in
        zip(average, raw).map { 0.75 * $0 + (1 - 0.75) * $1 }
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
    try run("step 3", in: second)
    #expect(Self.weights(second.state.averaged!.network) == Self.weights(straight.state.averaged!.network))

    // A session saved without the average loads with it off, over one that had it on.
    let without = Interpreter()
    try run(tinyGAN + "\nstep 1\nsave \"\(folder)/plain\"", in: without)
    try run("load \"\(folder)/plain\" discard", in: second)
    #expect(second.state.emaDecay == nil && second.state.averaged == nil)
    #expect(second.state.viewedGenerator === second.state.networks[.generator])
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
