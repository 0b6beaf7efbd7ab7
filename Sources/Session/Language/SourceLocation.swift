/// Where a piece of input came from: a notebook file (or `<stdin>`), 1-based line and
/// column (in characters).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `celeba.gan:12:5`, the prefix compilers use, so editors can jump to it.
  public var description: String { "\(file):\(line):\(column)" }

  /// The same line at another column.
  public func at(column: Int) -> SourceLocation {
    SourceLocation(file: file, line: line, column: column)
  }
}

/// A value and where it was written.
public struct Located<Value> {
  public var value: Value
  public var location: SourceLocation

  public init(_ value: Value, at location: SourceLocation) {
    self.value = value
    self.location = location
  }
}

extension Located: Sendable where Value: Sendable {}
