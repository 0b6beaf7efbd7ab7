import Layers

/// Numbers as a notebook writes them, checked one way wherever they are given: a
/// setting (`set batch 8*4`), a command's option or positional (`data batch=8*4`), a
/// layer's argument, or a `--set` parameter used as one. Whole numbers may be products
/// (`dense 8*8*128`), checked so that one that overflows is an error, never a trap.
enum NumberText {
  /// A whole number in `range`; `expected` words the range when the default does not fit
  /// (a seed is "a whole number ≥ 0").
  static func whole<T: FixedWidthInteger & Sendable>(
    _ token: Token, named name: String, in range: ClosedRange<T>, expected: String? = nil,
    at location: SourceLocation
  ) throws(SessionError) -> T {
    let expected = expected ?? "a whole number from \(range.lowerBound) to \(range.upperBound)"
    let at = location.at(column: token.column)
    var product: T = 1
    var overflow = false
    for factor in token.text.split(separator: "*", omittingEmptySubsequences: false) {
      guard let n = T(factor) else {
        let sign = factor.prefix { $0 == "-" || $0 == "+" }
        let digits = factor.dropFirst(sign.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), T.isSigned || !sign.contains("-")
        else {
          throw SessionError(.invalidValue(token.text, for: name, expected: expected), at: at)
        }
        overflow = true  // all digits, too many for the type
        continue
      }
      let (p, o) = product.multipliedReportingOverflow(by: n)
      overflow = overflow || o
      product = p
    }
    guard !overflow else { throw SessionError(.tooLarge(token.text, for: name, expected: expected), at: at) }
    guard range.contains(product) else {
      throw SessionError(.invalidValue(token.text, for: name, expected: expected), at: at)
    }
    return product
  }

  /// A number in `range` (`1e-4`, `0.2`); 1e40 is a number, just not one a Float holds.
  static func real(_ token: Token, named name: String, in range: ClosedRange<Float>, at location: SourceLocation)
    throws(SessionError) -> Float
  {
    let expected = Rule.expected(range)
    let at = location.at(column: token.column)
    guard let x = Float(token.text), !x.isNaN else {
      throw SessionError(.invalidValue(token.text, for: name, expected: expected), at: at)
    }
    guard x.isFinite || token.text.lowercased().contains("inf") else {
      throw SessionError(.outOfRange(token.text, for: name, expected: expected), at: at)
    }
    guard x.isFinite, range.contains(x) else {
      throw SessionError(.invalidValue(token.text, for: name, expected: expected), at: at)
    }
    return x
  }
}
