import Layers
import Tensors

/// DiffAugment as the trainer applies it: before every D forward, on real images and on
/// fakes, in the D and the G half alike, drawing from the session's `augment` stream (so a
/// run is reproducible and a loaded session continues exactly). In the G half the gradient
/// for the augmented fakes goes back through the augmentation to G.
struct TrainerAugmentation {
  let augment: DiffAugment
  let streams: RandomStreams

  init(_ augment: DiffAugment, streams: RandomStreams) {
    self.augment = augment
    self.streams = streams
  }

  /// images [N, H, W, C] → augmented [N, H, W, C], new factors per image. Under `share`
  /// (mpirun: images are this rank's rows) the whole batch's factors are drawn and the
  /// rank keeps its rows', as one process would give them.
  func forward(_ images: Tensor, share: BatchShare? = nil) -> Tensor {
    let random = streams[.augment]
    random.share = share
    defer { random.share = nil }
    return augment.forward(images, random: random)
  }

  /// dLoss/d(augmented) → dLoss/d(images) for the last forward.
  func backward(_ gradOutput: Tensor) -> Tensor { augment.backward(gradOutput) }
}
