import CKernels

/// The instruction sets ganrepl's direct convolution (Sources/CKernels) is compiled for,
/// lowest first. One C source, `direct_conv_template.h`, is built once per set with the
/// matching `target` attribute, so every set computes the same loops on wider vectors.
public enum DirectConvISA: String, CaseIterable, Comparable, Sendable {
  /// 4-float vectors with no target attribute: SSE2, which every x86-64 CPU runs.
  case baseline = "SSE2"
  /// 8-float vectors with FMA.
  case avx2 = "AVX2+FMA"
  /// 16-float vectors (AVX-512 F, BW, DQ, VL).
  case avx512 = "AVX-512"

  /// Whether `cpu` reports this set and its OS enables the registers it needs.
  public func runs(on cpu: CPUFeatures) -> Bool {
    switch self {
    case .baseline: true
    case .avx2: cpu.hasAVX2FMA
    case .avx512: cpu.hasAVX512Core
    }
  }

  /// The sets `cpu` runs, best first: the order the start-up check tries them in.
  public static func runnable(on cpu: CPUFeatures) -> [DirectConvISA] {
    allCases.filter { $0.runs(on: cpu) && $0.kernelTable != nil }.reversed()
  }

  /// The C kernels of this set; nil when this build has no code for it (not x86-64).
  var kernelTable: UnsafePointer<ganrepl_direct_conv_kernels>? {
    switch self {
    case .baseline: ganrepl_direct_conv_baseline()
    case .avx2: ganrepl_direct_conv_avx2()
    case .avx512: ganrepl_direct_conv_avx512()
    }
  }

  /// The kernels, for a set `runs(on:)` the current CPU.
  var kernels: ganrepl_direct_conv_kernels {
    guard let table = kernelTable else { preconditionFailure("no \(rawValue) direct-conv kernels in this build") }
    return table.pointee
  }

  /// The Winograd F(4×4, 2×2) transforms compiled for this set (`winograd_f4_template.h`).
  var winograd4: ganrepl_winograd4_kernels {
    let table: UnsafePointer<ganrepl_winograd4_kernels>? =
      switch self {
      case .baseline: ganrepl_winograd4_baseline()
      case .avx2: ganrepl_winograd4_avx2()
      case .avx512: ganrepl_winograd4_avx512()
      }
    guard let table else { preconditionFailure("no \(rawValue) Winograd transforms in this build") }
    return table.pointee
  }

  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}
