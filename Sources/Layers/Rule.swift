import Tensors

/// A value that breaks one of the rules a notebook's words are held to. Parsing a notebook
/// and loading a saved session check values with the same rules (`LayerSpec.validate`,
/// `OptimizerSpec.validate`, …), so a hand-edited session cannot hold what no notebook
/// could type.
public struct RuleViolation: Error, Equatable, Sendable {
  /// Where the value sits, as a JSON path relative to what was checked (`dropout.rate`).
  public var field: String
  /// The value as written.
  public var value: String
  /// What is allowed, in words: "a number from 0.0 to 0.99".
  public var expected: String

  public init(field: String, value: String, expected: String) {
    self.field = field
    self.value = value
    self.expected = expected
  }

  /// The same violation seen from `outer` (`layers[3]` + `dropout.rate`).
  public func inside(_ outer: String) -> RuleViolation {
    let joined = field.isEmpty ? outer : field.hasPrefix("[") ? outer + field : outer + "." + field
    return RuleViolation(field: joined, value: value, expected: expected)
  }
}

/// Range checks with the wording the parser uses for typed values.
public enum Rule {
  public static func expected(_ range: ClosedRange<Int>) -> String {
    "a whole number from \(range.lowerBound) to \(range.upperBound)"
  }

  public static func expected(_ range: ClosedRange<Float>) -> String {
    "a number from \(text(range.lowerBound)) to \(text(range.upperBound))"
  }

  /// `0` rather than `0.0` for whole numbers; Swift's shortest form otherwise.
  public static func text(_ x: Float) -> String {
    x == x.rounded() && abs(x) < 1e7 ? "\(Int(x))" : "\(x)"
  }

  public static func check(_ value: Int, in range: ClosedRange<Int>, _ field: String) throws(RuleViolation) {
    guard range.contains(value) else { throw RuleViolation(field: field, value: "\(value)", expected: expected(range)) }
  }

  /// NaN is in no range.
  public static func check(_ value: Float, in range: ClosedRange<Float>, _ field: String) throws(RuleViolation) {
    guard range.contains(value) else {
      throw RuleViolation(field: field, value: text(value), expected: expected(range))
    }
  }

  /// The product of `factors`, or nil when it overflows or exceeds `limit`.
  public static func product(_ factors: [Int], limit: Int) -> Int? {
    Shape.checkedProduct(factors).flatMap { $0 <= limit ? $0 : nil }
  }
}
