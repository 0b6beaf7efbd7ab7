import Dispatch
import Synchronization

/// Splits 0..<count into one contiguous range per thread (`BLAS.threads` of them) and
/// runs `body` on each in parallel; small jobs (under `grain` elements per thread) run on
/// the calling thread. For memory-bound loops (activations, im2col) that would otherwise
/// use one core while OpenBLAS's threads wait.
public func parallelRanges(_ count: Int, grain: Int = 1 << 16, _ body: @Sendable (Range<Int>) -> Void) {
  let probe = ParallelProbe.current
  let threads = max(1, min(parallelThreads, count / max(grain, 1)))
  if threads == 1 {
    probe?.record(parts: 1)
    body(0..<count)
    return
  }
  probe?.record(parts: threads)
  DispatchQueue.concurrentPerform(iterations: threads) { t in
    body((count * t / threads)..<(count * (t + 1) / threads))
  }
}

/// The threads `parallelRanges` splits work among: `BLAS.threads`, or a test's probe's.
public var parallelThreads: Int { ParallelProbe.current?.threads ?? BLAS.threads }

/// What `parallelRanges` did in the current task while this probe was set: how many parts
/// the largest call split into. For tests that must know the work really was split among
/// threads, without timing it (which threads Dispatch then runs the parts on is its own
/// choice: with the cores busy, the caller may run them all). `threads` replaces
/// `BLAS.threads` under the probe, so a test can ask for a split without changing the
/// process-wide setting.
public final class ParallelProbe: Sendable {
  @TaskLocal public static var current: ParallelProbe?

  public let threads: Int?
  private let largest = Mutex(0)

  public init(threads: Int? = nil) { self.threads = threads }

  /// The most parts any one call was split into (1: everything ran on the caller).
  public var largestSplit: Int { largest.withLock { $0 } }

  fileprivate func record(parts: Int) { largest.withLock { $0 = max($0, parts) } }
}

/// Runs `body(i)` for every i in 0..<count on up to `threads` threads, each taking the next
/// i when it finishes one (items of uneven cost: files to decode), while the calling thread
/// calls `poll()` about five times a second (progress, interruption) until all are done.
/// `parallelRanges` is for kernels: even parts, the caller computing too, no polling.
public func parallelFor(
  _ count: Int, threads: Int, body: @escaping @Sendable (Int) -> Void, poll: () -> Void = {}
) {
  let next = Counter()
  let group = DispatchGroup()
  group.enter()
  DispatchQueue.global().async {
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
      while let i = next.take(below: count) { body(i) }
    }
    group.leave()
  }
  while group.wait(timeout: .now() + .milliseconds(200)) == .timedOut { poll() }
  poll()
}

/// A shared counter handing out 0, 1, 2, … to `parallelFor`'s threads.
private final class Counter: Sendable {
  private let value = Mutex(0)

  /// The next value if it is below `limit`.
  func take(below limit: Int) -> Int? {
    value.withLock { v in
      guard v < limit else { return nil }
      v += 1
      return v - 1
    }
  }
}

/// A pointer handed to the threads of `parallelRanges` or `parallelFor`, which read it or
/// write disjoint parts of it.
public struct SendablePointer<T>: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<T>
  public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
  public init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
