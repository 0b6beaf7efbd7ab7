import Foundation
import Layers
import Tensors

/// The training-step benchmark behind `bench`: the tutorial's and the classic DCGAN's
/// networks, built from their `NetworkRecipe`s, trained on a fixed random batch held in
/// memory (data loading excluded, as in the peers' scripts), timed step by step and layer
/// by layer, beside this machine's sgemm speed measured in the same run.
public enum BenchmarkArchitecture: String, CaseIterable, Sendable {
  /// `notebooks/celeba.gan`: batch 32.
  case tutorial
  /// `notebooks/dcgan.gan`: batch 64.
  case dcgan

  public var recipe: NetworkRecipe {
    switch self {
    case .tutorial: .tutorial
    case .dcgan: .dcgan
    }
  }
}

extension Interpreter {
  /// Runs `steps` timed training steps (after `warmup` untimed ones) of `architecture`.
  public func benchmark(_ architecture: BenchmarkArchitecture, steps: Int, warmup: Int = 2) throws(SessionError)
    -> BenchmarkReport
  {
    resetPeakResident()  // this benchmark's peak, not an earlier one's in the session
    // OpenBLAS's speed, which the report names, even under `set portable on`.
    let portable = BLAS.fixedOrder
    BLAS.fixedOrder = false
    defer { BLAS.fixedOrder = portable }
    let recipe = architecture.recipe
    let trainer = try recipe.makeTrainer(communicator: state.communicator)
    let g = trainer.generator
    let d = trainer.discriminator
    let low: Float = recipe.range == .unit ? 0 : -1
    trainer.share = state.communicator.share(of: recipe.batch)  // under mpirun, this rank's rows
    let real = Tensor.randomUniform(
      recipe.image.batched(trainer.share!.count), low: low, high: 1, using: RandomSource(seed: 7))
    let noise = RandomSource(seed: 8)
    let dropout = RandomSource(seed: 9)

    report(.notice("bench \(architecture.rawValue): measuring sgemm 2048³"))
    var peak = BLAS.measurePeak()
    for i in 0..<warmup {
      report(.notice("bench \(architecture.rawValue): warm-up step \(i + 1) of \(warmup)"))
      _ = try trainer.step(real: real, noiseSource: noise, dropout: dropout, step: i + 1)
    }
    g.times = LayerTimes(layers: g.layers.count)
    d.times = LayerTimes(layers: d.layers.count)
    defer {
      g.times = nil
      d.times = nil
    }
    let allocationsBefore = TensorStorage.allocations.load(ordering: .relaxed)
    let trafficBefore = state.communicator.traffic
    var seconds: [Double] = []
    for i in 0..<steps {
      if shouldStop() { throw SessionError(.interrupted("benchmarking")) }
      let start = monotonicSeconds()
      _ = try trainer.step(real: real, noiseSource: noise, dropout: dropout, step: warmup + i + 1)
      seconds.append(monotonicSeconds() - start)
      report(
        .notice(String(format: "bench \(architecture.rawValue): step %d of %d, %.3f s", i + 1, steps, seconds.last!)))
    }
    let allocations = TensorStorage.allocations.load(ordering: .relaxed) - allocationsBefore
    reportRanks(architecture, traffic: state.communicator.traffic.since(trafficBefore), stepSeconds: seconds)
    peak = max(peak, BLAS.measurePeak())

    var rows: [BenchmarkReport.LayerRow] = []
    var macs: [NetworkRole: Int] = [:]
    for (role, network) in [(NetworkRole.generator, g), (.discriminator, d)] {
      var input = network.inputShape
      let times = network.times!
      for (i, layer) in network.layers.enumerated() {
        let m = layer.spec.multiplyAdds(for: input)
        macs[role, default: 0] += m
        let isConvolution =
          switch layer.spec.unnormalized {
          case .conv, .deconv: true
          default: false
          }
        func phase(_ seconds: [Double], _ phase: LayerTimes.Phase) -> BenchmarkReport.PhaseTime {
          let calls = Double(times.calls[phase]![i]) / Double(steps)
          return .init(
            seconds: seconds[i] / Double(steps), calls: calls, flops: 2 * Double(m) * Double(recipe.batch) * calls)
        }
        rows.append(
          .init(
            network: role, index: i, definition: layer.spec.description,
            isConvolution: isConvolution, multiplyAdds: m,
            forward: phase(times.forward, .forward), backwardInput: phase(times.backwardInput, .backwardInput),
            backwardParameters: phase(times.backwardParameters, .backwardParameters), paths: layer.computePaths))
        input = layer.outputShape
      }
    }
    return BenchmarkReport(
      architecture: architecture, batch: recipe.batch, steps: steps, stepSeconds: seconds,
      flopsPerImage: 2 * Double(3 * macs[.generator]! + 9 * macs[.discriminator]!), sgemmPeak: peak,
      layers: rows, threads: BLAS.threads, blasCore: BLAS.coreName, peakResidentBytes: peakResidentBytes(),
      tensorAllocations: allocations)
  }
}
