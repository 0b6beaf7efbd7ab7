import Tensors

/// The multi-scale sliced Wasserstein distance of Karras et al. (Progressive GANs, ICLR
/// 2018, §5; `metrics/sliced_wasserstein.py`) between two sets of images A and B
/// [N, H, W, C] of one shape:
///
/// 1. each image's Laplacian pyramid, one level per resolution from H down to 16 (64×64
///    images: 64, 32, 16);
/// 2. per level, 128 random 7×7 neighbourhoods of every image, each channel normalised over
///    the whole set (`PatchDescriptors`), so a set of N images gives 128·N descriptors;
/// 3. per level, the sliced Wasserstein distance between A's and B's descriptors: 4 rounds of
///    128 random directions, 512 projections in all (the paper's "512 projections", the
///    code's `dir_repeats = 4`, `dirs_per_repeat = 128`);
/// 4. each level's distance ×10³, and their mean: the score.
///
/// Lower is closer. Two draws of the same images score above 0 (the neighbourhoods and
/// directions are random): that floor is what a perfect generator scores.
struct MultiScaleSWD {
  var perImage = 128
  var directions = 128
  var repeats = 4
  /// The coarsest resolution (the paper stops at 16×16).
  static let coarsest = 16

  /// The resolutions of the pyramid of H×W images, finest first; empty when min(H, W) < 16.
  /// Each halving needs an even side.
  static func resolutions(height h: Int, width w: Int) -> [Int] {
    var sides: [Int] = []
    var (y, x) = (h, w)
    while min(y, x) >= coarsest {
      sides.append(min(y, x))
      guard y % 2 == 0 && x % 2 == 0 else { break }
      (y, x) = (y / 2, x / 2)
    }
    return sides
  }

  /// Each level's distance ×10³, finest first, between A and B [N, H, W, C]. The
  /// neighbourhoods and directions are drawn from `seed`, so the same sets always score the
  /// same. `progress(done, total)` after each level; `shouldStop` is polled between levels
  /// and their repeats, and returns nil when it says stop.
  func distances(
    _ a: Tensor, _ b: Tensor, seed: UInt64, progress: (Int, Int) -> Void = { _, _ in },
    shouldStop: () -> Bool = { false }
  ) -> [Double]? {
    precondition(
      a.shape == b.shape && a.shape.rank == 4, "SWD of \(a.shape) and \(b.shape): expected equal [N, H, W, C]")
    let levels = Self.resolutions(height: a.shape[1], width: a.shape[2]).count
    precondition(levels > 0, "SWD of \(a.shape): images under \(Self.coarsest)×\(Self.coarsest)")
    var random = SeededGenerator(seed: seed)
    let (pyramidA, pyramidB) = (
      LaplacianPyramid.levels(of: a, count: levels), LaplacianPyramid.levels(of: b, count: levels)
    )
    var result: [Double] = []
    for level in 0..<levels {
      if shouldStop() { return nil }
      let da = PatchDescriptors(pyramidA[level], perImage: perImage, random: &random)
      let db = PatchDescriptors(pyramidB[level], perImage: perImage, random: &random)
      guard
        let d = SlicedWasserstein.distance(
          da.values, db.values, directions: directions, repeats: repeats, random: &random, shouldStop: shouldStop)
      else { return nil }
      result.append(d * 1e3)
      progress(level + 1, levels)
    }
    return result
  }
}

/// What `eval swd` measured: each level's distance and their mean (×10³), between how many
/// images of what.
public struct SWDReport: Sendable {
  /// Each level's side and distance ×10³, finest first.
  public var levels: [(resolution: Int, distance: Double)]
  public var mean: Double
  /// Images in each set.
  public var count: Int
  /// What was compared with the loaded data: generated images (at `step`, from the EMA copy
  /// or not) or a folder.
  public var compared: Compared
  public var seconds: Double

  public enum Compared: Sendable {
    case generated(step: Int, averaged: Bool)
    case folder(String)
  }
}
