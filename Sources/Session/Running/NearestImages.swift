import Foundation
import Tensors

/// `nearest N PATH`, the memorisation check: each of N generated images beside the
/// training images closest to it by pixel distance (L2 over every value, in the data's
/// range). A generator that copies its training images shows them as their own neighbours
/// at distance ~0.
enum NearestImages {
  /// A training image and its distance to the query.
  struct Match: Equatable, Sendable {
    var index: Int
    var distance: Float
  }

  /// Training images compared per task: a chunk is filled, as the networks see it, once.
  static let chunk = 256

  /// queries [N, …sample] → for each query the `k` samples of `dataset` nearest in L2,
  /// nearest first (ties: lower index first). The dataset is read in chunks spread over
  /// `threads` threads; nil when `shouldStop` (Ctrl-C) said to stop.
  static func search(
    _ queries: Tensor, in dataset: any Dataset, k: Int, threads: Int,
    shouldStop: @escaping @Sendable () -> Bool = { false }
  ) -> [[Match]]? {
    let (n, d) = (queries.shape[0], queries.count / max(queries.shape[0], 1))
    precondition(dataset.sampleShape.count == d, "queries \(queries.shape) against samples \(dataset.sampleShape)")
    let chunks = (dataset.count + chunk - 1) / chunk
    var found = [Match](repeating: Match(index: -1, distance: .infinity), count: chunks * n * k)
    found.withUnsafeMutableBufferPointer { buffer in
      let (out, q) = (SendablePointer(buffer.baseAddress!), SendablePointer(queries.pointer))
      parallelFor(chunks, threads: threads) { c in
        guard !shouldStop() else { return }
        let first = c * chunk
        let count = min(chunk, dataset.count - first)
        let samples = Tensor(zeros: dataset.sampleShape.batched(count))
        dataset.fill(samples, with: Array(first..<first + count)[...])
        for s in 0..<count {
          let sample = samples.pointer + s * d
          for query in 0..<n {
            let a = q.pointer + query * d
            var sum: Float = 0
            for j in 0..<d {
              let difference = a[j] - sample[j]
              sum += difference * difference
            }
            keep(Match(index: first + s, distance: sum.squareRoot()), in: out.pointer + (c * n + query) * k, k: k)
          }
        }
      }
    }
    if shouldStop() { return nil }
    return (0..<n).map { (query: Int) -> [Match] in
      var all: [Match] = []
      for c in 0..<chunks {
        let start = (c * n + query) * k
        all += found[start..<(start + k)].filter { $0.index >= 0 }
      }
      all.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
      return Array(all.prefix(k))
    }
  }

  /// Puts `match` into the `k` best at `best` (sorted, nearest first) if it is nearer than
  /// the last of them.
  private static func keep(_ match: Match, in best: UnsafeMutablePointer<Match>, k: Int) {
    guard match.distance < best[k - 1].distance else { return }
    var i = k - 1
    while i > 0 && best[i - 1].distance > match.distance {
      best[i] = best[i - 1]
      i -= 1
    }
    best[i] = match
  }

  /// `count` images from the fixed noise, each in a row with its 3 nearest training images.
  static func picture(
    _ count: Int, in state: SessionState, shouldStop: @escaping @Sendable () -> Bool
  ) throws(SessionError) -> Picture {
    guard let dataset = state.dataset else { throw .missingData }
    let source = try FixedNoiseImages(state, for: "nearest")
    let generated = try source.images((0..<count).map(source.row), what: "\(count) generated images")
    guard generated.shape.sample == dataset.sampleShape else {
      throw SessionError(.dataDoesNotFit(data: dataset.sampleShape, discriminatorInput: generated.shape.sample))
    }
    let k = min(3, dataset.count)
    let threads = ProcessInfo.processInfo.activeProcessorCount
    guard let matches = searchEveryRank(generated, in: dataset, k: k, threads: threads, shouldStop: shouldStop) else {
      throw SessionError(.interrupted("searching \(dataset.count) training images"))
    }
    let d = generated.count / count
    let grid = Tensor(zeros: dataset.sampleShape.batched(count * (k + 1)))
    let neighbours = Tensor(zeros: dataset.sampleShape.batched(k))
    for (i, row) in matches.enumerated() {
      (grid.pointer + i * (k + 1) * d).update(from: generated.pointer + i * d, count: d)
      dataset.fill(neighbours, with: row.map(\.index)[...])
      (grid.pointer + (i * (k + 1) + 1) * d).update(from: neighbours.pointer, count: k * d)
    }
    let closest = matches.map { Double($0[0].distance) / Double(d).squareRoot() }
    let what =
      "\(count) generated image\(count == 1 ? "" : "s"), each followed by its \(k) nearest of \(dataset.count)"
      + " training images; RMS difference per value to the nearest: "
      + String(format: "%.3f least, %.3f mean", closest.min()!, closest.reduce(0, +) / Double(count))
    return Picture(image: ImageGrid.compose(grid, range: source.range, columns: k + 1), what: what)
  }
}
