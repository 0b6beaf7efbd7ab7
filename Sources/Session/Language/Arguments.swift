/// Tokens bound to names, and their conversion to typed values with errors that point at
/// the offending token.
struct Arguments: Sendable {
  let command: String
  let location: SourceLocation
  var positionals: [String: Token] = [:]
  var options: [String: Token] = [:]
  var flags: [String: Token] = [:]
  var rest: [Token] = []
  /// The words each bound name was declared to take, for `choice(_:)`.
  private var declared: [String: [String]] = [:]

  init(command: String, location: SourceLocation) {
    self.command = command
    self.location = location
  }

  mutating func bind(_ positional: Syntax.Positional, _ token: Token) {
    positionals[positional.name] = token
    declared[positional.name] = positional.words().flatMap { [$0.word] + $0.aliases }
  }

  mutating func bind(_ option: Syntax.Option, _ token: Token) {
    options[option.name] = token
    declared[option.name] = option.choices
  }

  func token(_ name: String) -> Token? { positionals[name] ?? options[name] }

  /// Whether flag `name` is on: written alone, or as `name=true`; `name=false` is off.
  func flag(_ name: String) throws(SessionError) -> Bool {
    if flags[name] != nil { return true }
    guard let t = options[name] else { return false }
    guard let on = Self.truth(t.text) else {
      throw SessionError(.flagValue(t.text, flag: name), at: location.at(column: t.column))
    }
    return on
  }

  /// true/yes/on/1 or false/no/off/0.
  private static func truth(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true", "yes", "on", "1": true
    case "false", "no", "off", "0": false
    default: nil
    }
  }

  /// A whole number in `range`, through the one checked path (`NumberText`).
  func int(_ name: String, in range: ClosedRange<Int>, default value: Int? = nil) throws(SessionError) -> Int? {
    guard let t = token(name) else { return value }
    return try NumberText.whole(t, named: name, in: range, at: location)
  }

  /// A number in `range` (`1e-4`, `0.2`), through the one checked path (`NumberText`).
  func float(_ name: String, in range: ClosedRange<Float>, default value: Float? = nil) throws(SessionError) -> Float? {
    guard let t = token(name) else { return value }
    return try NumberText.real(t, named: name, in: range, at: location)
  }

  /// One of the words `name` was declared with in the command's `Syntax`, lowercased.
  func choice(_ name: String, default value: String? = nil) throws(SessionError) -> String? {
    guard let t = token(name) else { return value }
    let choices = declared[name] ?? []
    let lowered = t.text.lowercased()
    guard choices.contains(lowered) else {
      throw SessionError(
        .invalidValue(
          t.text, for: name, expected: "one of " + choices.map { "'\($0)'" }.joined(separator: ", "),
          suggestion: closest(to: lowered, among: choices)),
        at: location.at(column: t.column))
    }
    return lowered
  }

  /// Text as written (a path).
  func text(_ name: String) -> String? { token(name)?.text }

  /// true/false, yes/no, on/off.
  func bool(_ name: String, default value: Bool) throws(SessionError) -> Bool {
    guard let t = token(name) else { return value }
    guard let on = Self.truth(t.text) else {
      throw SessionError(.invalidValue(t.text, for: name, expected: "true or false"), at: location.at(column: t.column))
    }
    return on
  }
}
