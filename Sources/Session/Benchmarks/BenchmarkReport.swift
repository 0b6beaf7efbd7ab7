import Layers

/// What `bench` measured, and the rates that follow from it: the executable only formats
/// them.
public struct BenchmarkReport: Sendable {
  /// One phase of one layer in a training step: its time and calls per step, and the
  /// flops it does at the direct method's count (2 per multiply-add, every image, every call).
  public struct PhaseTime: Sendable {
    /// Seconds per training step, all of the step's calls together.
    public var seconds: Double
    /// Calls per step.
    public var calls: Double
    /// Flops per step.
    public var flops: Double

    /// GFLOP/s; nil when the phase multiplies nothing (or was not called).
    public var gflops: Double? { flops > 0 && seconds > 0 ? flops / seconds * 1e-9 : nil }
  }

  public struct LayerRow: Sendable {
    public var network: NetworkRole
    public var index: Int
    public var definition: String
    /// A convolution or transposed convolution.
    public var isConvolution: Bool
    /// Multiply-adds of one forward pass for one image.
    public var multiplyAdds: Int
    public var forward: PhaseTime, backwardInput: PhaseTime, backwardParameters: PhaseTime
    /// How each pass is computed and why; nil for element-wise layers.
    public var paths: LayerPaths? = nil

    /// The three phases in the table's order: forward, backward to the input, to the weights.
    public var phases: [PhaseTime] { [forward, backwardInput, backwardParameters] }
    /// Seconds per step in all three phases.
    public var seconds: Double { forward.seconds + backwardInput.seconds + backwardParameters.seconds }
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
  public var imagesPerSecond: Double { Double(batch) / medianStep }
  public var gflops: Double { imagesPerSecond * flopsPerImage * 1e-9 }

  /// The generator's convolutions together: direct-method flops per step over their time.
  public var generatorConvolutionGFLOPs: Double {
    let phases = layers.filter { $0.network == .generator && $0.isConvolution }.flatMap(\.phases)
    let flops = phases.reduce(0.0) { $0 + $1.flops }
    let seconds = phases.reduce(0.0) { $0 + $1.seconds }
    return seconds > 0 ? flops / seconds * 1e-9 : 0
  }

  /// `gflops` as a percentage of the sgemm peak measured in the same run.
  public func percentOfPeak(_ gflops: Double) -> Double { 100 * gflops / sgemmPeak }
}
