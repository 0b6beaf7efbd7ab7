import Foundation
import Session

/// `mpirun -n N ganrepl NOTEBOOK`: every rank runs the whole notebook with the same
/// seed and commands; each training step's batch is split across the ranks and their
/// gradients summed (see Session's Parallel folder). Rank 0 prints, draws and saves. A
/// rank that fails ends the whole job (MPI_Abort) after saying which rank it was, so no
/// rank waits forever for one that stopped; Ctrl-C on any rank stops every rank after the
/// same step.
enum MPIRun {
  /// The job's ranks when mpirun started this process, nil for a plain run. Exits with a
  /// message when mpirun started it but Open MPI cannot be loaded.
  static func start() -> MPICommunicator? {
    do {
      guard let ranks = try MPICommunicator.start() else { return nil }
      forwardStopSignal()
      return ranks
    } catch {
      Terminal.error("ganrepl: " + error.description)
      exit(1)
    }
  }

  /// Ctrl-C at mpirun ends the whole job at once (mpirun kills its ranks, which run in
  /// process groups of their own), but mpirun passes SIGUSR1 on to every rank: so here
  /// SIGUSR1 is Ctrl-C, and `kill -USR1 <mpirun's pid>` stops every rank after the same
  /// step, cleanly.
  static func forwardStopSignal() {
    signal(SIGUSR1) { _ in Interrupt.count &+= 1 }
    // A parent may have blocked it (the mask is inherited across exec).
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGUSR1)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// Runs `runner`'s notebook as one rank of `ranks`; returns the exit code once every
  /// rank is done, or ends the job when this rank failed.
  static func run(_ runner: NotebookRunner, on ranks: MPICommunicator) -> Int32 {
    runner.interpreter.state.communicator = ranks
    runner.presenter.rank = (ranks.rank, ranks.size)
    let code = runner.run()
    if code == 0 || code == 130 {
      ranks.finish()
      return code
    }
    ranks.abort(code: code)
  }
}
