import Tensors

/// PacGAN's packing (Lin et al. 2018): D judges `m` samples at once. Consecutive rows of
/// the batch are grouped in packs of `m` and laid side by side along the last axis, so one
/// row of the output holds a whole pack and D gives one verdict per pack: vectors are
/// concatenated, images stacked along their channels (as PacGAN does).
///
/// The one layer that changes the batch: N samples in, N/m packs out (N a multiple of m).
/// Per sample, with P the positions (H·W, or 1 for a vector) and C the last axis:
///
/// x [N, …, C] seen as [N/m, m, P, C] → y [N/m, P, m, C] seen as [N/m, …, m·C]
/// y[k, p, j, c] = x[k·m + j, p, c]
public final class Pack: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public let outputShape: Shape
  /// Samples in one pack.
  public let m: Int
  private var output: Tensor?
  private let relay: GradientRelay

  init(spec: LayerSpec, input: Shape, output: Shape, m: Int, relay: GradientRelay) {
    self.relay = relay
    precondition(output.count == input.count * m, "\(spec): \(input) → \(output)")
    self.spec = spec
    inputShape = input
    outputShape = output
    self.m = m
  }

  /// Positions P and values per position C of one sample.
  private var positions: (p: Int, c: Int) {
    let c = inputShape.dims.last ?? 1
    return (inputShape.count / max(c, 1), c)
  }

  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let n = input.shape[0]
    precondition(n % m == 0, "\(spec): a batch of \(n) samples does not split into packs of \(m)")
    let (p, c) = positions
    // A vector (P = 1): the packs are already contiguous, the output a view of the input.
    if p == 1 { return input.reshaped(outputShape.batched(n / m)) }
    let y = Tensor.reusing(output, shape: outputShape.batched(n / m))
    Self.interleave(input.pointer, into: y.pointer, packs: n / m, m: m, positions: p, channels: c, packing: true)
    output = y
    return y
  }

  /// gradInput[k·m + j, p, c] = gradOutput[k, p, j, c]: the packing undone.
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    let n = gradOutput.shape[0] * m
    let (p, c) = positions
    if p == 1 { return gradOutput.reshaped(inputShape.batched(n)) }
    let dx = relay.buffer(inputShape.batched(n), besides: gradOutput)
    Self.interleave(dx.pointer, into: gradOutput.pointer, packs: n / m, m: m, positions: p, channels: c, packing: false)
    return dx
  }

  /// Copies rows of C values between samples [packs·m, P, C] and packs [packs, P, m, C]:
  /// samples → packs when `packing`, packs → samples otherwise.
  static func interleave(
    _ samples: UnsafeMutablePointer<Float>, into packs: UnsafeMutablePointer<Float>, packs count: Int, m: Int,
    positions: Int, channels: Int, packing: Bool
  ) {
    for k in 0..<count {
      for j in 0..<m {
        for p in 0..<positions {
          let sample = samples + ((k * m + j) * positions + p) * channels
          let pack = packs + ((k * positions + p) * m + j) * channels
          if packing {
            pack.update(from: sample, count: channels)
          } else {
            sample.update(from: pack, count: channels)
          }
        }
      }
    }
  }
}

extension Sequential {
  /// Samples behind each of its outputs: the product of its `pack` layers (1 without one).
  /// A batch must be a multiple of it.
  public var samplesPerOutput: Int {
    // Packs of packs multiply; at most `LayerSpec.maximumSampleCount`, as the output's values.
    specs.reduce(1) { product, spec in
      guard case .pack(let m) = spec else { return product }
      return product * m
    }
  }
}

extension LayerSpec {
  public var isPack: Bool {
    if case .pack = self { return true }
    return false
  }

  /// A layer that looks at several samples of the batch at once (`pack`, `mbstd`): it
  /// belongs in a discriminator.
  public var judgesSamplesTogether: Bool {
    switch self {
    case .pack, .minibatchStdDev: true
    case .spectralNorm(let layer): layer.judgesSamplesTogether
    case .dense, .conv, .deconv, .relu, .leakyReLU, .sigmoid, .tanh, .flatten, .reshape, .dropout, .batchNorm: false
    }
  }
}
