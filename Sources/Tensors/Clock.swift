#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Seconds on a monotonic clock (for timing; costs tens of nanoseconds).
@inline(__always)
public func monotonicSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
