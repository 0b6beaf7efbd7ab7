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

/// A value, where it was written, and the line it was written on (a network block's is its
/// first line), so a runner can echo it without reading the file again.
public struct Located<Value> {
  public var value: Value
  public var location: SourceLocation
  /// The line as written; empty for a value that was not read from text.
  public var source: String
  /// The `$parameters` the line used, in the order of their names.
  public var parameters: [ParameterUse] = []
  /// A network block's lines after its first, through `end` (the layers it was defined
  /// with); empty for a one-line command.
  public var body: [String] = []

  public init(_ value: Value, at location: SourceLocation, source: String = "") {
    self.value = value
    self.location = location
    self.source = source
  }
}

extension Located: Sendable where Value: Sendable {}
