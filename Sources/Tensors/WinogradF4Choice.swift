/// Whether the rules may take Winograd's large tile F(4×4, 2×2) (`ConvMethod.choice`):
/// only where ganrepl's C kernels run AVX-512, the one set it was measured to win on, and
/// only if that set's transforms pass a start-up check. Made once per process, at first
/// use (`ganrepl` makes it at start-up, to print the notice).
public enum WinogradF4 {
  public static let choice = WinogradF4Choice(kernels: DirectConv.isa, check: WinogradF4Choice.check)

  /// The transforms `ConvMethod.winograd4` runs when asked for directly (the tests do on
  /// every machine): the checked set, else the direct kernels' set, else SSE2.
  static let transforms = WinogradF4Kernels(choice.isa ?? DirectConv.isa ?? .baseline)
}

/// The decision behind `WinogradF4.choice`, on the set the C kernels run and a check.
public struct WinogradF4Choice: Sendable {
  /// The set whose transforms the rules use; nil: F(2×2, 2×2) on every layer.
  public let isa: DirectConvISA?
  /// Why the large tile is not used where it would be: its transforms failed the check.
  public let rejected: DirectConvStartupCheck.Mismatch?

  public init(kernels: DirectConvISA?, check: (DirectConvISA) -> DirectConvStartupCheck.Mismatch?) {
    guard kernels == .avx512 else {
      (isa, rejected) = (nil, nil)
      return
    }
    rejected = check(.avx512)
    isa = rejected == nil ? .avx512 : nil
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
    if let isa {
      return
        "Winograd F(4×4, 2×2): ganrepl's \(isa.rawValue) transforms, for 4×4 stride-2 layers on grids of 16×16 and up"
    }
    if let rejected {
      return "Winograd F(4×4, 2×2): off, its \(rejected.isa.rawValue) transforms failed the start-up check"
    }
    return "Winograd F(4×4, 2×2): off (used only where ganrepl's kernels run AVX-512)"
  }

  /// The once-per-run notice when the transforms failed the check.
  public var notice: String? {
    rejected.map {
      "ganrepl: Winograd F(4×4, 2×2) computed \($0) in the start-up check; running F(2×2, 2×2) on every layer instead"
    }
  }
}
