/// The dimensions of a tensor, outermost first (`[N, H, W, C]` for images).
public struct Shape: Hashable, Codable, Sendable, CustomStringConvertible {
  public var dims: [Int]

  public init(_ dims: [Int]) {
    precondition(dims.allSatisfy { $0 >= 0 }, "Shape \(dims) has a negative dimension")
    self.dims = dims
  }

  public init(_ dims: Int...) { self.init(dims) }

  /// Number of elements: the product of the dimensions (1 for a scalar).
  public var count: Int { dims.reduce(1, *) }

  /// The number of elements, or nil when the product does not fit in an `Int`: for shapes
  /// built from a user's numbers, before anything multiplies them unchecked.
  public var checkedCount: Int? { Shape.checkedProduct(dims) }

  /// The product of `factors`, or nil when it overflows an `Int` or a factor is negative:
  /// the one place sizes from a user or a file are multiplied, never with a trapping `*`.
  public static func checkedProduct(_ factors: some Sequence<Int>) -> Int? {
    var product = 1
    for f in factors {
      let (p, overflow) = product.multipliedReportingOverflow(by: f)
      guard f >= 0, !overflow else { return nil }
      product = p
    }
    return product
  }

  public var rank: Int { dims.count }

  public subscript(_ axis: Int) -> Int { dims[axis] }

  /// The shape of one sample: every dimension but the first.
  public var sample: Shape { Shape(Array(dims.dropFirst())) }

  /// This shape with a batch dimension `n` in front.
  public func batched(_ n: Int) -> Shape { Shape([n] + dims) }

  /// `[32, 64, 64, 3]`
  public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

  /// `64×64×3`: how layer tables show a per-sample shape.
  public var compact: String { dims.map(String.init).joined(separator: "×") }
}
