/// Scratch memory that grows to the largest request and is then reused, so a
/// steady-state training step allocates nothing. One per layer; not shared across threads.
public final class Workspace {
  private var storage = TensorStorage(capacity: 0)

  /// How many floats a kernel may use at once before it splits its work into chunks.
  /// 4 Mi floats (16 MiB) keeps GEMMs large (hundreds of rows) while bounding memory.
  public let chunkFloats: Int

  public init(chunkFloats: Int = 4 << 20) { self.chunkFloats = chunkFloats }

  /// At least `count` floats of scratch, contents unspecified.
  public func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
    if storage.capacity < count { storage = TensorStorage(capacity: count) }
    return storage.pointer
  }

  /// Bytes held now.
  public var bytes: Int { storage.capacity * MemoryLayout<Float>.stride }
}
