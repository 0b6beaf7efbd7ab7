import CMPILoader
import Foundation
import Tensors

/// The ranks of an Open MPI job. ganrepl links no MPI library: when mpirun started this
/// process (`OMPI_COMM_WORLD_SIZE` is set), `start` loads libmpi.so.40 at run time (see
/// CMPILoader), so one binary runs alone or under mpirun, and a machine without Open MPI
/// loses nothing.
public final class MPICommunicator: Communicator {
  public let rank: Int
  public let size: Int
  public private(set) var traffic = CollectiveTraffic()

  private init(rank: Int, size: Int) {
    self.rank = rank
    self.size = size
  }

  /// The job's communicator when mpirun started this process, else nil (a plain run).
  /// Loads `GANREPL_LIBMPI` if set (Open MPI installed elsewhere), else libmpi.so.40 from
  /// the system's library path. Throws when started by mpirun but the library cannot be
  /// loaded or started.
  public static func start(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(SessionError) -> MPICommunicator?
  {
    guard environment["OMPI_COMM_WORLD_SIZE"] != nil else { return nil }
    var (rank, size): (Int32, Int32) = (0, 1)
    var message = [CChar](repeating: 0, count: 512)
    let library = environment["GANREPL_LIBMPI"] ?? "libmpi.so.40"
    guard ganrepl_mpi_start(library, &rank, &size, &message, message.count) == 1 else {
      let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw SessionError(.mpiUnavailable(reason))
    }
    return MPICommunicator(rank: Int(rank), size: Int(size))
  }

  public func sum(_ values: UnsafeMutableBufferPointer<Float>) {
    timed(values.count * 4) { ganrepl_mpi_sum_floats(values.baseAddress, values.count) }
  }

  public func sum(_ values: UnsafeMutableBufferPointer<Double>) {
    timed(values.count * 8) { ganrepl_mpi_sum_doubles(values.baseAddress, values.count) }
  }

  public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int) {
    timed(values.count * 4) { ganrepl_mpi_broadcast_floats(values.baseAddress, values.count, Int32(root)) }
  }

  /// Ends every rank of the job with `code`, after this rank has reported why.
  public func abort(code: Int32) -> Never {
    ganrepl_mpi_abort(code)
    exit(code)
  }

  /// The last call: after it no collective may run.
  public func finish() { ganrepl_mpi_finish() }

  private func timed(_ bytes: Int, _ body: () -> Void) {
    let start = monotonicSeconds()
    body()
    traffic.calls += 1
    traffic.bytes += bytes
    traffic.seconds += monotonicSeconds() - start
  }
}
