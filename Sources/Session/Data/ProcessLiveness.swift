import Foundation

/// Whether the process `pid` has ended, so the temporaries it named after itself are
/// stranded: the test both sweeps make before removing what a killed ganrepl left
/// (`DatasetCache.sweepStranded` and `SaveFolder`'s sweep). False for this process, and
/// for a pid that exists but is not ours to signal (EPERM): only "no such process" counts.
func processHasEnded(_ pid: Int32) -> Bool {
  pid != getpid() && kill(pid, 0) == -1 && errno == ESRCH
}
