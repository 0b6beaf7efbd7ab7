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

/// What `bench` measured.
public struct BenchmarkReport: Sendable {
  public struct LayerRow: Sendable {
    public var network: NetworkRole
    public var index: Int
    public var definition: String
    /// A convolution or transposed convolution.
    public var isConvolution: Bool
    /// Multiply-adds of one forward pass for one image.
    public var multiplyAdds: Int
    /// Seconds per training step in each phase (all calls of the step together).
    public var forward: Double, backwardInput: Double, backwardParameters: Double
    /// Calls per step in each phase.
    public var forwardCalls: Double, backwardInputCalls: Double, backwardParametersCalls: Double
  }

  public var architecture: BenchmarkArchitecture
  public var batch: Int
  public var steps: Int
  /// Seconds per step: every timed step, in order.
  public var stepSeconds: [Double]
  /// FLOPs of one training step per image: 2·(3·G + 9·D) multiply-adds, the peers' count.
  public var flopsPerImage: Double
  /// sgemm 2048³ GFLOP/s measured before and after the steps.
  public var sgemmPeak: Double
  public var layers: [LayerRow]
  public var threads: Int
  public var blasCore: String
  public var peakResidentBytes: Int
  /// Tensor buffers allocated during the timed steps (0 when every buffer is reused).
  public var tensorAllocations: Int

  public var medianStep: Double { stepSeconds.sorted()[stepSeconds.count / 2] }

  /// The generator's convolutions together: direct-method flops per step over their time.
  public var generatorConvolutionGFLOPs: Double {
    let rows = layers.filter { $0.network == .generator && $0.isConvolution }
    let flops = rows.reduce(0.0) {
      $0 + 2 * Double($1.multiplyAdds) * Double(batch)
        * ($1.forwardCalls + $1.backwardInputCalls + $1.backwardParametersCalls)
    }
    let seconds = rows.reduce(0.0) { $0 + $1.forward + $1.backwardInput + $1.backwardParameters }
    return seconds > 0 ? flops / seconds * 1e-9 : 0
  }
  public var imagesPerSecond: Double { Double(batch) / medianStep }
  public var gflops: Double { imagesPerSecond * flopsPerImage * 1e-9 }
}

extension Interpreter {
  /// Runs `steps` timed training steps (after `warmup` untimed ones) of `architecture`.
  public func benchmark(_ architecture: BenchmarkArchitecture, steps: Int, warmup: Int = 2) throws(SessionError)
    -> BenchmarkReport
  {
    let recipe = architecture.recipe
    let trainer = try recipe.makeTrainer()
    let g = trainer.generator
    let d = trainer.discriminator
    let low: Float = recipe.range == .unit ? 0 : -1
    let real = Tensor.randomUniform(recipe.image.batched(recipe.batch), low: low, high: 1, using: RandomSource(seed: 7))
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
    peak = max(peak, BLAS.measurePeak())

    var rows: [BenchmarkReport.LayerRow] = []
    var macs: [NetworkRole: Int] = [:]
    for (role, network) in [(NetworkRole.generator, g), (.discriminator, d)] {
      var input = network.inputShape
      let times = network.times!
      for (i, layer) in network.layers.enumerated() {
        let m = layer.spec.multiplyAdds(for: input)
        macs[role, default: 0] += m
        let n = Double(steps)
        rows.append(
          .init(
            network: role, index: i, definition: layer.spec.description,
            isConvolution: layer is Conv2D || layer is Conv2DTranspose, multiplyAdds: m,
            forward: times.forward[i] / n, backwardInput: times.backwardInput[i] / n,
            backwardParameters: times.backwardParameters[i] / n,
            forwardCalls: Double(times.calls[.forward]![i]) / n,
            backwardInputCalls: Double(times.calls[.backwardInput]![i]) / n,
            backwardParametersCalls: Double(times.calls[.backwardParameters]![i]) / n))
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
