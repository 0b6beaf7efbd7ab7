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

  /// Where the large tile is chosen, asked three ways: as on a machine whose transforms
  /// passed the check and whose 512-bit FMAs run whole (grids of 16×16 tiled pixels or
  /// more, the output's or, for the backward input, an input phase's; the backward input
  /// from 128 input channels), as on one whose FMAs are 256 bits wide (grids from 4×4; on
  /// those the backward input from 64 channels), and as anywhere else (F(2×2) only).
  @Test("the rule takes the large tile as far as the CPU's reach goes, F(2×2) elsewhere")
  func rule() throws {
    func geometry(_ size: Int, _ ic: Int, _ oc: Int) throws -> ConvGeometry {
      try ConvGeometry(
        inputHeight: size, inputWidth: size, inputChannels: ic, outputChannels: oc, kernel: (4, 4), stride: (2, 2),
        padding: .explicit(1))
    }
    let (large, small) = (try geometry(32, 64, 128), try geometry(16, 128, 256))
    let (wide, wideOdd) = (try geometry(32, 256, 64), try geometry(30, 256, 64))
    let (tiny, tinyWide, tinyNarrow) = (try geometry(4, 128, 256), try geometry(4, 256, 64), try geometry(4, 64, 128))
    let (four, three) = (try geometry(8, 256, 512), try geometry(6, 256, 512))
    #expect(large.winogradGrid(.forward) == 16 && large.winogradGrid(.backwardInput) == 16)
    #expect(small.winogradGrid(.forward) == 8 && wideOdd.winogradGrid(.backwardInput) == 15)
    #expect(tiny.winogradGrid(.forward) == 2 && tinyWide.winogradGrid(.backwardInput) == 2)
    #expect(four.winogradGrid(.forward) == 4 && three.winogradGrid(.forward) == 3)
    let (whole, narrow) = (WinogradF4Choice.Reach.fma512, WinogradF4Choice.Reach.fma256)
    func method(_ pass: ConvPass, _ g: ConvGeometry, _ reach: WinogradF4Choice.Reach?) -> ConvMethod {
      ConvMethod.choice(for: pass, geometry: g, reach: reach).method
    }
    for pass in [ConvPass.forward, .backwardWeight] {
      #expect(method(pass, large, whole) == .winograd4 && method(pass, large, narrow) == .winograd4)
      #expect(method(pass, large, nil) == .winograd)
      #expect(method(pass, small, whole) == .winograd, "an 8×8 grid: F(2×2) where FMAs are 512 bits wide")
      #expect(method(pass, small, narrow) == .winograd4, "an 8×8 grid: F(4×4) where they are 256 bits wide")
      #expect(method(pass, four, narrow) == .winograd4 && method(pass, three, narrow) == .winograd, "from 4×4 grids")
      #expect(method(pass, tiny, narrow) == .winograd, "a 2×2 grid: one 4×4 tile would be three quarters waste")
    }
    #expect(method(.backwardInput, wide, whole) == .winograd4)
    #expect(method(.backwardInput, wide, nil) == .winograd)
    #expect(
      method(.backwardInput, wideOdd, whole) == .winograd && method(.backwardInput, wideOdd, narrow) == .winograd4)
    #expect(
      method(.backwardInput, large, whole) == .columns, "64 input channels: the backward input's GEMMs too narrow")
    #expect(method(.backwardInput, large, narrow) == .winograd4, "64 wide, yet F(4×4) wins on 256-bit FMAs")
    #expect(method(.backwardInput, tinyWide, narrow) == .winograd, "a 2×2 grid: F(2×2) from 128 channels, as anywhere")
    #expect(method(.backwardInput, tinyNarrow, narrow) == .columns, "a 2×2 grid: 64 channels are too few for F(2×2)")
    #expect(
      ConvMethod.choice(for: .backwardInput, geometry: tinyNarrow, reach: narrow).reason
        .hasPrefix("4×4 stride 2, IC < 128: sgemm + col2im"))
    let (middle, middleSmall) = (try geometry(32, 128, 64), try geometry(16, 128, 256))
    #expect(
      method(.backwardInput, middle, whole) == .winograd4 && method(.backwardInput, middleSmall, whole) == .winograd)
    #expect(
      method(.backwardInput, middle, nil) == .winograd && method(.backwardInput, middleSmall, nil) == .winograd)
    #expect(method(.backwardInput, middleSmall, narrow) == .winograd4)
    #expect(method(.backwardInput, large, nil) == .columns)
    #expect(
      ConvMethod.choice(for: .forward, geometry: large, reach: whole).reason
        == "4×4 stride 2, IC ≥ 16, tiles over ≥ 16×16 pixels: Winograd F(4×4, 2×2) on sub-pixel phases, "
        + "2.56× fewer multiplications (512-bit FMAs)")
    #expect(
      ConvMethod.choice(for: .backwardInput, geometry: large, reach: narrow).reason
        == "4×4 stride 2, IC ≥ 64, tiles over ≥ 4×4 pixels: Winograd F(4×4, 2×2) on sub-pixel phases, "
        + "2.56× fewer multiplications (256-bit FMAs)")
    #expect(
      ConvMethod.choice(for: .backwardInput, geometry: try geometry(32, 32, 64), reach: narrow).reason
        .hasPrefix("4×4 stride 2, IC < 64: sgemm + col2im"))
    // This process: the large tile exactly where the C kernels run AVX-512 or AVX2+FMA (and
    // pass the check), as far as this CPU's FMA width says.
    let kernels = DirectConv.isa
    #expect((WinogradF4.choice.isa != nil) == (kernels == .avx512 || kernels == .avx2))
    let reach = WinogradF4.choice.reach
    #expect(reach == nil || reach == (kernels == .avx512 && !CPUFeatures.current.runsAVX512InHalves ? whole : narrow))
    #expect(ConvMethod(.forward, large) == (reach != nil ? .winograd4 : .winograd))
    #expect(ConvMethod(.forward, small) == (reach == narrow ? .winograd4 : .winograd))
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

  @Test("the large tile only where the C kernels run AVX-512 or AVX2+FMA and its check passes; a failure says so once")
  func choice() {
    let fails = DirectConvStartupCheck.Mismatch(
      isa: .avx512, pass: "forward", geometry: "g", index: 3, got: 1, expected: 2)
    for kernels in [nil, DirectConvISA.baseline] {
      let choice = WinogradF4Choice(kernels: kernels, avx512InHalves: true) { _ in nil }
      #expect(choice.isa == nil && choice.reach == nil && choice.notice == nil, "\(String(describing: kernels))")
      #expect(choice.line == "Winograd F(4×4, 2×2): off (used only where ganrepl's kernels run AVX-512 or AVX2+FMA)")
    }
    let passing = WinogradF4Choice(kernels: .avx512) { _ in nil }
    #expect(passing.isa == .avx512 && passing.notice == nil && passing.reach == .fma512)
    #expect(
      passing.line
        == "Winograd F(4×4, 2×2): ganrepl's AVX-512 transforms, for 4×4 stride-2 layers on grids of 16×16 and up")
    let inHalves = WinogradF4Choice(kernels: .avx512, avx512InHalves: true) { _ in nil }
    #expect(inHalves.reach == .fma256)
    #expect(
      inHalves.line
        == "Winograd F(4×4, 2×2): ganrepl's AVX-512 transforms, for 4×4 stride-2 layers on grids of 4×4 and up, "
        + "and there the backward input from 64 input channels "
        + "(AMD family 25 with AVX-512, taken as Zen 4: 512-bit FMAs run as two 256-bit halves)")
    var checked: [DirectConvISA] = []
    let avx2 = WinogradF4Choice(kernels: .avx2) {
      checked.append($0)
      return nil
    }
    #expect(avx2.isa == .avx2 && avx2.reach == .fma256 && checked == [.avx2], "AVX2's own transforms, checked")
    #expect(
      avx2.line
        == "Winograd F(4×4, 2×2): ganrepl's AVX2+FMA transforms, for 4×4 stride-2 layers on grids of 4×4 and up, "
        + "and there the backward input from 64 input channels (256-bit FMAs)")
    #expect(WinogradF4Choice(kernels: .avx2, avx512InHalves: true) { _ in nil }.line == avx2.line)
    let failingAVX2 = WinogradF4Choice(kernels: .avx2) { _ in fails }
    #expect(failingAVX2.isa == nil && failingAVX2.reach == nil && failingAVX2.notice != nil)
    let failing = WinogradF4Choice(kernels: .avx512) { _ in fails }
    #expect(failing.isa == nil && failing.reach == nil)
    #expect(failing.line == "Winograd F(4×4, 2×2): off, its AVX-512 transforms failed the start-up check")
    #expect(
      failing.notice
        == "ganrepl: Winograd F(4×4, 2×2) computed AVX-512 forward on g: element 3 = 1.0, expected 2.0 in the start-up check; "
        + "running F(2×2, 2×2) on every layer instead")
    #expect(WinogradF4.choice.notice == nil, "this machine's transforms pass")
  }
}
