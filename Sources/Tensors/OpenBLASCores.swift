/// The kernel sets ("cores") a DYNAMIC_ARCH OpenBLAS 0.3.21 has on x86-64, as
/// `openblas_get_corename()` names them, ranked by the instruction sets their kernels use.
///
/// OpenBLAS picks one when the library loads, from its own cpuid table, unless
/// `OPENBLAS_CORETYPE` names one (matched without case). 0.3.21 has no entry for CPUs newer
/// than it (Sapphire Rapids, Zen 4 and 5 with AVX-512) and falls back to Prescott (SSE3) or
/// Zen: a third of the speed. `Zen` uses the `Haswell` sgemm kernels with AMD's blocking;
/// `Cooperlake` is `SkylakeX` plus AVX-512 BF16 kernels (its sgemm is SkylakeX's), and
/// OpenBLAS refuses it on a CPU without BF16.
public enum OpenBLASCores {
  /// The instruction-set level of a kernel set, and of a CPU (the highest it can run).
  public enum Level: Int, Comparable, Sendable, CustomStringConvertible {
    case sse, avx, avx2, avx512

    public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
      switch self {
      case .sse: "SSE"
      case .avx: "AVX"
      case .avx2: "AVX2+FMA"
      case .avx512: "AVX-512"
      }
    }

    /// The highest level every usable set of `cpu` reaches.
    public init(_ cpu: CPUFeatures) {
      self =
        cpu.hasAVX512Core && cpu.hasAVX2FMA ? .avx512 : cpu.hasAVX2FMA ? .avx2 : cpu.usable.contains(.avx) ? .avx : .sse
    }
  }

  /// Every x86-64 core name of OpenBLAS 0.3.21 (`driver/others/dynamic.c`), by level.
  static let levels: [(Level, [String])] = [
    (
      .sse,
      [
        "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn", "Dunnington",
        "Nehalem", "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Bobcat",
      ]
    ),
    (.avx, ["Sandybridge", "Bulldozer", "Piledriver", "Steamroller", "Excavator"]),
    (.avx2, ["Haswell", "Zen"]),
    (.avx512, ["SkylakeX", "Cooperlake"]),
  ]

  /// The level of core `name` (ASCII case ignored, as OpenBLAS does), or nil for a name
  /// 0.3.21 does not have. A search by bytes: a dictionary of `lowercased()` names cost
  /// 0.45 M instructions at start-up.
  public static func level(of name: String) -> Level? {
    levels.first { _, names in names.contains { sameName($0, name) } }?.0
  }

  /// Equal but for ASCII case.
  public static func sameName(_ a: String, _ b: String) -> Bool {
    func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
    return a.utf8.elementsEqual(b.utf8) { lower($0) == lower($1) }
  }

  /// The core ganrepl chooses for `level` on `cpu`: SkylakeX, Zen on AMD and Haswell
  /// elsewhere, Sandybridge, then Nehalem (SSE4.2) or Prescott (SSE3).
  public static func best(_ level: Level, on cpu: CPUFeatures) -> String {
    switch level {
    case .avx512: "SkylakeX"
    case .avx2: cpu.isAMD ? "Zen" : "Haswell"
    case .avx: "Sandybridge"
    case .sse: cpu.usable.contains(.sse42) ? "Nehalem" : "Prescott"
    }
  }

  /// The core to try after `core` computed wrong on `cpu`: the best one a level lower
  /// (an unknown core counts as the CPU's level, at most AVX2), then Prescott; nil after
  /// Prescott, when only the reference loop is left.
  public static func fallback(after core: String, on cpu: CPUFeatures) -> String? {
    guard let level = level(of: core) else { return best(min(Level(cpu), .avx2), on: cpu) }
    if let lower = Level(rawValue: level.rawValue - 1) { return best(min(lower, Level(cpu)), on: cpu) }
    return sameName(core, "Prescott") ? nil : "Prescott"
  }
}
