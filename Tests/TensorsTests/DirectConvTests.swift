import TestSupport
import Testing

@testable import Tensors

/// Every instruction set of the direct convolution this CPU runs, against `ConvReference`
/// over a grid of geometries (1, 2 and 3 input channels; output channels off and on the
/// vector widths; odd sizes; padding 0, 1, 2; strides 1, 2; kernels 3, 4, 5; batch 1 and
/// 5), all three passes. A set this CPU lacks is skipped, and the skip names the CPU.
/// Tolerance 1e-4 scaled, as for the other methods (the sums run in another order).
@Suite("Direct convolution kernels")
struct DirectConvTests {
  static let cases = convCases(
    kernels: [3, 4, 5], strides: [1, 2], paddings: [.valid, .explicit(1), .explicit(2)],
    sizes: [(7, 5), (4, 6), (9, 13)], channels: [(1, 5), (3, 4), (3, 19), (2, 1), (1, 40)], batches: [1, 5])

  static func skipped(_ isa: DirectConvISA) -> Comment {
    Comment(rawValue: "\(isa.rawValue): this CPU does not run it (\(CPUFeatures.current))")
  }

  @Test("the SSE2 baseline matches the reference", .enabled(if: runs(.baseline), skipped(.baseline)))
  func baseline() { checkGrid(.baseline) }

  @Test("the AVX2+FMA kernels match the reference", .enabled(if: runs(.avx2), skipped(.avx2)))
  func avx2() { checkGrid(.avx2) }

  @Test("the AVX-512 kernels match the reference", .enabled(if: runs(.avx512), skipped(.avx512)))
  func avx512() { checkGrid(.avx512) }

  static func runs(_ isa: DirectConvISA) -> Bool { DirectConvISA.runnable(on: .current).contains(isa) }

  func checkGrid(_ isa: DirectConvISA) {
    #expect(Self.cases.count > 400)
    for c in Self.cases {
      let g = c.geometry
      let x = randomTensor(Shape(c.batch, g.inputHeight, g.inputWidth, g.inputChannels), seed: 1)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 2)
      let dy = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)

      let y = Tensor(shape: dy.shape, repeating: .nan)
      directForward(x, w, g, y, c.batch, isa: isa)
      let forward = compare(y, ConvReference.forward(input: x, kernel: w, geometry: g), tolerance: 1e-4)
      #expect(forward.passes, "\(isa) forward \(c): \(forward)")

      let dx = Tensor(shape: x.shape, repeating: 1)
      directBackwardInput(dy, w, g, dx, c.batch, isa: isa)
      dx.add(Tensor(shape: dx.shape, repeating: 1), scaledBy: -1)
      let input = compare(dx, ConvReference.backwardInput(gradOutput: dy, kernel: w, geometry: g), tolerance: 1e-4)
      #expect(input.passes, "\(isa) backward input \(c): \(input)")

      let dw = Tensor(shape: w.shape, repeating: 1)
      directBackwardWeight(x, dy, g, dw, c.batch, isa: isa)
      dw.add(Tensor(shape: dw.shape, repeating: 1), scaledBy: -1)
      let weight = compare(dw, ConvReference.backwardKernel(input: x, gradOutput: dy, geometry: g), tolerance: 1e-4)
      #expect(weight.passes, "\(isa) backward weight \(c): \(weight)")
    }
  }

  /// Each pass of each set this CPU runs, on 1 thread and asking for 3 (under a
  /// `ParallelProbe`): the work must split, and the bits must not change. The second
  /// geometry's 53 output channels are two blocks of AVX-512's backward-weight units
  /// (2 vectors of 16) as well as of AVX2's, the second block a whole vector plus 5 lanes;
  /// with 21 its 25 patch rows and one block made one unit on AVX-512, which cannot split.
  @Test("every set gives the same bits on 1 and 3 threads", arguments: DirectConvISA.runnable(on: .current))
  func threadCountDeterminism(isa: DirectConvISA) {
    let n = 6
    for g in [
      try! ConvGeometry(
        inputHeight: 32, inputWidth: 30, inputChannels: 3, outputChannels: 64, kernel: (4, 4), stride: (2, 2),
        padding: .explicit(1)),
      try! ConvGeometry(
        inputHeight: 17, inputWidth: 19, inputChannels: 1, outputChannels: 53, kernel: (5, 5), stride: (1, 1),
        padding: .explicit(2)),
    ] {
      let x = randomTensor(Shape(n, g.inputHeight, g.inputWidth, g.inputChannels), seed: 4)
      let dy = randomTensor(Shape(n, g.outputHeight, g.outputWidth, g.outputChannels), seed: 5)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 6)
      let passes: [(String, Shape, (Tensor) -> Void)] = [
        ("forward", dy.shape, { directForward(x, w, g, $0, n, isa: isa) }),
        ("backward input", x.shape, { directBackwardInput(dy, w, g, $0, n, isa: isa) }),
        ("backward weight", w.shape, { directBackwardWeight(x, dy, g, $0, n, isa: isa) }),
      ]
      for (name, shape, pass) in passes {
        let (one, three) = (Tensor(zeros: shape), Tensor(zeros: shape))
        ParallelProbe.$current.withValue(ParallelProbe(threads: 1)) { pass(one) }
        let probe = ParallelProbe(threads: 3)
        ParallelProbe.$current.withValue(probe) { pass(three) }
        #expect(probe.largestSplit >= 2, "\(isa) \(name) \(g): never split")
        #expect(three.values == one.values, "\(isa) \(name) \(g): \(compare(three, one, tolerance: 0))")
      }
    }
  }

  @Test("the direct method is chosen for the faces' first conv where it was measured to win")
  func rule() throws {
    let faces = try ConvGeometry(
      inputHeight: 64, inputWidth: 64, inputChannels: 3, outputChannels: 64, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))
    let wide = try ConvGeometry(
      inputHeight: 32, inputWidth: 32, inputChannels: 64, outputChannels: 128, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))
    #expect(DirectConv.isa != nil, "\(DirectConv.choice.line)")
    #expect(ConvMethod(.forward, faces) == .direct)
    #expect(ConvMethod(.backwardWeight, faces) == .direct)
    #expect(ConvMethod(.forward, wide) != .direct)
  }
}
