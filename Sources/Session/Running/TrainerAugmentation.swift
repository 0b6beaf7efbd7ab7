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

  /// images [N, H, W, C] → augmented [N, H, W, C], new factors per image.
  func forward(_ images: Tensor) -> Tensor { augment.forward(images, random: streams[.augment]) }

  /// dLoss/d(augmented) → dLoss/d(images) for the last forward.
  func backward(_ gradOutput: Tensor) -> Tensor { augment.backward(gradOutput) }
}
