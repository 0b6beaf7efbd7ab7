import Foundation
import Tensors

/// `interpolate A B steps=N PATH`: a walk through the latent space between two rows of the
/// fixed noise along the great circle (spherical interpolation, as in White 2016 and the
/// DCGAN paper's walks), drawn as one row of images.
enum LatentWalk {
  /// The point a fraction `t` of the way from `a` to `b` along the great circle through
  /// them, with the norm changing smoothly from |a| to |b|: sin((1−t)Ω)/sin Ω · a +
  /// sin(tΩ)/sin Ω · b, Ω the angle between a and b. t = 0 gives a and t = 1 gives b exactly;
  /// nearly parallel vectors are interpolated linearly.
  static func slerp(_ a: [Float], _ b: [Float], t: Double) -> [Float] {
    precondition(a.count == b.count, "slerp between vectors of \(a.count) and \(b.count) values")
    func norm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
    let dot = zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    let omega = acos(min(1, max(-1, dot / max(norm(a) * norm(b), .leastNormalMagnitude))))
    let (wa, wb) =
      sin(omega) < 1e-6 ? (1 - t, t) : (sin((1 - t) * omega) / sin(omega), sin(t * omega) / sin(omega))
    return zip(a, b).map { Float(wa * Double($0) + wb * Double($1)) }
  }

  /// `steps` images from fixed-noise row `from` to row `to`, both included, in one row.
  static func picture(from: Int, to: Int, steps: Int, in state: SessionState) throws(SessionError) -> Picture {
    let source = try FixedNoiseImages(state, for: "interpolate")
    let (a, b) = (source.row(from), source.row(to))
    let rows = (0..<steps).map { slerp(a, b, t: Double($0) / Double(steps - 1)) }
    let images = try source.images(rows, what: "a walk of \(steps) images")
    return Picture(
      image: ImageGrid.compose(images, range: source.range, columns: steps),
      what: "\(steps) images from fixed noise \(from) to \(to) along the great circle (slerp) at step \(state.step)")
  }
}
