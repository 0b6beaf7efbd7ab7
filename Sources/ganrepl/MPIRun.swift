import Foundation
import Session

/// `mpirun -n N ganrepl NOTEBOOK`: every rank runs the whole notebook with the same
/// seed and commands; each training step's batch is split across the ranks and their
/// gradients summed (see Session's Parallel folder). Rank 0 prints, draws and saves. A
/// rank that fails ends the whole job (MPI_Abort) after saying which rank it was, so no
/// rank waits forever for one that stopped; Ctrl-C at mpirun, or SIGUSR1, stops every rank
/// after the same step (`MPIStopSignals`).
enum MPIRun {
  /// The job's ranks when mpirun started this process, nil for a plain run. Exits with a
  /// message when mpirun started it but Open MPI cannot be loaded.
  static func start() -> MPICommunicator? {
    do {
      guard let ranks = try MPICommunicator.start() else { return nil }
      MPIStopSignals.install()
      return ranks
    } catch {
      Terminal.error("ganrepl: " + error.description)
      exit(1)
    }
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
