import Foundation
import Tensors

extension Interpreter {
  /// Under mpirun, what `bench` adds: the time the ranks spent summing gradients, the bytes
  /// each rank sent into the allreduce per step, and the communication efficiency (the
  /// step's time outside the allreduce over its whole time: the scaling efficiency when the
  /// computation divides evenly over the ranks). One process: nothing.
  func reportRanks(_ architecture: BenchmarkArchitecture, traffic: CollectiveTraffic, stepSeconds: [Double]) {
    let ranks = state.communicator.size
    guard ranks > 1, !stepSeconds.isEmpty else { return }
    let steps = Double(stepSeconds.count)
    let step = stepSeconds.reduce(0, +) / steps
    let seconds = traffic.seconds / steps
    let megabytes = Double(traffic.bytes) / steps / 1e6
    report(
      .notice(
        String(
          format:
            "bench %@ over %d MPI ranks: %.1f images/s; allreduce %.2f ms per step (%.1f%% of the step),"
            + " %.2f MB per rank per step, %.2f ms per MB; communication efficiency %.1f%%",
          architecture.rawValue, ranks, Double(architecture.recipe.batch) / step, seconds * 1e3,
          100 * seconds / step, megabytes, seconds * 1e3 / max(megabytes, 1e-9), 100 * (1 - seconds / step))))
    let alone = allreduceSeconds(bytes: traffic.bytes / stepSeconds.count)
    report(
      .notice(
        String(
          format: "bench %@: the allreduce alone (ranks in step, best of 5): %.2f ms for %.2f MB = %.3f ms per MB",
          architecture.rawValue, alone * 1e3, megabytes, alone * 1e3 / max(megabytes, 1e-9))))
  }

  /// The best of `repeats` allreduces of `bytes`, each started when every rank is there
  /// (a one-number allreduce first), so it measures the transfer and not one rank waiting
  /// for another still computing.
  private func allreduceSeconds(bytes: Int, repeats: Int = 5) -> Double {
    var buffer = [Float](repeating: 1, count: max(bytes / 4, 1))
    var gate = [0.0]
    var best = Double.infinity
    for _ in 0..<repeats {
      gate.withUnsafeMutableBufferPointer { state.communicator.sum($0) }
      let start = monotonicSeconds()
      buffer.withUnsafeMutableBufferPointer { state.communicator.sum($0) }
      best = min(best, monotonicSeconds() - start)
    }
    return best
  }
}
