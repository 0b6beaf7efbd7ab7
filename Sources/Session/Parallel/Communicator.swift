import Foundation
import Tensors

/// The processes a session trains across, and the few collectives data-parallel training
/// needs. One process alone is `SingleProcess` (every collective is the identity, so a
/// plain run does exactly what it did before); `MPICommunicator` is the ranks of an
/// `mpirun` job. Every rank calls the same collectives in the same order: they all run
/// the same notebook.
public protocol Communicator: AnyObject {
  /// This process's number, 0 ..< `size`; rank 0 prints, writes pictures and saves.
  var rank: Int { get }
  /// How many processes share each step.
  var size: Int { get }
  /// Element-wise sums over every rank, in place: every rank ends with the same values.
  func sum(_ values: UnsafeMutableBufferPointer<Float>)
  func sum(_ values: UnsafeMutableBufferPointer<Double>)
  /// Rank `root`'s values, into every rank's `values`.
  func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int)
  /// Time and bytes spent in `sum` and `broadcast` so far (for `bench`).
  var traffic: CollectiveTraffic { get }
}

/// What the collectives have cost: calls, bytes each rank contributed, seconds waited.
public struct CollectiveTraffic: Equatable, Sendable {
  public var calls = 0
  public var bytes = 0
  public var seconds = 0.0

  public init() {}

  /// What happened between `earlier` and this.
  public func since(_ earlier: CollectiveTraffic) -> CollectiveTraffic {
    var d = CollectiveTraffic()
    (d.calls, d.bytes, d.seconds) = (calls - earlier.calls, bytes - earlier.bytes, seconds - earlier.seconds)
    return d
  }
}

/// One process: nothing to share.
public final class SingleProcess: Communicator {
  public init() {}
  public var rank: Int { 0 }
  public var size: Int { 1 }
  public func sum(_ values: UnsafeMutableBufferPointer<Float>) {}
  public func sum(_ values: UnsafeMutableBufferPointer<Double>) {}
  public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int) {}
  public var traffic: CollectiveTraffic { CollectiveTraffic() }
}

extension Communicator {
  /// Whether this process writes files and is heard: rank 0 (or the only process).
  public var isRoot: Bool { rank == 0 }

  /// This rank's part of a batch of `global` rows.
  public func share(of global: Int) -> BatchShare { BatchShare(global: global, rank: rank, ranks: size) }

  /// True on every rank when `flag` is true on any (Ctrl-C on one rank stops all after
  /// the same step).
  public func any(_ flag: Bool) -> Bool {
    if size == 1 { return flag }
    var value = [flag ? 1.0 : 0.0]
    value.withUnsafeMutableBufferPointer { sum($0) }
    return value[0] > 0
  }
}
