/// Scratch memory that grows to the largest request and is then reused, so a
/// steady-state training step allocates nothing. The layers of a network run one at a time and
/// share one (`Sequential`). Not thread-safe: ask for buffers from one thread (a kernel may
/// then split them among its workers at disjoint offsets).
/// Kernels that need several buffers at once use different slots.
public final class Workspace {
  public enum Slot: Int, CaseIterable {
    /// im2col rows of one chunk.
    case columns
    /// A re-laid-out kernel (flipped, or split into phases).
    case kernel
    /// GEMM results of one chunk before they are scattered.
    case results
    /// Zeros, read where a window hangs over the image's edge.
    case zeros
  }

  private var storages = Slot.allCases.map { _ in TensorStorage(capacity: 0) }

  /// The buffers backward hands gradients along in, shared by the layers as the scratch is.
  public let gradients: GradientRelay

  /// How many floats a kernel may use at once before it splits its work into chunks.
  /// 16 Mi floats (64 MiB): the discriminator's convolutions fit in one chunk (4 Mi floats
  /// made them 20–30% slower: more GEMM calls, more packing), the tutorial's largest
  /// im2col (1 GiB) takes 16.
  public let chunkFloats: Int
  /// Compute convolutions with the direct loops of `ConvReference` instead of the fast
  /// methods: slow, for checking that a whole training run comes out the same.
  public let reference: Bool
  /// Fill every scratch buffer with NaN before handing it out: for tests that a kernel
  /// writes all the scratch it reads, so its result never depends on what ran before.
  public let poisoned: Bool

  public init(chunkFloats: Int = 16 << 20, reference: Bool = false) {
    self.chunkFloats = chunkFloats
    self.reference = reference
    poisoned = false
    gradients = GradientRelay()
  }

  /// A workspace whose scratch is NaN each time it is handed out.
  public init(poisoned: Bool) {
    chunkFloats = 16 << 20
    reference = false
    self.poisoned = poisoned
    gradients = GradientRelay(poisoned: poisoned)
  }

  /// At least `count` floats of scratch in `slot`, contents unspecified (NaN when poisoned).
  public func floats(_ count: Int, _ slot: Slot = .columns) -> UnsafeMutablePointer<Float> {
    if storages[slot.rawValue].capacity < count { storages[slot.rawValue] = TensorStorage(capacity: count) }
    if poisoned && slot != .zeros { storages[slot.rawValue].pointer.update(repeating: .nan, count: count) }
    return storages[slot.rawValue].pointer
  }

  /// At least `count` zeros.
  public func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
    let had = storages[Slot.zeros.rawValue].capacity
    let z = floats(count, .zeros)
    if had < count { z.update(repeating: 0, count: count) }
    return z
  }

  /// Bytes held now.
  public var bytes: Int { storages.reduce(0) { $0 + $1.capacity } * MemoryLayout<Float>.stride }
}
