import Layers
import Tensors

/// Samples named by what they are: a network or dataset of 2-D points makes "2-D points",
/// an H×W×C one "32×32×3 images", so that a ring meeting an image network is told in
/// plain words which side is which.
extension Shape {
  /// "2-D points", "32×32×3 images", or "samples of 100" for anything else.
  var samplesDescription: String {
    if self == Shape(2) { return "2-D points" }
    if rank == 3 { return "\(compact) images" }
    return "samples of \(compact)"
  }
}

extension SessionError {
  /// What to try when one side makes or takes 2-D points and the other images.
  static func pointsAndImagesHint(_ a: Shape, _ b: Shape) -> String? {
    let points = Shape(2)
    guard (a == points) != (b == points), a.rank == 3 || b.rank == 3 else { return nil }
    return "2-D data ('data ring', 'data grid') needs a generator ending in 'dense 2' and a discriminator of dense"
      + " layers; images ('data faces', 'data \"FOLDER\"') need image networks ('help layers'); 'reset' forgets"
      + " the networks"
  }

  /// A network whose first layer cannot take 2-D points (a `conv` on `data ring`).
  static func pointsInputHint(_ e: NetworkError) -> String? {
    guard e.layerIndex == 0, e.input == Shape(2) else { return nil }
    return "its input is 2-D points, not images: on 'data ring' or 'data grid' build it from 'dense' layers"
      + " (as notebooks/toy-ring.gan does)"
  }
}
