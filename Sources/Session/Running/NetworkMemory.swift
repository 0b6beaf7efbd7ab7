import Foundation
import Layers
import Tensors

/// How much memory a network needs, estimated from its description before anything is
/// allocated, so a network too large for the machine is refused with numbers instead of
/// dying in `malloc`. The estimate is in `Double`: a silly network cannot overflow it.
public enum NetworkMemory {
  /// Bytes to train `specs` on per-sample `input` at `batch`:
  /// - every parameter four times (value, gradient, Adam's two moments);
  /// - every layer's output once at the batch size (kept for backward);
  /// - the gradients backward hands along: two buffers of the largest layer input or
  ///   output at the batch size (`GradientRelay`);
  /// - a convolution's scratch: its im2col columns at the batch size, but a workspace
  ///   splits work into chunks of at most `Workspace().chunkFloats`, in up to 3 slots;
  /// - `mbstd`'s mean and deviation of each group's input.
  /// Nil when the layers do not fit together (building reports that, with the layer).
  public static func trainingBytes(input: Shape, specs: [LayerSpec], batch: Int) -> Double? {
    guard let shapes = try? Sequential.outputShapes(input: input, specs: specs) else { return nil }
    var floats = 0.0
    var scratch = 0.0
    var largest = Double(input.count)
    for (spec, (layerInput, output)) in zip(specs, zip([input] + shapes, shapes)) {
      floats += 4 * Double(spec.parameterCount(for: layerInput))
      floats += Double(batch) * Double(output.count)
      largest = max(largest, Double(output.count))
      if case .minibatchStdDev(let group) = spec {  // each group's mean and deviation, kept for backward
        floats += 2 * Double(max(1, batch / group)) * Double(layerInput.count)
      }
      if let columns = columnsPerSample(spec, input: layerInput, output: output) {
        scratch = max(scratch, min(Double(batch) * columns, Double(Workspace().chunkFloats)))
      }
    }
    return 4 * (floats + 2 * Double(batch) * largest + 3 * scratch)
  }

  /// Bytes to run `specs` forward for `count` samples (sampling): the outputs of every layer.
  public static func inferenceBytes(input: Shape, specs: [LayerSpec], count: Int) -> Double? {
    guard let shapes = try? Sequential.outputShapes(input: input, specs: specs) else { return nil }
    return 4 * Double(count) * shapes.reduce(Double(input.count)) { $0 + Double($1.count) }
  }

  /// Refuses `bytes` for `what` when they exceed the memory this machine has available.
  static func check(_ bytes: Double, for what: String) throws(SessionError) {
    try MemoryBudget.check(
      bytes: bytes < Double(Int.max) ? Int(bytes) : nil, for: what,
      hint: "use fewer or narrower layers, smaller images, or a smaller batch ('set batch 16')")
  }

  /// im2col columns of one sample: OH·OW·K·K·IC for a convolution, and the same for the
  /// convolution a transposed one is the adjoint of.
  private static func columnsPerSample(_ spec: LayerSpec, input: Shape, output: Shape) -> Double? {
    switch spec.unnormalized {
    case .conv(_, let k, _, _, _): Double(output[0]) * Double(output[1]) * Double(k * k) * Double(input[2])
    case .deconv(_, let k, _, _, _): Double(input[0]) * Double(input[1]) * Double(k * k) * Double(output[2])
    default: nil
    }
  }
}
