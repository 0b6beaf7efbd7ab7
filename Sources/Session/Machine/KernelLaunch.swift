@preconcurrency import Glibc
import Tensors

/// The first thing `main` does: makes sure OpenBLAS runs the best kernels this CPU can run
/// and that they compute right, restarting ganrepl when they do not.
///
/// OpenBLAS picks its kernel set ("core") when the library loads, before `main`, and reads
/// `OPENBLAS_CORETYPE` only then: so a better choice means executing ganrepl again (same
/// arguments, same open files, so the same terminal, pipes and exit code) with the
/// variable set. `GANREPL_OPENBLAS_CHOICE` marks the new process, which never restarts for
/// a better core again, only to fall back from one that failed `GEMMStartupCheck`; each
/// fallback is a level lower, so there are at most five restarts. A user's own
/// `OPENBLAS_CORETYPE` is never replaced. Cost: cpuid and the check, well under a
/// millisecond, and one more library load when a restart happens.
public enum KernelLaunch {
  /// Decides, checks, and restarts the process when needed (then it does not return).
  /// Returns the notice to print once, if any: a core failed the check and ganrepl runs
  /// another (or the reference loop), or the user's own choice looks wrong.
  public static func start() -> String? {
    let cpu = CPUFeatures.current
    let core = BLAS.coreName
    let user = KernelChoice.environment("OPENBLAS_CORETYPE")
    let recorded = KernelChoice.environment(KernelChoice.Record.variable).flatMap(KernelChoice.Record.init)
    if let user, !user.isEmpty, recorded == nil {
      return checkUserChoice(user, core: core, cpu: cpu)
    }
    var record = recorded ?? KernelChoice.Record(detected: core)
    if recorded == nil,
      let better = OpenBLASCoreDecision(cpu: cpu, openBLASCore: core, userCoreType: nil).restartWith
    {
      restart(with: better, record)
    }
    if GEMMStartupCheck.run() != nil {
      let lower = record.fallback(after: core, on: cpu)
      record.rejected.append(core)
      if let lower { restart(with: lower, record) }
      record.reference = true
      BLAS.usesReference = true
      setenv(KernelChoice.Record.variable, record.encoded, 1)
    }
    return KernelChoice(cpu: cpu, core: core, userCoreType: user, record: record).fallbackNotice
  }

  /// The user's core runs as set; a failed check is only reported, and a core above the
  /// CPU is not even checked (it would stop on an illegal instruction).
  static func checkUserChoice(_ user: String, core: String, cpu: CPUFeatures) -> String? {
    let level = OpenBLASCores.Level(cpu)
    if let needs = OpenBLASCores.level(of: core), needs > level {
      return
        ("ganrepl: OPENBLAS_CORETYPE=\(user) gives OpenBLAS's \(core) kernels, which need \(needs);"
        + " this CPU runs \(level): expect 'illegal instruction'")
    }
    guard let mismatch = GEMMStartupCheck.run() else { return nil }
    return
      ("ganrepl: with OPENBLAS_CORETYPE=\(user), OpenBLAS's \(core) sgemm disagrees with the reference"
      + " (\(mismatch)); unset it to let ganrepl choose")
  }

  /// Executes this program again with `OPENBLAS_CORETYPE=core` and `record`; returns only
  /// if that fails (then this process goes on with the kernels it has).
  static func restart(with core: String, _ record: KernelChoice.Record) {
    setenv("OPENBLAS_CORETYPE", core, 1)
    setenv(KernelChoice.Record.variable, record.encoded, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    unsetenv("OPENBLAS_CORETYPE")
    unsetenv(KernelChoice.Record.variable)
  }
}
