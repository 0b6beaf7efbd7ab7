import TestSupport
import Testing

@testable import Tensors

/// Winograd's F(4×4, 2×2) (`WinogradF4Transforms.swift`, `winograd_f4_template.h`) in every
/// instruction set this CPU runs, all three passes, against `ConvReference` over the k4 s2
/// geometries: sizes that leave partial 4×4 tiles at the edges and grids smaller than one
/// tile, channel counts off and on the vector widths (partial vectors), padding 0, 1, 2,
/// and a workspace so small that every pass runs in many chunks. A set this CPU lacks is
/// skipped, and the skip names the CPU. `ConvTests` runs the method too, with the set
/// `WinogradF4.transforms` names, on its small-channel grid.
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
    let kernels = WinogradF4Kernels(isa)
    #expect(Self.cases.count >= 40)
    for c in Self.cases {
      let g = c.geometry
      #expect(g.winogradApplies)
      let x = randomTensor(Shape(c.batch, g.inputHeight, g.inputWidth, g.inputChannels), seed: 1)
      let w = randomTensor(Shape(4, 4, g.inputChannels, g.outputChannels), seed: 2)
      let dy = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)
      // One chunk; one tile per chunk; about 3.5 tiles per chunk, the last chunk partial.
      let severalTiles = 7 * 25 * (4 * g.inputChannels + g.outputChannels) / 2
      for workspace in [Workspace(), Workspace(chunkFloats: 64), Workspace(chunkFloats: severalTiles)] {
        let y = Tensor(shape: dy.shape, repeating: .nan)
        winogradForward(x, w, g, y, c.batch, .four(kernels), workspace)
        let forward = compare(y, ConvReference.forward(input: x, kernel: w, geometry: g), tolerance: Self.tolerance)
        #expect(forward.passes, "\(isa) forward \(c): \(forward)")

        let dx = Tensor(shape: x.shape, repeating: 1)
        winogradBackwardInput(dy, w, g, dx, c.batch, .four(kernels), workspace)
        dx.add(Tensor(shape: dx.shape, repeating: 1), scaledBy: -1)
        let input = compare(
          dx, ConvReference.backwardInput(gradOutput: dy, kernel: w, geometry: g), tolerance: Self.tolerance)
        #expect(input.passes, "\(isa) backward input \(c): \(input)")

        let dw = Tensor(shape: w.shape, repeating: 1)
        winogradBackwardWeight(x, dy, g, dw, c.batch, .four(kernels), workspace)
        dw.add(Tensor(shape: dw.shape, repeating: 1), scaledBy: -1)
        let weight = compare(
          dw, ConvReference.backwardKernel(input: x, gradOutput: dy, geometry: g), tolerance: Self.tolerance)
        #expect(weight.passes, "\(isa) backward weight \(c): \(weight)")
      }
    }
  }

  /// Where the large tile is chosen, asked both ways (as on an AVX-512 machine whose
  /// transforms passed the check, and as anywhere else): grids of 16×16 tiled pixels or
  /// more, the output's or, for the backward input, an input phase's. The backward input
  /// takes Winograd from 128 input channels either way.
  @Test("the rule takes the large tile for 16×16 grids and up where allowed, F(2×2) otherwise")
  func rule() throws {
    func geometry(_ size: Int, _ ic: Int, _ oc: Int) throws -> ConvGeometry {
      try ConvGeometry(
        inputHeight: size, inputWidth: size, inputChannels: ic, outputChannels: oc, kernel: (4, 4), stride: (2, 2),
        padding: .explicit(1))
    }
    let (large, small) = (try geometry(32, 64, 128), try geometry(16, 128, 256))
    let (wide, wideOdd) = (try geometry(32, 256, 64), try geometry(30, 256, 64))
    #expect(large.winogradGrid(.forward) == 16 && large.winogradGrid(.backwardInput) == 16)
    #expect(small.winogradGrid(.forward) == 8 && wideOdd.winogradGrid(.backwardInput) == 15)
    func method(_ pass: ConvPass, _ g: ConvGeometry, _ allowed: Bool) -> ConvMethod {
      ConvMethod.choice(for: pass, geometry: g, largeTiles: allowed).method
    }
    for pass in [ConvPass.forward, .backwardWeight] {
      #expect(method(pass, large, true) == .winograd4)
      #expect(method(pass, large, false) == .winograd)
      #expect(method(pass, small, true) == .winograd)
    }
    #expect(method(.backwardInput, wide, true) == .winograd4)
    #expect(method(.backwardInput, wide, false) == .winograd)
    #expect(method(.backwardInput, wideOdd, true) == .winograd)
    #expect(method(.backwardInput, large, true) == .columns, "64 input channels: the backward input's GEMMs too narrow")
    let (middle, middleSmall) = (try geometry(32, 128, 64), try geometry(16, 128, 256))
    #expect(
      method(.backwardInput, middle, true) == .winograd4 && method(.backwardInput, middleSmall, true) == .winograd)
    #expect(
      method(.backwardInput, middle, false) == .winograd && method(.backwardInput, middleSmall, false) == .winograd)
    #expect(method(.backwardInput, large, false) == .columns)
    #expect(
      ConvMethod.choice(for: .forward, geometry: large, largeTiles: true).reason
        .hasPrefix("4×4 stride 2, IC ≥ 16, tiles over ≥ 16×16 pixels: Winograd F(4×4, 2×2)"))
    // This process: the large tile exactly where the C kernels run AVX-512 (and pass the check).
    #expect((WinogradF4.choice.isa == .avx512) == (DirectConv.isa == .avx512))
    #expect(ConvMethod(.forward, large) == (DirectConv.isa == .avx512 ? .winograd4 : .winograd))
  }

  @Test("the start-up check passes every set this CPU runs, and catches a value off by 0.1% or a lost lane")
  func startupCheck() {
    for isa in DirectConvISA.runnable(on: .current) {
      #expect(WinogradF4Choice.check(isa) == nil, "\(isa)")
      let good = WinogradF4Choice.passes(isa)
      var scaled = good
      scaled.forward = { x, w, g, y, n in
        good.forward(x, w, g, y, n)
        y.pointer[7] *= 1.001
      }
      #expect(WinogradF4Choice.check(isa, scaled)?.pass == "forward", "\(isa)")
      var lostLane = good
      lostLane.backwardWeight = { x, dy, g, dw, n in
        let before = dw.pointer[18]
        good.backwardWeight(x, dy, g, dw, n)
        dw.pointer[18] = before  // the 19th channel's update lost
      }
      let mismatch = WinogradF4Choice.check(isa, lostLane)
      #expect(mismatch?.pass == "backward weight" && mismatch?.index == 18, "\(isa): \(String(describing: mismatch))")
    }
  }

  @Test("the large tile only where the C kernels run AVX-512 and its check passes; a failure says so once")
  func choice() {
    let fails = DirectConvStartupCheck.Mismatch(
      isa: .avx512, pass: "forward", geometry: "g", index: 3, got: 1, expected: 2)
    for kernels in [nil, DirectConvISA.baseline, .avx2] {
      let choice = WinogradF4Choice(kernels: kernels) { _ in fails }
      #expect(choice.isa == nil && choice.notice == nil, "\(String(describing: kernels))")
      #expect(choice.line == "Winograd F(4×4, 2×2): off (used only where ganrepl's kernels run AVX-512)")
    }
    let passing = WinogradF4Choice(kernels: .avx512) { _ in nil }
    #expect(passing.isa == .avx512 && passing.notice == nil)
    #expect(passing.line.hasPrefix("Winograd F(4×4, 2×2): ganrepl's AVX-512 transforms"))
    let failing = WinogradF4Choice(kernels: .avx512) { _ in fails }
    #expect(failing.isa == nil)
    #expect(failing.line == "Winograd F(4×4, 2×2): off, its AVX-512 transforms failed the start-up check")
    #expect(
      failing.notice
        == "ganrepl: Winograd F(4×4, 2×2) computed AVX-512 forward on g: element 3 = 1.0, expected 2.0 in the start-up check; "
        + "running F(2×2, 2×2) on every layer instead")
    #expect(WinogradF4.choice.notice == nil, "this machine's transforms pass")
  }
}
