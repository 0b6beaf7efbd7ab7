import Foundation
import Tensors
import Testing

@testable import Session

/// The collapse watch's measure on the toys: a mode is reached by points within a quarter
/// of the distance between the closest modes, so points that aim at every mode a little
/// off-centre are not a collapse, and points that leave modes empty are.
@Suite("Modes reached on the toys")
struct ModeReachTests {
  let ring = PointDataset(spec: DataSpec(source: .ring(count: 16)))
  let grid = PointDataset(spec: DataSpec(source: .grid(count: 16)))

  /// `perMode` points at each of `modes`, pushed outwards from the centre by `offset`.
  func points(at modes: [SIMD2<Float>], perMode: Int, offset: Float) -> Tensor {
    let t = Tensor(zeros: Shape(modes.count * perMode, 2))
    for (k, m) in modes.enumerated() {
      let away = m / max((m * m).sum().squareRoot(), 1e-6) * offset
      for i in 0..<perMode { (t[2 * (k * perMode + i)], t[2 * (k * perMode + i) + 1]) = (m.x + away.x, m.y + away.y) }
    }
    return t
  }

  @Test("the radius is a quarter of the closest modes' distance: 2·2·sin(π/8)/4 on the ring, 2/4 on the grid")
  func radius() {
    #expect(abs(ring.reachRadius - Float(sin(Double.pi / 8))) < 1e-5)
    #expect(abs(grid.reachRadius - 0.5) < 1e-6)
  }

  @Test("points 5σ off every mode cover none within 3σ but reach all 8; the watch measures reach")
  func offCentre() {
    let near = points(at: ring.modes, perMode: 64, offset: 5 * ring.sigma)
    #expect(ring.coverage(near).covered == 0)
    #expect(ring.coverage(near, within: ring.reachRadius).covered == 8)
  }

  @Test("points piled on 3 modes reach 3; points between modes or at the centre reach none")
  func collapsed() {
    let three = points(at: Array(ring.modes.prefix(3)), perMode: 100, offset: 0.1)
    #expect(ring.coverage(three, within: ring.reachRadius).covered == 3)
    let centre = Tensor(zeros: Shape(300, 2))
    #expect(ring.coverage(centre, within: ring.reachRadius).covered == 0)
    let between = points(at: [(ring.modes[0] + ring.modes[1]) / 2], perMode: 300, offset: 0)
    #expect(ring.coverage(between, within: ring.reachRadius).covered == 0)
  }
}
