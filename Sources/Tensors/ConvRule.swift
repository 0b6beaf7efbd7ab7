/// Which rule of `ConvMethod.choice(for:geometry:)` chose a pass's method: the method it
/// gives, and the rule in a short phrase for `bench` and `show generator`.
enum ConvRule: Equatable {
  /// A patch of at most `DirectConv.largestPatch` floats where `DirectConv.wins`.
  case direct(patch: Int)
  /// Stride 1 with fewer output than input channels.
  case shifted
  /// 4×4 stride 2 from `from` input channels.
  case winograd(from: Int)
  /// 4×4 stride 2 from `from` input channels on a grid `reach` takes.
  case winograd4(from: Int, reach: WinogradF4Choice.Reach)
  /// 4×4 stride 2 with fewer than `from` input channels: the columns method.
  case tooFewChannelsForWinograd(from: Int, ConvPass)
  /// 1×1, or a kernel as large as the image.
  case imageIsItsOwnColumns
  /// Everything else: the columns method.
  case general(ConvPass)

  var method: ConvMethod {
    switch self {
    case .direct: .direct
    case .shifted: .shifted
    case .winograd: .winograd
    case .winograd4: .winograd4
    case .tooFewChannelsForWinograd, .imageIsItsOwnColumns, .general: .columns
    }
  }

  /// The instruction set is the machine's, named once on the CPU lines: a reason stays the
  /// same on every x86-64 machine.
  var reason: String {
    switch self {
    case .direct(let patch):
      "patch of \(patch) ≤ \(DirectConv.largestPatch) floats: ganrepl's own kernel, windows read in place (no im2col)"
    case .shifted: "stride 1, OC < IC: every tap multiplied first (K²·OC-wide sgemm), then shift-add"
    case .winograd(let from):
      "4×4 stride 2, IC ≥ \(from): Winograd F(2×2, 2×2) on sub-pixel phases, 1.78× fewer multiplications"
    case .winograd4(let from, let reach):
      "4×4 stride 2, IC ≥ \(from), tiles over ≥ \(reach.grid)×\(reach.grid) pixels: Winograd F(4×4, 2×2) on "
        + "sub-pixel phases, 2.56× fewer multiplications (\(reach == .fma256 ? "256" : "512")-bit FMAs)"
    case .tooFewChannelsForWinograd(let from, let pass):
      "4×4 stride 2, IC < \(from): \(ConvMethod.general(pass)) (Winograd is slower with so few channels)"
    case .imageIsItsOwnColumns: "1×1, or a kernel as large as the image: the image is its own im2col matrix, one sgemm"
    case .general(let pass): "general: " + ConvMethod.general(pass)
    }
  }
}
