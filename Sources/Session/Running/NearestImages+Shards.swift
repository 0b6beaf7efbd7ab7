import Tensors

/// `nearest` over a folder split across mpirun's ranks (`ImageShard`): each rank searches
/// the images it holds, and one allreduce brings every rank's `k` best per query together,
/// merged as one search over the whole folder would order them.
extension NearestImages {
  /// queries [N, …sample] → for each query the `k` samples of `dataset` nearest in L2, as
  /// `search`, whether `dataset` is in this process or split across the ranks; a
  /// collective then: every rank calls it with the same queries.
  static func searchEveryRank(
    _ queries: Tensor, in dataset: any Dataset, k: Int, threads: Int, shouldStop: @escaping @Sendable () -> Bool
  ) -> [[Match]]? {
    guard let shard = dataset as? ImageShard else {
      return search(queries, in: dataset, k: k, threads: threads, shouldStop: shouldStop)
    }
    let ranks = shard.communicator
    let mine = search(queries, in: shard.local, k: k, threads: threads, shouldStop: shouldStop)
    guard !ranks.any(mine == nil), let mine else { return nil }
    // Per rank, query and place: the image's number + 1 (0: no match) and its distance.
    let n = queries.shape[0]
    var table = [Double](repeating: 0, count: ranks.size * n * k * 2)
    for (query, row) in mine.enumerated() {
      for (j, match) in row.enumerated() {
        let at = ((ranks.rank * n + query) * k + j) * 2
        (table[at], table[at + 1]) = (Double(shard.first + match.index + 1), Double(match.distance))
      }
    }
    table.withUnsafeMutableBufferPointer { ranks.sum($0) }
    return (0..<n).map { query in
      var all: [Match] = []
      for rank in 0..<ranks.size {
        for j in 0..<k {
          let at = ((rank * n + query) * k + j) * 2
          if table[at] > 0 { all.append(Match(index: Int(table[at]) - 1, distance: Float(table[at + 1]))) }
        }
      }
      all.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
      return Array(all.prefix(k))
    }
  }
}
