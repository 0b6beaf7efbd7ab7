import Dispatch

/// Splits 0..<count into one contiguous range per thread (`BLAS.threads` of them) and
/// runs `body` on each in parallel; small jobs (under `grain` elements per thread) run on
/// the calling thread. For memory-bound loops (activations, im2col) that would otherwise
/// use one core while OpenBLAS's threads wait.
public func parallelRanges(_ count: Int, grain: Int = 1 << 16, _ body: @Sendable (Range<Int>) -> Void) {
  let threads = max(1, min(BLAS.threads, count / max(grain, 1)))
  if threads == 1 {
    body(0..<count)
    return
  }
  DispatchQueue.concurrentPerform(iterations: threads) { t in
    body((count * t / threads)..<(count * (t + 1) / threads))
  }
}

/// A raw pointer handed to the threads of `parallelRanges`, which write disjoint parts.
struct SendablePointer<T>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<T>
  init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
  init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
