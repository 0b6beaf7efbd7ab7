/// Whether ganrepl should restart itself with another OpenBLAS kernel set, and why: a
/// pure function of the CPU, OpenBLAS's own choice and the user's `OPENBLAS_CORETYPE`.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when the library loads, so a different choice
/// takes effect only in a new process (the executable re-executes itself).
public struct OpenBLASCoreDecision: Equatable, Sendable {
  public enum Reason: Equatable, Sendable {
    /// The user set `OPENBLAS_CORETYPE`: respected, whatever it names.
    case userChoice(String)
    /// OpenBLAS's kernels use the CPU's best level already.
    case matchesCPU(OpenBLASCores.Level)
    /// A core name this table does not know (a newer OpenBLAS): its choice is trusted.
    case unknownCore
    /// OpenBLAS chose kernels below what the CPU runs (it does not know the CPU).
    case belowCPU(core: OpenBLASCores.Level, cpu: OpenBLASCores.Level)
    /// OpenBLAS chose kernels the CPU (or its OS) cannot run.
    case aboveCPU(core: OpenBLASCores.Level, cpu: OpenBLASCores.Level)
  }

  /// The core to re-execute with (`OPENBLAS_CORETYPE`), or nil to keep OpenBLAS's choice.
  public var restartWith: String?
  public var reason: Reason

  public init(restartWith: String?, reason: Reason) {
    (self.restartWith, self.reason) = (restartWith, reason)
  }

  /// The decision for `cpu`, given the core OpenBLAS chose (`openblas_get_corename()`) and
  /// the user's `OPENBLAS_CORETYPE` (nil or empty when unset).
  public init(cpu: CPUFeatures, openBLASCore: String, userCoreType: String?) {
    if let user = userCoreType, !user.isEmpty {
      self.init(restartWith: nil, reason: .userChoice(user))
      return
    }
    guard let core = OpenBLASCores.level(of: openBLASCore) else {
      self.init(restartWith: nil, reason: .unknownCore)
      return
    }
    let level = OpenBLASCores.Level(cpu)
    if core < level {
      self.init(restartWith: OpenBLASCores.best(level, on: cpu), reason: .belowCPU(core: core, cpu: level))
    } else if core > level {
      self.init(restartWith: OpenBLASCores.best(level, on: cpu), reason: .aboveCPU(core: core, cpu: level))
    } else {
      self.init(restartWith: nil, reason: .matchesCPU(level))
    }
  }
}

extension OpenBLASCoreDecision.Reason: CustomStringConvertible {
  public var description: String {
    switch self {
    case .userChoice(let name): "OPENBLAS_CORETYPE=\(name) set by the user"
    case .matchesCPU(let level): "OpenBLAS's own choice, the CPU's best level (\(level))"
    case .unknownCore: "OpenBLAS's own choice (a core name ganrepl does not rank)"
    case .belowCPU(let core, let cpu): "\(core) kernels on a CPU with \(cpu)"
    case .aboveCPU(let core, let cpu): "\(core) kernels on a CPU (or OS) with only \(cpu)"
    }
  }
}
