import Synchronization

/// A buffer of `Float`s, allocated once and freed with its last reference.
public final class TensorStorage: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<Float>
  public let capacity: Int

  /// How many storages were ever allocated: `bench` checks that a steady-state training
  /// step allocates none.
  public static let allocations = Atomic<Int>(0)

  /// Zero-filled storage for `capacity` floats, 64-byte aligned for vector loads.
  public init(capacity: Int) {
    Self.allocations.add(1, ordering: .relaxed)
    self.capacity = capacity
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(capacity, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(capacity, 1))
    pointer.initialize(repeating: 0, count: max(capacity, 1))
  }

  deinit { pointer.deallocate() }
}

/// A dense, row-major `Float` tensor with reference semantics.
///
/// Like a PyTorch tensor, a `Tensor` is a view of shared storage: copying the struct
/// shares the numbers, writing through one copy is seen by all (`copy()` makes an
/// independent tensor). Layers own their output buffers and overwrite them on the next
/// call, so a caller that needs a result to outlive the next forward copies it.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
  public let shape: Shape
  public let storage: TensorStorage

  /// A zero-filled tensor.
  public init(zeros shape: Shape) {
    self.shape = shape
    storage = TensorStorage(capacity: shape.count)
  }

  /// A tensor holding `values` in row-major order.
  public init(shape: Shape, values: [Float]) {
    precondition(
      values.count == shape.count,
      "Tensor(shape: \(shape)) needs \(shape.count) values, got \(values.count)")
    self.init(zeros: shape)
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
  }

  /// A view of `storage` with a shape that fits in it.
  public init(shape: Shape, storage: TensorStorage) {
    precondition(
      shape.count <= storage.capacity,
      "shape \(shape) needs \(shape.count) floats, storage has \(storage.capacity)")
    self.shape = shape
    self.storage = storage
  }

  public var count: Int { shape.count }
  public var pointer: UnsafeMutablePointer<Float> { storage.pointer }
  public var buffer: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: storage.pointer, count: count)
  }

  /// The numbers, copied out.
  public var values: [Float] { Array(buffer) }

  /// Element `index` in row-major order.
  public subscript(_ index: Int) -> Float {
    get {
      precondition(index >= 0 && index < count, "index \(index) out of range for \(shape)")
      return pointer[index]
    }
    nonmutating set {
      precondition(index >= 0 && index < count, "index \(index) out of range for \(shape)")
      pointer[index] = newValue
    }
  }

  /// The same numbers seen with another shape of the same element count.
  public func reshaped(_ newShape: Shape) -> Tensor {
    precondition(
      newShape.count == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
    return Tensor(shape: newShape, storage: storage)
  }

  /// An independent copy.
  public func copy() -> Tensor {
    let result = Tensor(zeros: shape)
    result.pointer.update(from: pointer, count: count)
    return result
  }

  /// Overwrites every element with those of `source`, which must have as many elements.
  public func assign(_ source: Tensor) {
    precondition(source.count == count, "assign: \(source.shape) into \(shape)")
    pointer.update(from: source.pointer, count: count)
  }

  public var description: String {
    let shown = values.prefix(8).map { String($0) }.joined(separator: ", ")
    return "Tensor\(shape)(\(shown)\(count > 8 ? ", …" : ""))"
  }
}

extension Tensor {
  /// `buffer` if it already has `shape`, otherwise a new zero tensor of that shape.
  /// Layers keep their outputs this way, so a steady-state step allocates nothing.
  public static func reusing(_ buffer: Tensor?, shape: Shape) -> Tensor {
    if let buffer, buffer.shape == shape { return buffer }
    if let buffer, buffer.storage.capacity >= shape.count {
      return Tensor(shape: shape, storage: buffer.storage)
    }
    return Tensor(zeros: shape)
  }
}
