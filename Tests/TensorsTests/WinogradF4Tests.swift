import TestSupport
import Testing

@testable import Tensors

/// Winograd's F(4×4, 2×2) (`WinogradF4Transforms.swift`, `winograd_f4_template.h`) in every
/// instruction set this CPU runs, all three passes, against `ConvReference` over the k4 s2
/// geometries: sizes that leave partial 4×4 tiles at the edges and grids smaller than one
/// tile, channel counts off and on the vector widths (partial vectors), padding 0, 1, 2,
/// and a workspace so small that every pass runs in many chunks. A set this CPU lacks is
/// skipped, and the skip names the CPU. `ConvTests` runs the method as the rules choose it.
///
/// Tolerance 3e-4 scaled where the other methods have 1e-4: F(4×4)'s transforms scale an
/// input by up to 6 per axis and a product by up to 11 (the points 2 and ∞), so its
/// rounding is larger; the forward's worst case here is 1.2e-4, the same bits on every set.
@Suite("Winograd F(4×4, 2×2)")
struct WinogradF4Tests {
  static let cases = convCases(
    kernels: [4], strides: [2], paddings: [.valid, .explicit(1), .explicit(2), .same],
    sizes: [(16, 16), (11, 7), (4, 6), (21, 18)], channels: [(3, 5), (17, 33), (16, 1)], batches: [2])

  static let tolerance: Float = 3e-4

  static func skipped(_ isa: DirectConvISA) -> Comment {
    Comment(rawValue: "\(isa.rawValue): this CPU does not run it (\(CPUFeatures.current))")
  }

  static func runs(_ isa: DirectConvISA) -> Bool { DirectConvISA.runnable(on: .current).contains(isa) }

  @Test("the SSE2 transforms match the reference", .enabled(if: runs(.baseline), skipped(.baseline)))
  func baseline() { checkGrid(.baseline) }

  @Test("the AVX2+FMA transforms match the reference", .enabled(if: runs(.avx2), skipped(.avx2)))
  func avx2() { checkGrid(.avx2) }

  @Test("the AVX-512 transforms match the reference", .enabled(if: runs(.avx512), skipped(.avx512)))
  func avx512() { checkGrid(.avx512) }

  func checkGrid(_ isa: DirectConvISA) {
    #expect(Self.cases.count >= 40)
    for c in Self.cases {
      let g = c.geometry
      #expect(g.winogradApplies)
      let x = randomTensor(Shape(c.batch, g.inputHeight, g.inputWidth, g.inputChannels), seed: 1)
      let w = randomTensor(Shape(4, 4, g.inputChannels, g.outputChannels), seed: 2)
      let dy = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)
      for workspace in [Workspace(), Workspace(chunkFloats: 64)] {
        let y = Tensor(shape: dy.shape, repeating: .nan)
        winogradForward(x, w, g, y, c.batch, .four(isa), workspace)
        let forward = compare(y, ConvReference.forward(input: x, kernel: w, geometry: g), tolerance: Self.tolerance)
        #expect(forward.passes, "\(isa) forward \(c): \(forward)")

        let dx = Tensor(shape: x.shape, repeating: 1)
        winogradBackwardInput(dy, w, g, dx, c.batch, .four(isa), workspace)
        dx.add(Tensor(shape: dx.shape, repeating: 1), scaledBy: -1)
        let input = compare(
          dx, ConvReference.backwardInput(gradOutput: dy, kernel: w, geometry: g), tolerance: Self.tolerance)
        #expect(input.passes, "\(isa) backward input \(c): \(input)")

        let dw = Tensor(shape: w.shape, repeating: 1)
        winogradBackwardWeight(x, dy, g, dw, c.batch, .four(isa), workspace)
        dw.add(Tensor(shape: dw.shape, repeating: 1), scaledBy: -1)
        let weight = compare(
          dw, ConvReference.backwardKernel(input: x, gradOutput: dy, geometry: g), tolerance: Self.tolerance)
        #expect(weight.passes, "\(isa) backward weight \(c): \(weight)")
      }
    }
  }

  /// Where the large tile is chosen: only where the transforms run AVX-512, and only on
  /// grids of 16×16 tiled pixels or more; elsewhere F(2×2, 2×2) as before.
  @Test("the rule takes the large tile on AVX-512 for 16×16 grids and up, F(2×2) otherwise")
  func rule() throws {
    let large = try ConvGeometry(
      inputHeight: 32, inputWidth: 32, inputChannels: 64, outputChannels: 128, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))
    let small = try ConvGeometry(
      inputHeight: 16, inputWidth: 16, inputChannels: 128, outputChannels: 256, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))
    let expected: ConvMethod = DirectConv.isa == .avx512 ? .winograd4 : .winograd
    #expect(ConvMethod(.forward, large) == expected, "\(String(describing: DirectConv.isa))")
    #expect(ConvMethod(.backwardWeight, large) == expected)
    #expect(ConvMethod(.forward, small) == .winograd)
    #expect(ConvMethod(.backwardWeight, small) == .winograd)
    #expect(large.winogradGrid(.forward) == 16 && large.winogradGrid(.backwardInput) == 16)
    #expect(small.winogradGrid(.forward) == 8)
  }
}
