import Foundation
import Session

/// Under mpirun every rank runs the notebook and rank 0 alone is heard: the other ranks
/// print nothing but their own failure.
extension Presenter {
  /// A rank other than 0.
  var isQuietRank: Bool { (rank?.index ?? 0) != 0 }

  /// A failure on a rank other than 0. When every rank fails the same way (a typo in the
  /// notebook), rank 0 reports it and ends the job first; so this waits a moment, and
  /// then says which rank failed: the job ends right after (MPI_Abort).
  func rankFailed(_ error: SessionError) {
    // Every rank stops after the same step on a stop signal: rank 0 says so.
    switch error.kind {
    case .interrupted, .notebookStopped: return
    default: break
    }
    guard let rank else { return }
    Thread.sleep(forTimeInterval: Self.quietRankGrace)
    Terminal.error("ganrepl: rank \(rank.index) of \(rank.of) failed, ending the run:\n" + error.description)
  }

  /// How long a failing rank other than 0 lets rank 0 speak first: 1 s was too short for
  /// 3 ranks on 2 loaded cores (load average 11), where rank 0's MPI_Abort took longer.
  static let quietRankGrace = 3.0
}
