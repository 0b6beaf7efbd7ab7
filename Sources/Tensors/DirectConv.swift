#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which direct-convolution kernels this process runs, and where the direct method is used.
public enum DirectConv {
  /// This process's choice, made at its first use (`ganrepl` makes it at start-up, to print
  /// the notice): the best set the CPU runs that passes `DirectConvStartupCheck`, or what
  /// `GANREPL_DIRECT_CONV` asks for.
  public static let choice = DirectConvChoice(
    cpu: .current, request: getenv(DirectConvChoice.variable).map { String(cString: $0) },
    check: DirectConvStartupCheck.run)

  /// The set `ConvMethod.direct` runs on; nil when the direct method is off.
  public static var isa: DirectConvISA? { choice.isa }

  /// Patches (KH·KW·IC floats) up to this size go to the direct kernels.
  public static let largestPatch = 64

  /// Whether the direct method is the fastest for `pass` on `g`, by measurement (release,
  /// AMD EPYC Zen 3, AVX2, 2 shared cores; `bench dcgan` and `bench tutorial` alternating,
  /// see Sources/Tensors/README.md).
  static func wins(_ pass: ConvPass, _ g: ConvGeometry) -> Bool {
    guard isa != nil, g.patchSize <= largestPatch else { return false }
    switch pass {
    case .forward: return true
    case .backwardInput: return false
    case .backwardWeight: return g.inputChannels >= 3
    }
  }
}

/// The decision behind `DirectConv.choice`, on a CPU, the user's request and a check.
public struct DirectConvChoice: Sendable {
  /// `off` (the existing GEMM methods only), or an instruction set: `sse2`, `avx2`, `avx512`.
  public static let variable = "GANREPL_DIRECT_CONV"

  /// The set the direct method runs on; nil: off.
  public let isa: DirectConvISA?
  /// Sets that failed the start-up check, in the order tried.
  public let rejected: [DirectConvStartupCheck.Mismatch]
  /// Why the user's `GANREPL_DIRECT_CONV` was not followed, if it was not.
  public let requestProblem: String?
  /// The user asked for the direct method off.
  public let requestedOff: Bool

  public init(cpu: CPUFeatures, request: String?, check: (DirectConvISA) -> DirectConvStartupCheck.Mismatch?) {
    var candidates = DirectConvISA.runnable(on: cpu)
    var problem: String?
    var off = false
    switch request?.lowercased() {
    case nil, "": break
    case "off": off = true
    case let name?:
      if let asked = DirectConvISA.allCases.first(where: { $0.variableName == name }) {
        if candidates.contains(asked) {
          candidates.removeAll { $0 > asked }
        } else {
          problem = "\(Self.variable)=\(name) asks for \(asked.rawValue), which this CPU does not run"
        }
      } else {
        let names = (["off"] + DirectConvISA.allCases.map(\.variableName)).joined(separator: ", ")
        problem = "\(Self.variable)=\(name) is not one of \(names)"
      }
    }
    var rejected: [DirectConvStartupCheck.Mismatch] = []
    var chosen: DirectConvISA?
    if !off {
      for isa in candidates {
        guard let mismatch = check(isa) else {
          chosen = isa
          break
        }
        rejected.append(mismatch)
      }
    }
    (isa, self.rejected, requestProblem, requestedOff) = (chosen, rejected, problem, off)
  }

  /// The `bench` and `--cpu` line.
  public var line: String {
    let override = "; \(Self.variable)=off|sse2|avx2|avx512 overrides"
    guard let isa else {
      let why = requestedOff ? "off (\(Self.variable)=off)" : "off: every instruction set failed the start-up check"
      return "Direct convolution kernels: " + why
    }
    var s =
      "Direct convolution kernels: ganrepl's \(isa.rawValue), for patches of up to \(DirectConv.largestPatch) floats"
    if !rejected.isEmpty {
      s += " (failed the start-up check: " + rejected.map(\.isa.rawValue).joined(separator: ", ") + ")"
    }
    return s + override
  }

  /// The once-per-run notice: a set failed the start-up check, or the request was not followed.
  public var notice: String? {
    var parts: [String] = []
    if let requestProblem { parts.append(requestProblem + "; using \(isa?.rawValue ?? "the GEMM methods")") }
    if let first = rejected.first {
      let now = isa.map { "its \($0.rawValue) kernels" } ?? "the GEMM methods (columns, shifted, Winograd)"
      parts.append("the direct convolution computed \(first) in the start-up check; running on \(now) instead")
    }
    return parts.isEmpty ? nil : "ganrepl: " + parts.joined(separator: "; ")
  }
}

extension DirectConvISA {
  /// Its name in `GANREPL_DIRECT_CONV`.
  public var variableName: String {
    switch self {
    case .baseline: "sse2"
    case .avx2: "avx2"
    case .avx512: "avx512"
    }
  }
}
