import Synchronization
import Testing

@testable import Tensors

@Suite("Threads")
struct ParallelTests {
  @Test("parallelFor runs every index once, on up to the threads asked for, and polls at the end")
  func parallelForRunsEachIndexOnce() {
    for (count, threads) in [(0, 4), (1, 4), (7, 1), (100, 3), (1000, 16)] {
      let runs = SendablePointer(UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1)))
      runs.pointer.initialize(repeating: 0, count: max(count, 1))
      defer { runs.pointer.deallocate() }
      var polls = 0
      // Each index is taken by one thread only, so the increments do not race.
      parallelFor(count, threads: threads, body: { i in runs.pointer[i] += 1 }, poll: { polls += 1 })
      #expect((0..<count).allSatisfy { runs.pointer[$0] == 1 }, "count \(count), threads \(threads)")
      #expect(polls >= 1, "count \(count), threads \(threads)")
    }
  }

  @Test("parallelRanges covers 0..<count with disjoint ranges in order")
  func parallelRangesCoversCount() {
    for count in [0, 1, 5, 1 << 17] {
      let parts = Mutex<[Range<Int>]>([])
      ParallelProbe.$current.withValue(ParallelProbe(threads: 3)) {
        parallelRanges(count, grain: 1) { range in parts.withLock { $0.append(range) } }
      }
      let sorted = parts.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
      #expect(sorted.first?.lowerBound == 0 && sorted.last?.upperBound == count, "\(count): \(sorted)")
      #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "\(count): \(sorted)")
    }
  }
}
