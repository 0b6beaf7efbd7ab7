import Foundation

/// One word of a notebook line.
public struct Token: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    /// Bare text: a command, a number, a keyword.
    case word
    /// Text written in double quotes (paths), or the value of a `$variable`.
    case string
  }

  public var kind: Kind
  /// The word, or the string's contents, or an option's value.
  public var text: String
  /// 1-based column of the token's first character.
  public var column: Int
  /// The key of a `key=value` option, whose value is `text`.
  public var key: String?
  /// The `$parameter` the text came from (a word `$name` or an option `key=$name`).
  public var parameter: String? = nil
  /// The text came from a `$parameter`.
  public var fromParameter: Bool { parameter != nil }
}

/// Splits one line into tokens: words, "strings" (with \", \\ and \$ escapes; any other
/// escape is an error), `key=value` options; `#` starts a comment; `$name` (a word, or
/// inside a string) and `${name}` (inside a string) are replaced by notebook parameters.
/// The only place that
/// looks at characters.
public struct Lexer {
  let variables: [String: String]
  let location: SourceLocation
  /// Read an undefined `$name` as its own text instead of failing (completion reads a
  /// line that is still being typed).
  var keepsUndefined = false
  /// The parameters the line used, so `--set` can tell a typo from a parameter in use.
  private(set) var referenced: Set<String> = []

  init(variables: [String: String], location: SourceLocation) {
    self.variables = variables
    self.location = location
  }

  mutating func tokens(_ line: String) throws(SessionError) -> [Token] {
    let chars = Array(line)
    var tokens: [Token] = []
    var i = 0
    while i < chars.count {
      if chars[i] == " " || chars[i] == "\t" || chars[i] == "\r" {
        i += 1
        continue
      }
      if chars[i] == "#" { break }
      let start = i
      if chars[i] == "\"" {
        let (text, next) = try string(chars, from: i)
        tokens.append(Token(kind: .string, text: text, column: start + 1))
        i = next
        continue
      }
      while i < chars.count && !" \t\r".contains(chars[i]) && chars[i] != "\"" { i += 1 }
      let word = String(chars[start..<i])
      if let eq = word.firstIndex(of: "="), word != "=" {
        let key = String(word[..<eq])
        var value = String(word[word.index(after: eq)...])
        var kind = Token.Kind.word
        if value.isEmpty && i < chars.count && chars[i] == "\"" {
          (value, i) = try string(chars, from: i)
          kind = .string
        } else if value.hasPrefix("$") {
          value = try lookup(value, column: start + key.count + 2)
          kind = .string
        }
        let parameter =
          word[word.index(after: eq)...].hasPrefix("$") ? String(word[word.index(eq, offsetBy: 2)...]) : nil
        tokens.append(Token(kind: kind, text: value, column: start + 1, key: key, parameter: parameter))
      } else if word.hasPrefix("$") && !word.hasPrefix("${") && !word.dropFirst().contains("$") {
        tokens.append(
          Token(
            kind: .string, text: try lookup(word, column: start + 1), column: start + 1,
            parameter: String(word.dropFirst())))
      } else if let (text, parameter) = try expanded(word, column: start + 1) {
        // `out/$run.png`, `$out/$run.png` unquoted: the parameters inside replaced, as in a string.
        tokens.append(Token(kind: .string, text: Self.home(text), column: start + 1, parameter: parameter))
      } else {
        // A bare `~/…` is a path (it has a slash): in the home folder, as when quoted.
        tokens.append(Token(kind: .word, text: word.hasPrefix("~/") ? Self.home(word) : word, column: start + 1))
      }
    }
    return tokens
  }

  /// A bare word with `$name` or `${name}` in it (`out/$run.png`, `$out/$run`, `${n}0`),
  /// the parameters replaced, and the parameter when the word is that one alone (an error's
  /// note then names its value); nil for a word without one (a `$` before no name stays).
  private mutating func expanded(_ word: String, column: Int) throws(SessionError) -> (String, String?)? {
    let chars = Array(word)
    guard chars.contains("$") else { return nil }
    var (text, first, i, found, literal) = ("", String?.none, 0, 0, false)
    while i < chars.count {
      if let reference = try reference(in: chars, at: i, column: column) {
        text += reference.value
        (first, found) = (first ?? reference.name, found + 1)
        i = reference.end
      } else {
        text.append(chars[i])
        (literal, i) = (true, i + 1)
      }
    }
    guard found > 0 else { return nil }
    return (text, found == 1 && !literal ? first : nil)
  }

