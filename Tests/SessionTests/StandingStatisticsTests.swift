import Foundation
import Layers
import Tensors
import TestSupport
import Testing

@testable import Session

/// The moving average's BatchNorm statistics, re-estimated for its own weights before it is
/// shown (`GeneratorAverage.standStatistics`).
@Suite("Standing statistics of the moving average")
struct StandingStatisticsTests {
  static func buffers(_ network: Sequential) -> [[Float]] { network.namedBuffers.map(\.value.values) }

  /// Per channel, the mean over `standingBatches` batches of the batch mean and unbiased
  /// variance of layer `index`'s input, computed on a copy of `network` through
  /// `Sequential.forward(through:)`, one layer at a time.
  static func reference(_ network: Sequential, index: Int, batch: Int) -> (mean: [Double], variance: [Double]) {
    let copy = GeneratorAverage.copy(network)
    for (c, w) in zip(copy.namedParameters, network.namedParameters) { c.parameter.value.assign(w.parameter.value) }
    let noise = RandomSource(seed: GeneratorAverage.standingSeed)
    let z = Tensor(zeros: network.inputShape.batched(batch))
    let c = network.layers[index].inputShape.dims.last!
    var (mean, variance) = ([Double](repeating: 0, count: c), [Double](repeating: 0, count: c))
    for _ in 0..<GeneratorAverage.standingBatches {
      noise.fillNormal(z.buffer, mean: 0, std: 1)
      let values = copy.forward(z, mode: .training(RandomSource(seed: 1)), through: index).values
      let rows = values.count / c
      for j in 0..<c {
        let column = (0..<rows).map { Double(values[$0 * c + j]) }
        let mu = column.reduce(0, +) / Double(rows)
        mean[j] += mu / Double(GeneratorAverage.standingBatches)
        variance[j] +=
          column.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(rows - 1)
          / Double(GeneratorAverage.standingBatches)
      }
    }
    return (mean, variance)
  }

  @Test(
    "shown, the average's BatchNorm layers hold the mean of 8 batches' means and unbiased variances under its weights")
  func estimate() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nset ema 0.5\nstep 3", in: interpreter)
    let state = interpreter.state
    let average = state.averaged!.network
    #expect(Self.buffers(average) == Self.buffers(state.networks[.generator]!))  // copied from G at the update
    let expected = [2, 5].map { Self.reference(average, index: $0, batch: state.batch) }
    #expect(state.viewedGenerator === average)
    let norms = average.layers.compactMap { $0 as? BatchNorm }
    #expect(norms.count == 2)
    for (norm, (mean, variance)) in zip(norms, expected) {
      for j in mean.indices {
        #expect(abs(Double(norm.runningMean[j]) - mean[j]) <= 1e-4 * abs(mean[j]) + 1e-7, "mean \(j)")
        #expect(abs(Double(norm.runningVariance[j]) - variance[j]) <= 1e-4 * variance[j] + 1e-7, "variance \(j)")
      }
    }
    #expect(Self.buffers(average) != Self.buffers(state.networks[.generator]!))
  }

  @Test("the statistics stand until G's next update, then are estimated again; training never reads them")
  func staleness() throws {
    let viewed = Interpreter()
    try run(tinyGAN + "\nset ema 0.5\nstep 2\nsample 8 \"\(temporaryFolder())/a.png\"\nstep 2", in: viewed)
    #expect(Self.buffers(viewed.state.averaged!.network) == Self.buffers(viewed.state.networks[.generator]!))
    let straight = Interpreter()
    try run(tinyGAN + "\nset ema 0.5\nstep 4", in: straight)
    #expect(withoutTimes(viewed.state.history) == withoutTimes(straight.state.history))
    #expect(
      GeneratorAverageTests.weights(viewed.state.averaged!.network)
        == GeneratorAverageTests.weights(straight.state.averaged!.network))
    #expect(try GeneratorAverageTests.picture(viewed) == GeneratorAverageTests.picture(straight))
  }

  @Test("a new batch size estimates them again; spectral normalisation's vectors are left as they were")
  func batchAndOtherBuffers() throws {
    let interpreter = Interpreter()
    let withSN = tinyGAN.replacingOccurrences(
      of: "deconv 4 kernel=4 stride=2 padding=1", with: "deconv 4 kernel=4 stride=2 padding=1 sn")
    #expect(withSN != tinyGAN)
    try run(withSN + "\nset ema 0.5\nstep 2", in: interpreter)
    let state = interpreter.state
    let average = state.averaged!.network
    let others = { average.layers.filter { !($0 is BatchNorm) }.flatMap(\.buffers).map(\.value.values) }
    let before = others()
    #expect(!before.isEmpty)
    _ = state.viewedGenerator
    #expect(others() == before)
    let at8 = Self.buffers(average)
    state.batch = 4
    _ = state.viewedGenerator
    let norm = average.layers[2] as! BatchNorm
    let expected = Self.reference(average, index: 2, batch: 4).mean
    #expect(Self.buffers(average) != at8)
    #expect(
      zip(expected, (0..<norm.runningMean.count).map { norm.runningMean[$0] }).allSatisfy {
        abs($0 - Double($1)) <= 1e-4 * abs($0) + 1e-7
      })
  }

  @Test("drawing and scoring with each batch's own statistics (mode=train) do not pay for the estimate")
  func batchStatisticsSkipEstimate() throws {
    let interpreter = Interpreter()
    let folder = temporaryFolder()
    try run(
      tinyGAN + "\nset ema 0.5\nstep 2\nsample 8 \"\(folder)/a.png\" mode=train\neval swd count=16 mode=train",
      in: interpreter)
    let state = interpreter.state
    let average = state.averaged!.network
    #expect(state.averaged!.standingBatch == nil)
    #expect(Self.buffers(average) == Self.buffers(state.networks[.generator]!))
    try run("sample 8 \"\(folder)/b.png\"", in: interpreter)
    #expect(state.averaged!.standingBatch == state.batch)
    #expect(Self.buffers(average) != Self.buffers(state.networks[.generator]!))
  }

  @Test("save writes the standing statistics; the loaded session shows the same picture")
  func saveLoad() throws {
    let folder = temporaryFolder()
    let first = Interpreter()
    try run(tinyGAN + "\nset ema 0.5\nstep 3\nsave \"\(folder)/run\"", in: first)
    let saved = Self.buffers(first.state.averaged!.network)
    #expect(saved != Self.buffers(first.state.networks[.generator]!))
    let second = Interpreter()
    try run("load \"\(folder)/run\"", in: second)
    #expect(Self.buffers(second.state.averaged!.network) == saved)
    #expect(try GeneratorAverageTests.picture(second) == GeneratorAverageTests.picture(first))
  }
}
