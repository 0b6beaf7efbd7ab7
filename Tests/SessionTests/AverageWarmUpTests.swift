import Foundation
import Layers
import Tensors
import TestSupport
import Testing

@testable import Session

/// `set ema-warmup K`: the moving average's warm-up d_t = min(decay, (1 + t) / (K + t)).
@Suite("Moving average warm-up")
struct AverageWarmUpTests {
  static let weights = GeneratorAverageTests.weights

  @Test("K = 2 makes the average the plain mean of G's weights where it began and after each update")
  func plainMean() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1\nset ema 0.99999\nset ema-warmup 2", in: interpreter)
    let state = interpreter.state
    let g = state.networks[.generator]!
    var seen = [Self.weights(g)]
    for _ in 0..<5 {
      try run("step 1", in: interpreter)
      seen.append(Self.weights(g))
    }
    let got = Self.weights(state.averaged!.network)
    for (k, average) in got.enumerated() {
      let mean = (0..<average.count).map { i in seen.map { Double($0[k][i]) }.reduce(0, +) / Double(seen.count) }
      let c = compare(
        Tensor(shape: Shape(average.count), values: average),
        Tensor(shape: Shape(mean.count), values: mean.map(Float.init)), tolerance: 1e-5)
      #expect(c.passes, "tensor \(k): \(c)")
    }
    #expect(state.averaged!.updates == 5 && state.averaged!.warmUp == 2)
  }

  @Test("the decay is reached at the first update the rule gives it, for any K and decay")
  func warmUpEnd() throws {
    let interpreter = Interpreter()
    try run(tinyGAN, in: interpreter)
    let g = interpreter.state.networks[.generator]!
    for (decay, k, end) in [
      (Float(0.999), Float(10), 8990), (0.9, 10, 80), (0.999, 4, 2996), (0.99, 2, 98), (0.5, 2.5, 1), (0.1, 1000, 110),
    ] {
      let average = GeneratorAverage(of: g, decay: decay, warmUp: k)
      #expect(average.warmUpUpdates == end, "\(decay), K \(k)")
      var t = 0
      while average.decay(at: t) < decay { t += 1 }
      #expect(t == end, "\(decay), K \(k): counted \(t)")
    }
    // The longest allowed: about 10⁸ updates, found without counting them.
    let longest = GeneratorAverage(of: g, decay: 0.99999, warmUp: 1000)
    let end = longest.warmUpUpdates
    #expect(end > 99_000_000 && longest.decay(at: end) == 0.99999 && longest.decay(at: end - 1) < 0.99999)
  }

  @Test("save and load keep K and training on gives the same average; a session without it warms up with 10")
  func saveLoad() throws {
    let folder = temporaryFolder()
    let straight = Interpreter()
    try run(tinyGAN + "\nset ema 0.99\nset ema-warmup 3\nstep 6", in: straight)
    let first = Interpreter()
    try run(tinyGAN + "\nset ema 0.99\nset ema-warmup 3\nstep 3\nsave \"\(folder)/run\"", in: first)
    let second = Interpreter()
    try run("load \"\(folder)/run\"", in: second)
    #expect(second.state.emaWarmUp == 3 && second.state.averaged!.warmUp == 3)
    try run("step 3", in: second)
    #expect(Self.weights(second.state.averaged!.network) == Self.weights(straight.state.averaged!.network))
    let tenFirst = Interpreter()
    try run(tinyGAN + "\nset ema 0.99\nstep 6", in: tenFirst)
    #expect(Self.weights(tenFirst.state.averaged!.network) != Self.weights(straight.state.averaged!.network))

    let json = "\(folder)/run/session.json"
    let text = try String(contentsOfFile: json, encoding: .utf8)
    let edited = text.replacingOccurrences(of: "\"emaWarmUp\" : 3", with: "\"emaWarmUp\" : 1")
    #expect(edited != text)
    try edited.write(toFile: json, atomically: true, encoding: .utf8)
    do {
      try run("load \"\(folder)/run\"", in: Interpreter())
      Issue.record("a session with ema-warmup 1 loaded")
    } catch {
      #expect(error.description.contains("emaWarmUp is 1"), "\(error)")
    }

    try run("set ema-warmup 10\nsave \"\(folder)/ten\"", in: second)
    #expect(!(try String(contentsOfFile: "\(folder)/ten/session.json", encoding: .utf8)).contains("emaWarmUp"))
    try run("load \"\(folder)/ten\"", in: first)
    #expect(first.state.emaWarmUp == 10)
  }

  @Test("set ema-warmup says what it does; show settings lists it; bad values are refused at their column")
  func wordsAndErrors() throws {
    let interpreter = Interpreter()
    var events = try run(tinyGAN + "\nset ema-warmup 4", in: interpreter)
    #expect("\(events)".contains("about as t^2, its mean age 1/4 of the run (with"), "\(events)")
    events = try run("set ema 0.999", in: interpreter)
    #expect("\(events)".contains("min(0.999, (1 + t) / (4 + t))") && "\(events)".contains("from update 2996 on"))
    #expect(interpreter.settingsTable().contains { $0 == ("ema-warmup", "4") })
    for (line, words) in [
      ("set ema-warmup 1", "expected a number from 2 to 1000"), ("set ema-warmup fast", "expected a number"),
    ] {
      do {
        try run(line, in: interpreter)
        Issue.record("\(line) was accepted")
      } catch {
        #expect(error.description.contains(words), "\(line): \(error.description)")
        #expect(error.location?.column == 16, "\(line)")
      }
    }
    #expect(interpreter.state.emaWarmUp == 4)
  }
}
