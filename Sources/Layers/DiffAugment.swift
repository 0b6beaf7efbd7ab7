import Tensors

/// One of DiffAugment's augmentations (Zhao et al. 2020), in the order they apply.
public enum Augmentation: String, CaseIterable, Codable, Sendable, Comparable {
  case color
  case translation
  case cutout

  public static func < (a: Augmentation, b: Augmentation) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Differentiable augmentation: the same random transformations applied to real and fake
/// images before D, with gradients through them to G (DiffAugment's policy
/// 'color,translation,cutout' or any part of it, always in that order). Each call to
/// `forward` draws new factors per image; `backward` takes the gradient of the last
/// forward's output back to its input.
///
/// x [N, H, W, C] → y [N, H, W, C]
public final class DiffAugment {
  /// The augmentations applied, in the canonical order.
  public let policy: [Augmentation]
  private var color: ColorJitter?
  private var translation: Translation?
  private var cutout: Cutout?
  private var buffers: [Tensor?] = [nil, nil]

  /// The largest shift of `translation`, a fraction of the image's height and width.
  public let shift: Float
  /// DiffAugment's shift, 1/8, and the shifts `augment translation shift=R` takes.
  public static let defaultShift = Translation.defaultRatio
  public static let shifts: ClosedRange<Float> = 0.01...0.5

  /// How many whole pixels `shift` moves an image along a side of `side` pixels (0 when
  /// the side is too short for it: translation would then leave every image as it is).
  public static func translationPixels(side: Int, shift: Float) -> Int {
    Translation.pixels(side: side, ratio: shift)
  }

  /// The smallest shift, in steps of 0.0001, that moves images of `side` by one pixel.
  public static func shortestShift(side: Int) -> Float {
    var ticks = max(Int(shifts.lowerBound * 10_000), (5_000 + side - 1) / side)
    while translationPixels(side: side, shift: Float(ticks) / 10_000) < 1 { ticks += 1 }
    return Float(ticks) / 10_000
  }

  public init(_ policy: Set<Augmentation>, shift: Float = defaultShift) {
    precondition(Self.shifts.contains(shift), "augment: translation shift \(shift)")
    self.policy = policy.sorted()
    self.shift = shift
  }

  /// Draws this batch's factors from `random` (color's, then translation's, then
  /// cutout's) and returns the augmented images, in a buffer reused by the next call.
  /// Under `random.share` (a data-parallel step, x holding this rank's rows) the factors
  /// are drawn for the whole batch and the rank keeps its rows' own: the stream advances
  /// as in one process, and each image gets the factors one process would give it.
  public func forward(_ x: Tensor, random: RandomSource) -> Tensor {
    precondition(x.shape.rank == 4, "augment: expected images [N, H, W, C], got \(x.shape)")
    let (n, h, w) = (x.shape[0], x.shape[1], x.shape[2])
    let share = random.share.flatMap { $0.count == n ? $0 : nil } ?? .whole(n)
    let (global, kept) = (share.global, share.offset..<share.offset + share.count)
    color = policy.contains(.color) ? ColorJitter(images: global, random: random).rows(kept) : nil
    translation =
      policy.contains(.translation)
      ? Translation(images: global, height: h, width: w, ratio: shift, random: random).rows(kept) : nil
    cutout = policy.contains(.cutout) ? Cutout(images: global, height: h, width: w, random: random).rows(kept) : nil
    return run(x, [color?.forward, translation?.forward, cutout?.forward])
  }

  /// Returns dLoss/dx for the last forward's x, given dLoss/dy: each step's adjoint in reverse.
  public func backward(_ gradOutput: Tensor) -> Tensor {
    run(gradOutput, [cutout?.backward, translation?.backward, color?.backward])
  }

  /// Applies the present `steps` in turn, alternating between two reused buffers.
  private func run(_ input: Tensor, _ steps: [((Tensor, Tensor) -> Void)?]) -> Tensor {
    var x = input
    for (k, step) in steps.compactMap({ $0 }).enumerated() {
      let y = Tensor.reusing(buffers[k % 2], shape: x.shape)
      buffers[k % 2] = y
      step(x, y)
      x = y
    }
    return x
  }
}
