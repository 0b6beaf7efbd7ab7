import Layers
import Tensors

/// What data-parallel training exchanges about a network, each as one flat collective:
/// its gradients after a backward (summed), its weights when training starts (broadcast
/// from rank 0), its BatchNorm running statistics before they are used (averaged). With
/// one process every call returns at once and touches nothing.
final class NetworkExchange {
  let communicator: any Communicator
  /// The flat buffer, kept between steps so a steady-state step allocates nothing.
  private var flat: [Float] = []

  init(_ communicator: any Communicator) { self.communicator = communicator }

  /// Sums `network`'s parameter gradients, and `numbers` after them, over the ranks: one
  /// allreduce. Each rank's gradients must already be weighted by its share of the batch,
  /// so the sum is the whole batch's gradient.
  func sumGradients(of network: Sequential, and numbers: inout [Float]) {
    guard communicator.size > 1 else { return }
    let tensors = network.layers.flatMap { $0.parameters.map(\.gradient) }
    exchange(tensors, extra: &numbers) { communicator.sum($0) }
  }

  /// Rank 0's weights and running statistics on every rank.
  func broadcastWeights(of network: Sequential) {
    guard communicator.size > 1 else { return }
    let tensors = network.layers.flatMap { $0.parameters.map(\.value) } + network.namedBuffers.map(\.value)
    var none: [Float] = []
    exchange(tensors, extra: &none) { communicator.broadcast($0, from: 0) }
  }

  /// The mean over the ranks of `network`'s running statistics (BatchNorm's running mean
  /// and variance, which each rank updates from its own part of each batch).
  func averageRunningStatistics(of network: Sequential) {
    let buffers = network.namedBuffers.map(\.value)
    guard communicator.size > 1, !buffers.isEmpty else { return }
    var none: [Float] = []
    exchange(buffers, extra: &none) { communicator.sum($0) }
    let scale = 1 / Float(communicator.size)
    for b in buffers { b.scale(by: scale) }
  }

  /// Copies `tensors` and `extra` into the flat buffer, runs `collective` on it, and
  /// copies the result back.
  private func exchange(
    _ tensors: [Tensor], extra: inout [Float], _ collective: (UnsafeMutableBufferPointer<Float>) -> Void
  ) {
    let total = tensors.reduce(extra.count) { $0 + $1.count }
    if flat.count != total { flat = [Float](repeating: 0, count: total) }
    flat.withUnsafeMutableBufferPointer { buffer in
      var at = 0
      for t in tensors {
        (buffer.baseAddress! + at).update(from: t.pointer, count: t.count)
        at += t.count
      }
      for (i, x) in extra.enumerated() { buffer[at + i] = x }
      collective(buffer)
      at = 0
      for t in tensors {
        t.pointer.update(from: buffer.baseAddress! + at, count: t.count)
        at += t.count
      }
      for i in extra.indices { extra[i] = buffer[at + i] }
    }
  }
}