  /// The parameter `chars[i]` starts, `${name}` (closed before any `"`) or `$name` (letters,
  /// digits and `_`, as in a shell): its value, its name and the index after it; nil when
  /// no parameter starts there. Strings and bare words read them alike.
  private mutating func reference(in chars: [Character], at i: Int, column: Int) throws(SessionError) -> (
    value: String, name: String, end: Int
  )? {
    guard chars[i] == "$", i + 1 < chars.count else { return nil }
    if chars[i + 1] == "{" {
      guard let close = chars[(i + 2)...].firstIndex(where: { $0 == "}" || $0 == "\"" }), chars[close] == "}" else {
        return nil
      }
      let name = String(chars[(i + 2)..<close])
      return (try lookup("$" + name, column: column), name, close + 1)
    }
    guard Self.startsName(chars[i + 1]) else { return nil }
    let end = chars[(i + 1)...].firstIndex { !Self.continuesName($0) } ?? chars.count
    let name = String(chars[(i + 1)..<end])
    return (try lookup("$" + name, column: column), name, end)
  }

  /// A quoted string starting at `chars[from] == "`; returns its text and the index after it.
  /// `${name}` and `$name` (letters, digits and `_`, as in a shell) are replaced by the
  /// parameter; `\$` is a dollar sign.
  private mutating func string(_ chars: [Character], from: Int) throws(SessionError) -> (String, Int) {
    var text = ""
    var i = from + 1
    while i < chars.count {
      switch chars[i] {
      case "\\" where i + 1 < chars.count:
        guard chars[i + 1] == "\"" || chars[i + 1] == "\\" || chars[i + 1] == "$" else {
          throw SessionError(.unknownEscape(chars[i + 1]), at: location.at(column: i + 1))
        }
        text.append(chars[i + 1])
        i += 2
      case "$":
        if let reference = try reference(in: chars, at: i, column: from + 1) {
          text += reference.value
          i = reference.end
        } else if i + 1 < chars.count && chars[i + 1] == "{" {
          throw SessionError(.unterminatedInterpolation, at: location.at(column: from + 1))
        } else {
          text.append("$")
          i += 1
        }
      case "\"":
        return (Self.home(text), i + 1)
      default:
        text.append(chars[i])
        i += 1
      }
    }
    throw SessionError(.unterminatedString, at: location.at(column: from + 1))
  }

  /// `text` as a string of the language, read back as exactly `text`: a path may hold `"`,
  /// `\` or `$` (from the shell, or a folder's name in a line ganrepl prints).
  public static func quoted(_ text: String) -> String {
    "\""
      + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "$", with: "\\$") + "\""
  }

  /// A quoted `~` or `~/…`, or a bare `~/…`, is in the home folder, as in a shell:
  /// `sample 16 "~/faces.png"`. Without `HOME` it stays as written.
  static func home(_ text: String, home: String? = getenv("HOME").map { String(cString: $0) }) -> String {
    guard text == "~" || text.hasPrefix("~/"), let home, !home.isEmpty else { return text }
    return home + text.dropFirst()
  }

  /// A name after `$` inside a string starts with a letter or `_` and goes on with letters,
  /// digits and `_` (`"$out-2.png"` is `$out` then `-2.png`; `${my-run}` for a name with `-`).
  static func startsName(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
  static func continuesName(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

  private mutating func lookup(_ word: String, column: Int) throws(SessionError) -> String {
    var name = String(word.dropFirst())
    // `$out/w.png` unquoted: the name ends where a name's characters do (letters, digits,
    // `_`, `-`), as in a shell, when that name is a parameter.
    var rest = ""
    if variables[name] == nil, let end = name.firstIndex(where: { !(Self.continuesName($0) || $0 == "-") }),
      end > name.startIndex, variables[String(name[..<end])] != nil
    {
      rest = String(name[end...])
      name = String(name[..<end])
    }
    referenced.insert(name)
    if let value = variables[name] { return value + rest }
    if keepsUndefined { return word }
    throw SessionError(
      .undefinedVariable(name, suggestion: closest(to: name, among: variables.keys.sorted())),
      at: location.at(column: column))
  }
}
