import Layers

/// The arguments a command or layer takes, and the binder that matches tokens to them.
///
/// Options may be written `key=value` or `key value`; flags are bare keys (or
/// `key=true`/`key=false`, since `cache=false` sits beside them). Positionals
/// fill in order. Converting the bound text to typed values happens in `Arguments`.
struct Syntax: Sendable {
  struct Positional: Sendable {
    var name: String
    var optional = false
  }

  struct Option: Sendable {
    var name: String
    /// Flags take no value.
    var isFlag = false
    var help: String
  }

  var positionals: [Positional] = []
  var options: [Option] = []
  /// Accept any number of positionals after the declared ones (`reshape 8 8 128`).
  var variadic = false

  /// Matches `tokens` (the words after the command name) to positionals and options.
  func bind(_ tokens: [Token], command: String, usage: String, at location: SourceLocation)
    throws(SessionError) -> Arguments
  {
    var args = Arguments(command: command, location: location)
    var i = 0
    var next = 0
    let optionNames = options.map(\.name)
    while i < tokens.count {
      let token = tokens[i]
      if let key = token.key {
        if variadic && !optionNames.contains(key) {
          // A command with free-form trailing words (every …) reads its own options.
          args.rest.append(token)
          i += 1
          continue
        }
        // A flag may be written flip=true or flip=false too; `flag(_:)` reads the value.
        guard options.contains(where: { $0.name == key }) else {
          throw SessionError(
            .unknownOption(key, command: command, suggestion: closest(to: key, among: optionNames), known: optionNames),
            at: location.at(column: token.column))
        }
        args.options[key] = token
        i += 1
      } else if token.kind == .word, let option = options.first(where: { $0.name == token.text }) {
        if option.isFlag {
          args.flags[option.name] = token
          i += 1
        } else {
          guard i + 1 < tokens.count else {
            throw SessionError(
              .missingArgument("a value for '\(option.name)'", usage: usage), at: location.at(column: token.column))
          }
          args.options[option.name] = tokens[i + 1]
          i += 2
        }
      } else if next < positionals.count {
        args.positionals[positionals[next].name] = token
        next += 1
        i += 1
      } else if variadic {
        args.rest.append(token)
        i += 1
      } else {
        if token.kind == .word, let s = closest(to: token.text, among: optionNames) {
          throw SessionError(
            .unknownOption(token.text, command: command, suggestion: s, known: optionNames),
            at: location.at(column: token.column))
        }
        throw SessionError(.unexpectedArgument(token.text, usage: usage), at: location.at(column: token.column))
      }
    }
    if next < positionals.count, !positionals[next].optional {
      throw SessionError(
        .missingArgument(positionals[next].name, usage: usage),
        at: location.at(column: (tokens.last.map { $0.column + $0.text.count + 1 }) ?? location.column))
    }
    return args
  }
}

/// Tokens bound to names, and their conversion to typed values with errors that point at
/// the offending token.
struct Arguments: Sendable {
  let command: String
  let location: SourceLocation
  var positionals: [String: Token] = [:]
  var options: [String: Token] = [:]
  var flags: [String: Token] = [:]
  var rest: [Token] = []

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

  private func invalid(_ token: Token, _ name: String, _ expected: String) -> SessionError {
    SessionError(.invalidValue(token.text, for: name, expected: expected), at: location.at(column: token.column))
  }

  /// A whole number in `range`; `a*b*c` products are allowed (`dense 8*8*128`). The
  /// product is checked: one that overflows is an error, never a trap.
  func int(_ name: String, in range: ClosedRange<Int>, default value: Int? = nil) throws(SessionError) -> Int? {
    guard let t = token(name) else { return value }
    let expected = Rule.expected(range)
    var product = 1
    var overflow = false
    for factor in t.text.split(separator: "*", omittingEmptySubsequences: false) {
      guard let n = Int(factor) else {
        let digits = factor.drop { $0 == "-" || $0 == "+" }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
          throw invalid(t, name, expected)
        }
        overflow = true  // all digits, too many for an Int
        continue
      }
      let (p, o) = product.multipliedReportingOverflow(by: n)
      overflow = overflow || o
      product = p
    }
    guard !overflow else {
      throw SessionError(.tooLarge(t.text, for: name, expected: expected), at: location.at(column: t.column))
    }
    guard range.contains(product) else { throw invalid(t, name, expected) }
    return product
  }

  /// A number in `range` (`1e-4`, `0.2`).
  func float(_ name: String, in range: ClosedRange<Float>, default value: Float? = nil) throws(SessionError) -> Float? {
    guard let t = token(name) else { return value }
    let expected = Rule.expected(range)
    guard let x = Float(t.text), !x.isNaN else { throw invalid(t, name, expected) }
    // 1e40 is a number, just not one a Float holds.
    guard x.isFinite || t.text.lowercased().contains("inf") else {
      throw SessionError(.outOfRange(t.text, for: name, expected: expected), at: location.at(column: t.column))
    }
    guard x.isFinite, range.contains(x) else { throw invalid(t, name, expected) }
    return x
  }

  /// One of `choices`.
  func choice(_ name: String, _ choices: [String], default value: String? = nil) throws(SessionError) -> String? {
    guard let t = token(name) else { return value }
    let lowered = t.text.lowercased()
    guard choices.contains(lowered) else {
      let expected = choices.map { "'\($0)'" }.joined(separator: ", ")
      let suggestion = closest(to: lowered, among: choices).map { " (did you mean '\($0)'?)" } ?? ""
      throw invalid(t, name, "one of \(expected)\(suggestion)")
    }
    return lowered
  }

  /// Text as written (a path).
  func text(_ name: String) -> String? { token(name)?.text }

  /// true/false, yes/no, on/off.
  func bool(_ name: String, default value: Bool) throws(SessionError) -> Bool {
    guard let t = token(name) else { return value }
    guard let on = Self.truth(t.text) else { throw invalid(t, name, "true or false") }
    return on
  }
}
