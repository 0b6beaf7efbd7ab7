/// Whether and how far the rules take Winograd's large tile F(4×4, 2×2)
/// (`ConvMethod.choice`): where ganrepl's C kernels run AVX-512 or AVX2+FMA, the sets it
/// was measured to win on, and only if that set's transforms pass a start-up check. Made
/// once per process, at first use (`ganrepl` makes it at start-up, to print the notice).
public enum WinogradF4 {
  public static let choice = WinogradF4Choice(
    kernels: DirectConv.isa, avx512InHalves: CPUFeatures.current.runsAVX512InHalves, check: WinogradF4Choice.check)

  /// The transforms `ConvMethod.winograd4` runs when asked for directly (the tests do on
  /// every machine): the checked set, else the direct kernels' set, else SSE2.
  static let transforms = WinogradF4Kernels(choice.isa ?? DirectConv.isa ?? .baseline)
}

/// The decision behind `WinogradF4.choice`, on the set the C kernels run, how wide the
/// CPU's FMAs are, and a check.
public struct WinogradF4Choice: Sendable {
  /// The set whose transforms the rules use; nil: F(2×2, 2×2) on every layer.
  public let isa: DirectConvISA?
  /// Why the large tile is not used where it would be: its transforms failed the check.
  public let rejected: DirectConvStartupCheck.Mismatch?
  /// How far the rules take the large tile; nil where they take F(2×2, 2×2) only.
  public let reach: Reach?
  /// Whether the AVX-512 kernels run on a CPU taken to split them in halves (the line says so).
  private let avx512InHalves: Bool

  /// `avx512InHalves`: whether the CPU runs AVX-512 on 256-bit units
  /// (`CPUFeatures.runsAVX512InHalves`). The AVX2+FMA kernels (an AVX2 CPU's, or the set
  /// `GANREPL_DIRECT_CONV=avx2` asks for) always run on 256-bit FMAs.
  public init(
    kernels: DirectConvISA?, avx512InHalves: Bool = false, check: (DirectConvISA) -> DirectConvStartupCheck.Mismatch?
  ) {
    self.avx512InHalves = avx512InHalves && kernels == .avx512
    guard let kernels, kernels == .avx512 || kernels == .avx2 else {
      (isa, rejected, reach) = (nil, nil, nil)
      return
    }
    rejected = check(kernels)
    isa = rejected == nil ? kernels : nil
    reach = isa == nil ? nil : kernels == .avx512 && !avx512InHalves ? .fma512 : .fma256
  }

  /// Where F(4×4, 2×2) beats F(2×2, 2×2) and the columns method: on grids of `grid` × `grid`
  /// tiled pixels and up (the output's, or for the backward input an input phase's), and
  /// on those grids the backward input from `backwardInputChannels` input channels (its
  /// GEMMs are only that wide). Measured on the classic DCGAN and the tutorial, 2 cores.
  public struct Reach: Equatable, Sendable {
    public let grid: Int
    public let backwardInputChannels: Int

    /// Where 512-bit FMAs run whole (AMD Zen 5; sgemm at 469–480 GFLOP/s on 2 cores):
    /// F(4×4) is 10–25% faster on 16×16 grids, slower on 8×8 and 4×4 grids, whose GEMMs are
    /// short, and 1.5× slower than the columns method for a 64-wide backward input
    /// (`docs/benchmarks/2026-11-28-winograd-f4.txt`).
    public static let fma512 = Reach(grid: 16, backwardInputChannels: 128)
    /// Where FMAs are 256 bits wide: AVX2 CPUs, and AVX-512 run in halves (AMD Zen 4; sgemm
    /// at 213 GFLOP/s on 2 cores). A GEMM flop costs twice as much beside the transforms'
    /// memory traffic, and F(4×4)'s fewer flops win on every grid of the classic DCGAN: on
    /// Zen 4, each pass on its 4×4 and 8×8 grids 6–27% faster than F(2×2), its 64-wide
    /// backward input 20% faster than columns, the step 12–17% faster, the tutorial's 2–4%;
    /// on the same Zen 4 held to AVX2 (the AVX2 kernels and OpenBLAS's Haswell set), the
    /// step 11% and the tutorial's 25% faster (`docs/benchmarks/2026-11-29-zen4-reach.txt`).
    /// Grids of 2×2, where one 4×4 tile is three quarters waste, keep F(2×2).
    public static let fma256 = Reach(grid: 4, backwardInputChannels: 64)
  }

  /// One k4 s2 geometry with partial 4×4 tiles at both edges (a 9×10 input, a 4×5
  /// output) and 19 channels (a 16-float vector and a partial one), through the three
  /// F(4×4) passes of `isa` against `ConvReference`. Its rounding is not the reference's
  /// (the points 2 and ∞), so within 1e-3 of each value: a wrong coefficient or a lane
  /// lost is off by far more. About 60,000 multiply-adds, most of them the reference's.
  public static func check(_ isa: DirectConvISA) -> DirectConvStartupCheck.Mismatch? { check(isa, passes(isa)) }

  /// The same check on `passes` (a test's faulty ones), reported under `isa`'s name.
  public static func check(_ isa: DirectConvISA, _ passes: DirectConvStartupCheck.Passes)
    -> DirectConvStartupCheck.Mismatch?
  {
    let g = try! ConvGeometry(
      inputHeight: 9, inputWidth: 10, inputChannels: 19, outputChannels: 19, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))
    return DirectConvStartupCheck.run(isa, passes, cases: [(1, g)], tolerance: 1e-3)
  }

  /// The three F(4×4, 2×2) passes with `isa`'s transforms.
  public static func passes(_ isa: DirectConvISA) -> DirectConvStartupCheck.Passes {
    let kernels = WinogradF4Kernels(isa)
    return DirectConvStartupCheck.Passes(
      forward: { winogradForward($0, $1, $2, $3, $4, .four(kernels), Workspace()) },
      backwardInput: { winogradBackwardInput($0, $1, $2, $3, $4, .four(kernels), Workspace()) },
      backwardWeight: { winogradBackwardWeight($0, $1, $2, $3, $4, .four(kernels), Workspace()) })
  }

  /// The `bench` and `--cpu` line.
  public var line: String {
    if let isa, let reach {
      let grids = "for 4×4 stride-2 layers on grids of \(reach.grid)×\(reach.grid) and up"
      guard reach == .fma256 else { return "Winograd F(4×4, 2×2): ganrepl's \(isa.rawValue) transforms, \(grids)" }
      let why =
        avx512InHalves
        ? "AMD family 25 with AVX-512, taken as Zen 4: 512-bit FMAs run as two 256-bit halves" : "256-bit FMAs"
      return "Winograd F(4×4, 2×2): ganrepl's \(isa.rawValue) transforms, \(grids), and there the backward input "
        + "from \(reach.backwardInputChannels) input channels (\(why))"
    }
    if let rejected {
      return "Winograd F(4×4, 2×2): off, its \(rejected.isa.rawValue) transforms failed the start-up check"
    }
    return "Winograd F(4×4, 2×2): off (used only where ganrepl's kernels run AVX-512 or AVX2+FMA)"
  }

  /// The once-per-run notice when the transforms failed the check.
  public var notice: String? {
    rejected.map {
      "ganrepl: Winograd F(4×4, 2×2) computed \($0) in the start-up check; running F(2×2, 2×2) on every layer instead"
    }
  }
}
