/// The two buffers a network's backward pass hands its gradients along in.
///
/// Backward runs the layers last to first, and layer i's input gradient is read only by
/// layer i − 1, which writes its own before anyone reads layer i's again. So two buffers,
/// each as large as the largest gradient it has carried, serve the whole chain: a layer
/// writes into the one its `gradOutput` is not in. Layers that each kept their own gradient
/// held one buffer per layer; the classic DCGAN's step held 166 MiB of gradients, now 32.
///
/// An elementwise backward (an activation, BatchNorm, dropout) overwrites its `gradOutput`
/// when that is one of these buffers: nothing reads a relayed gradient after the next layer
/// down has taken it. A gradient from elsewhere (a loss's, a test's) is never overwritten.
///
/// So a gradient a layer returns stays valid until the next backward of any layer sharing
/// this relay (its `Workspace`): copy it to keep it longer. Not thread-safe, like the
/// workspace: one backward at a time.
public final class GradientRelay {
  private var storages = [TensorStorage(capacity: 0), TensorStorage(capacity: 0)]
  /// Fill every buffer with NaN before handing it out, as `Workspace(poisoned:)` does its
  /// scratch: for tests that a layer writes all of its input gradient.
  public let poisoned: Bool

  public init(poisoned: Bool = false) { self.poisoned = poisoned }

  /// A buffer of `shape` for the input gradient of a layer whose output gradient is
  /// `gradOutput`: never `gradOutput`'s own storage. Contents unspecified.
  public func buffer(_ shape: Shape, besides gradOutput: Tensor) -> Tensor {
    let slot = storages[0] === gradOutput.storage ? 1 : 0
    if storages[slot].capacity < shape.count { storages[slot] = TensorStorage(capacity: shape.count) }
    if poisoned { storages[slot].pointer.update(repeating: .nan, count: shape.count) }
    return Tensor(shape: shape, storage: storages[slot])
  }

  /// Where an elementwise backward writes its input gradient: `gradOutput` itself when it
  /// is one of the relay's buffers (each element is read before the same element is
  /// written), otherwise a relay buffer of its shape.
  public func inPlace(_ gradOutput: Tensor) -> Tensor {
    if carries(gradOutput) { return gradOutput }
    return buffer(gradOutput.shape, besides: gradOutput)
  }

  /// Whether `tensor` lives in one of the relay's buffers.
  public func carries(_ tensor: Tensor) -> Bool {
    storages.contains { $0 === tensor.storage }
  }

  /// Bytes held now.
  public var bytes: Int { storages.reduce(0) { $0 + $1.capacity } * MemoryLayout<Float>.stride }
}
