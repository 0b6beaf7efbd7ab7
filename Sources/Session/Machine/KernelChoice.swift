@preconcurrency import Glibc
import Tensors

/// Which OpenBLAS kernels this process runs on and how they were chosen, read back from
/// the CPU, OpenBLAS and the environment (`KernelLaunch` leaves its record there when it
/// re-executes), so `bench` and `--cpu` can say it at any time.
public struct KernelChoice {
  /// What `KernelLaunch` passes to the process it re-executes, in `GANREPL_OPENBLAS_CHOICE`:
  /// `detected=Prescott;rejected=SkylakeX,Haswell;reference`.
  struct Record: Equatable {
    static let variable = "GANREPL_OPENBLAS_CHOICE"

    /// The core OpenBLAS chose by itself in the first process.
    var detected: String
    /// Cores that failed the start-up check, in the order they were tried.
    var rejected: [String] = []
    /// Every core failed: `gemm` runs the reference loop.
    var reference = false

    /// The core to restart with after `core` failed the check: the next lower one, or nil
    /// (the reference loop) after Prescott, or when `core` failed before: then OpenBLAS
    /// ignores `OPENBLAS_CORETYPE` (a build for one CPU) and restarting would loop.
    func fallback(after core: String, on cpu: CPUFeatures) -> String? {
      if rejected.contains(where: { OpenBLASCores.sameName($0, core) }) { return nil }
      return OpenBLASCores.fallback(after: core, on: cpu)
    }

    var encoded: String {
      (["detected=" + detected] + (rejected.isEmpty ? [] : ["rejected=" + rejected.joined(separator: ",")])
        + (reference ? ["reference"] : [])).joined(separator: ";")
    }

    init(detected: String, rejected: [String] = [], reference: Bool = false) {
      (self.detected, self.rejected, self.reference) = (detected, rejected, reference)
    }

    /// nil for a value `encoded` did not write.
    init?(_ text: String) {
      var detected: String?
      for field in text.split(separator: ";") {
        let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count) {
        case ("detected", 2): detected = parts[1]
        case ("rejected", 2): rejected = parts[1].split(separator: ",").map(String.init)
        case ("reference", 1): reference = true
        default: return nil
        }
      }
      guard let detected, !detected.isEmpty else { return nil }
      self.detected = detected
    }
  }

  var cpu: CPUFeatures
  /// The core OpenBLAS runs now (`openblas_get_corename()`).
  var core: String
  /// The decision as first made: on OpenBLAS's own choice and the user's variable.
  var decision: OpenBLASCoreDecision
  /// Set when ganrepl re-executed itself (or fell back to the reference loop).
  var record: Record?

  /// This process's choice.
  public static var current: KernelChoice {
    KernelChoice(
      cpu: .current, core: BLAS.coreName, userCoreType: environment("OPENBLAS_CORETYPE"),
      record: environment(Record.variable).flatMap(Record.init))
  }

  /// The variable as this process's environment has it now (`KernelLaunch` sets some).
  static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

  init(cpu: CPUFeatures, core: String, userCoreType: String?, record: Record?) {
    (self.cpu, self.core, self.record) = (cpu, core, record)
    decision =
      record.map { OpenBLASCoreDecision(cpu: cpu, openBLASCore: $0.detected, userCoreType: nil) }
      ?? OpenBLASCoreDecision(cpu: cpu, openBLASCore: core, userCoreType: userCoreType)
  }

  /// Two lines for `bench` and `--cpu`: the CPU, then the kernels and why.
  public var lines: [String] {
    var kernels = "OpenBLAS \(core) kernels"
    if let record, record.reference {
      kernels =
        "the reference sgemm loop (slow): OpenBLAS failed the start-up check with every core tried ("
        + record.rejected.joined(separator: ", ") + ")"
    } else if let record, !record.rejected.isEmpty {
      kernels +=
        ", ganrepl's fallback: failed the start-up check: " + record.rejected.joined(separator: ", ")
        + " (OpenBLAS chose \(record.detected))"
    } else if let record, record.detected != core {
      kernels += ", chosen by ganrepl in place of \(record.detected): " + decision.reason.description
    } else {
      kernels += ": " + decision.reason.description
    }
    if case .userChoice = decision.reason {} else { kernels += "; OPENBLAS_CORETYPE=NAME overrides" }
    return ["CPU: \(cpu)", kernels, DirectConv.choice.line, WinogradF4.choice.line]
  }

  /// The once-per-run notice when the start-up check rejected a core, nil otherwise.
  var fallbackNotice: String? {
    guard let record, !record.rejected.isEmpty else { return nil }
    let failed = "OpenBLAS's " + record.rejected.joined(separator: ", ") + " kernels"
    let now = record.reference ? "ganrepl's reference loop (much slower)" : "OpenBLAS's \(core) kernels"
    return "ganrepl: \(failed) computed sgemm wrong in the start-up check; running on \(now) instead"
  }
}
