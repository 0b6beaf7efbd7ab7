@preconcurrency import Glibc

/// The signals that stop an mpirun job after the current step (see `Interrupt`).
///
/// Ctrl-C reaches mpirun alone: the ranks run in process groups of their own. Open MPI 4's
/// mpirun (ORTE's odls, `kill_local_procs`) then ends its ranks in three beats:
/// SIGCONT to every rank, `odls_base_sigkill_timeout` seconds (default 1) of sleep,
/// SIGTERM, the same sleep again, SIGKILL. So each rank treats that first SIGCONT, and
/// a SIGTERM, as Ctrl-C: every rank stops after the same step and rank 0 says so, if the
/// step ends before the SIGKILL: within 2 s by default, within 2·T s under
/// `--mca odls_base_sigkill_timeout T` (mpirun then sleeps out the 2·T s before it exits).
/// A SIGCONT that resumes a rank stopped by Ctrl-Z (SIGTSTP, which mpirun passes on, as
/// it passes on SIGCONT after `fg`) is a resume, not a stop. SIGUSR1, which mpirun passes
/// on to every rank, stops the job after the current step without ending it; so does a
/// SIGHUP a rank gets (unless ignored, as under nohup), exiting 130 as the others do.
enum MPIStopSignals {
  /// Set between a SIGTSTP and the SIGCONT that resumes the rank.
  nonisolated(unsafe) static var suspended: sig_atomic_t = 0

  static func install() {
    signal(SIGUSR1) { _ in Interrupt.count &+= 1 }
    signal(SIGTERM) { _ in Interrupt.count &+= 1 }
    if !Interrupt.ignoredByParent(SIGHUP) { signal(SIGHUP) { _ in Interrupt.count &+= 1 } }
    signal(SIGCONT) { _ in
      if MPIStopSignals.suspended != 0 {
        MPIStopSignals.suspended = 0
      } else {
        Interrupt.count &+= 1
      }
    }
    signal(SIGTSTP) { _ in
      MPIStopSignals.suspended = 1
      raise(SIGSTOP)
    }
    // A parent may have blocked them (the mask is inherited across exec).
    var set = sigset_t()
    sigemptyset(&set)
    for s in [SIGUSR1, SIGTERM, SIGHUP, SIGCONT, SIGTSTP] { sigaddset(&set, s) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}
