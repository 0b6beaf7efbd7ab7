import CCPUID

/// What this CPU can run, read with cpuid and xgetbv: vendor, model, the instruction sets
/// the CPU reports, and the register state the operating system enables for them.
///
/// An instruction set is usable only when both agree: AVX and AVX2 need the OS to save the
/// upper halves of the YMM registers, AVX-512 the opmask and ZMM registers, AMX the tiles
/// (XCR0). `usable` is that intersection; `reported` is the CPU's word alone.
public struct CPUFeatures: Equatable, Sendable {
  public enum InstructionSet: String, CaseIterable, Comparable, Sendable {
    case sse3 = "SSE3"
    case ssse3 = "SSSE3"
    case sse41 = "SSE4.1"
    case sse42 = "SSE4.2"
    case avx = "AVX"
    case fma = "FMA"
    case avx2 = "AVX2"
    case avx512f = "AVX-512F"
    case avx512bw = "AVX-512BW"
    case avx512dq = "AVX-512DQ"
    case avx512vl = "AVX-512VL"
    case avx512vnni = "AVX-512VNNI"
    case avx512bf16 = "AVX-512BF16"
    case amxTile = "AMX-TILE"
    case amxInt8 = "AMX-INT8"
    case amxBF16 = "AMX-BF16"

    /// The register state the OS must enable before this set can run.
    var state: OSState {
      switch self {
      case .sse3, .ssse3, .sse41, .sse42: []
      case .avx, .fma, .avx2: .ymm
      case .avx512f, .avx512bw, .avx512dq, .avx512vl, .avx512vnni, .avx512bf16: [.ymm, .zmm]
      case .amxTile, .amxInt8, .amxBF16: .amx
      }
    }

    public static func < (a: Self, b: Self) -> Bool {
      allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
  }

  /// Register state the operating system saves across context switches (from XCR0).
  public struct OSState: OptionSet, Equatable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// XCR0 bits 1–2: SSE and the upper halves of YMM.
    public static let ymm = OSState(rawValue: 1)
    /// XCR0 bits 5–7: opmasks, upper halves of ZMM0–15, ZMM16–31.
    public static let zmm = OSState(rawValue: 2)
    /// XCR0 bits 17–18: AMX tile configuration and data.
    public static let amx = OSState(rawValue: 4)

    public init(xcr0: UInt64) {
      var state: OSState = []
      if xcr0 & 0b110 == 0b110 { state.insert(.ymm) }
      if xcr0 & 0b1110_0000 == 0b1110_0000 { state.insert(.zmm) }
      if xcr0 & (0b11 << 17) == 0b11 << 17 { state.insert(.amx) }
      self = state
    }
  }

  /// The cpuid vendor string: `GenuineIntel`, `AuthenticAMD`, …
  public var vendor: String
  /// The brand string, e.g. `AMD EPYC 7B13` (empty when the CPU has none).
  public var brand: String
  /// Display family and model (with the extended fields folded in, as `lscpu` shows them).
  public var family: Int, model: Int
  public var reported: Set<InstructionSet>
  public var osState: OSState

  public init(
    vendor: String, brand: String = "", family: Int = 0, model: Int = 0, reported: Set<InstructionSet>,
    osState: OSState
  ) {
    (self.vendor, self.brand, self.family, self.model) = (vendor, brand, family, model)
    (self.reported, self.osState) = (reported, osState)
  }

  /// The sets the CPU reports and the OS enables.
  public var usable: Set<InstructionSet> { reported.filter { osState.isSuperset(of: $0.state) } }

  public var isAMD: Bool { vendor == "AuthenticAMD" }
  public var isIntel: Bool { vendor == "GenuineIntel" }

  /// AVX-512 F, BW, DQ and VL together: what OpenBLAS's SkylakeX kernels need.
  public var hasAVX512Core: Bool { usable.isSuperset(of: [.avx512f, .avx512bw, .avx512dq, .avx512vl]) }
  /// AVX2 and FMA together: what OpenBLAS's Haswell and Zen kernels need.
  public var hasAVX2FMA: Bool { usable.isSuperset(of: [.avx2, .fma]) }
  /// Whether this CPU is taken to run AVX-512 on 256-bit units, each 512-bit instruction as
  /// two halves: AMD family 25 with AVX-512, which is Zen 4 (AMD's optimisation guide for
  /// it says so; Zen 3, the family's other core, has no AVX-512). There a GEMM flop costs
  /// twice what it costs where 512-bit FMAs run whole (Zen 5's EPYC, Xeons with two FMA
  /// units), beside the same memory traffic, so methods that do fewer multiplications win
  /// more often (`WinogradF4Choice.Reach`). Not listed, so counted as whole: Zen 5's laptop
  /// parts and Xeons with one 512-bit FMA unit, which split or halve it too but were not
  /// measured. A virtual machine reports the family its hypervisor shows.
  public var runsAVX512InHalves: Bool { isAMD && family == 25 && hasAVX512Core }

