/// How far from a mode a generated point still counts as aiming at it: the collapse
/// watch's measure on the toys. `sample`'s "modes covered" counts a point only within 3σ
/// of a mode (0.06 on the ring), so a generator whose points sit beside all 8 blobs, a
/// little off-centre, covers few of them, and the count jumps between 8 and 2 from one
/// measurement to the next while nothing collapses (seen in notebooks/lessons: the watch
/// named "collapse" every few hundred steps of a healthy run). A point within a quarter
/// of the distance between the two closest modes belongs to one mode only, and a mode
/// with no points there has been given up: that is a collapse.
extension PointDataset {
  /// A quarter of the smallest distance between two modes: 0.383 on the ring (19σ), 0.5
  /// on the grid (10σ).
  public var reachRadius: Float {
    var closest = Float.infinity
    for (i, a) in modes.enumerated() {
      for b in modes[(i + 1)...] { closest = min(closest, ((a - b) * (a - b)).sum().squareRoot()) }
    }
    return closest / 4
  }
}
