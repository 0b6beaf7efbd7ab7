import Dispatch

/// A raw pointer that several threads write to at disjoint offsets.
struct SharedPointer<T>: @unchecked Sendable {
  let base: UnsafeMutablePointer<T>
}

/// Runs `body(i)` for every i in 0..<count on `threads` threads, while the calling thread
/// calls `poll()` about five times a second (progress, interruption) until all are done.
func parallelFor(
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

/// A shared counter handing out 0, 1, 2, … under a lock.
final class Counter: @unchecked Sendable {
  private let lock = DispatchSemaphore(value: 1)
  private var value = 0

  /// The next value if it is below `limit`.
  func take(below limit: Int) -> Int? {
    lock.wait()
    defer { lock.signal() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}