  /// The CPU this process runs on.
  public static var current: CPUFeatures {
    func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> [UInt32] {
      var r = ganrepl_cpuid_registers()
      _ = ganrepl_cpuid(leaf, subleaf, &r)
      return [r.eax, r.ebx, r.ecx, r.edx]
    }
    let leaf0 = cpuid(0)
    return CPUFeatures(
      vendor: text([leaf0[1], leaf0[3], leaf0[2]]),
      brand: text((UInt32(0x8000_0002)...0x8000_0004).flatMap { cpuid($0) }),
      leaf1: cpuid(1), leaf7: cpuid(7), leaf7Subleaf1: cpuid(7, 1), xcr0: ganrepl_xcr0())
  }

  /// Decodes cpuid's registers ([EAX, EBX, ECX, EDX] of leaves 1, 7 and 7.1) and XCR0.
  init(vendor: String, brand: String, leaf1: [UInt32], leaf7: [UInt32], leaf7Subleaf1: [UInt32], xcr0: UInt64) {
    func bit(_ register: UInt32, _ n: UInt32) -> Bool { register >> n & 1 == 1 }
    let (eax, ecx) = (leaf1[0], leaf1[2])
    let baseFamily = Int(eax >> 8 & 0xF)
    let baseModel = Int(eax >> 4 & 0xF)
    let family = baseFamily == 0xF ? baseFamily + Int(eax >> 20 & 0xFF) : baseFamily
    let model = baseFamily == 6 || baseFamily == 0xF ? baseModel + Int(eax >> 16 & 0xF) << 4 : baseModel
    let bits: [(InstructionSet, Bool)] = [
      (.sse3, bit(ecx, 0)), (.ssse3, bit(ecx, 9)), (.fma, bit(ecx, 12)), (.sse41, bit(ecx, 19)),
      (.sse42, bit(ecx, 20)), (.avx, bit(ecx, 28)),
      (.avx2, bit(leaf7[1], 5)), (.avx512f, bit(leaf7[1], 16)), (.avx512dq, bit(leaf7[1], 17)),
      (.avx512bw, bit(leaf7[1], 30)), (.avx512vl, bit(leaf7[1], 31)), (.avx512vnni, bit(leaf7[2], 11)),
      (.amxBF16, bit(leaf7[3], 22)), (.amxTile, bit(leaf7[3], 24)), (.amxInt8, bit(leaf7[3], 25)),
      (.avx512bf16, bit(leaf7Subleaf1[0], 5)),
    ]
    self.init(
      vendor: vendor, brand: brand, family: family, model: model,
      reported: Set(bits.filter(\.1).map(\.0)), osState: OSState(xcr0: xcr0))
  }
}

/// The ASCII bytes of `registers`, little-endian, without NULs and surrounding spaces
/// (trimmed as bytes: trimming `Character`s costs a hundred times more at start-up).
private func text(_ registers: [UInt32]) -> String {
  var bytes = registers.flatMap { r in (0..<4).map { UInt8(truncatingIfNeeded: r >> ($0 * 8)) } }.filter { $0 != 0 }
  while bytes.last == 0x20 { bytes.removeLast() }
  return String(decoding: bytes.drop { $0 == 0x20 }, as: UTF8.self)
}

extension CPUFeatures: CustomStringConvertible {
  /// `AMD EPYC 7B13 (AuthenticAMD, family 25, model 1); SSE3 … AVX2 FMA; AVX-512 not reported`,
  /// naming any set the CPU reports but the OS leaves disabled.
  public var description: String {
    let name = brand.isEmpty ? vendor : "\(brand) (\(vendor), family \(family), model \(model))"
    let sets = usable.sorted().map(\.rawValue).joined(separator: " ")
    var s = name + ": " + (sets.isEmpty ? "no SIMD sets reported" : sets)
    if !hasAVX512Core { s += "; no AVX-512" }
    let disabled = reported.subtracting(usable).sorted().map(\.rawValue)
    if !disabled.isEmpty { s += "; reported but not enabled by the OS: " + disabled.joined(separator: " ") }
    return s
  }
}
