/// The words a command or layer takes, and the binder that matches tokens to them. The
/// one declaration of a command's words: the binder, `help` and Tab completion read it.
///
/// Options may be written `key=value` or `key value`; flags are bare keys (or
/// `key=true`/`key=false`, since `cache=false` sits beside them). Positionals fill in
/// order; a positional's word may decide what follows it (`show data COUNT PATH` but
/// `show history N`). Converting the bound text to typed values happens in `Arguments`.
struct Syntax: Sendable {
  /// One word a positional or an option value can be, and what it brings with it.
  struct Choice: Sendable {
    var word: String
    /// Other spellings the builder accepts (`epoch` for `epochs`); completion offers `word`.
    var aliases: [String] = []
    /// The positionals that follow this word, in place of the declared rest; nil keeps them.
    var then: [Positional]?
    /// The options that apply after this word; nil: all the syntax's options.
    var options: [String]?

    init(_ word: String, aliases: [String] = [], then: [Positional]? = nil, options: [String]? = nil) {
      self.word = word
      self.aliases = aliases
      self.then = then
      self.options = options
    }

    func matches(_ text: String) -> Bool {
      let lowered = text.lowercased()
      return word == lowered || aliases.contains(lowered)
    }
  }

  struct Positional: Sendable {
    var name: String
    var optional = false
    /// The words this place takes, read when a line is bound (computed on demand, so the
    /// `help` topics can list the command table they are part of).
    var words: @Sendable () -> [Choice] = { [] }
    /// What any other text here means (a folder after `data`), when it is allowed.
    var other: Choice?
    /// How an error calls it when it is missing ("B, the second sample index"); nil: `name`.
    var about: String?

    init(name: String, optional: Bool = false, choices: [Choice] = [], other: Choice? = nil, about: String? = nil) {
      self.name = name
      self.optional = optional
      self.words = { choices }
      self.other = other
      self.about = about
    }

    init(name: String, optional: Bool = false, computed: @escaping @Sendable () -> [Choice]) {
      self.name = name
      self.optional = optional
      self.words = computed
    }

    /// The choice `token` makes here, or `other` for text that is not one of the words.
    func choice(for token: Token) -> Choice? {
      words().first { $0.matches(token.text) } ?? other
    }
  }

  struct Option: Sendable {
    var name: String
    /// Flags take no value.
    var isFlag = false
    var help: String
    /// The words the value can be (`squash`, `crop`); empty for numbers and paths.
    var choices: [String] = []
  }

  var positionals: [Positional] = []
  var options: [Option] = []
  /// Accept any number of positionals after the declared ones (`reshape 8 8 128`).
  var variadic = false

  /// Where a walk over a line's tokens stopped: what the next token would be.
  struct Walk {
    var arguments: Arguments
    /// The next positional to fill, nil when all are filled.
    var next: Positional?
    /// An option written as a bare word and still waiting for its value.
    var pendingValue: Option?
    /// The options that apply after the choices made so far.
    var applicable: [Option]
  }

  /// Matches `tokens` (the words after the command name) to positionals and options.
  func bind(_ tokens: [Token], command: String, usage: String, at location: SourceLocation)
    throws(SessionError) -> Arguments
  {
    let walk = try self.walk(tokens, command: command, usage: usage, at: location)
    if let option = walk.pendingValue, let token = tokens.last {
      throw SessionError(
        .missingArgument("a value for '\(option.name)'", usage: usage), at: location.at(column: token.column))
    }
    if let next = walk.next, !next.optional {
      throw missing(next, in: walk.arguments, usage: usage, tokens: tokens, at: location)
    }
    return walk.arguments
  }

  /// Binds as many tokens as there are and says what comes next: `bind` and completion
  /// both read a line through here.
  func walk(_ tokens: [Token], command: String, usage: String, at location: SourceLocation)
    throws(SessionError) -> Walk
  {
    var args = Arguments(command: command, location: location)
    var expected = positionals
    var applicable = options
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
        guard let option = options.first(where: { $0.name == key }) else {
          throw SessionError(
            .unknownOption(key, command: command, suggestion: closest(to: key, among: optionNames), known: optionNames),
            at: location.at(column: token.column))
        }
        args.bind(option, token)
        i += 1
      } else if token.kind == .word, let option = options.first(where: { $0.name == token.text }) {
        if option.isFlag {
          args.flags[option.name] = token
          i += 1
        } else {
          guard i + 1 < tokens.count else {
            return Walk(arguments: args, next: nil, pendingValue: option, applicable: applicable)
          }
          args.bind(option, tokens[i + 1])
          i += 2
        }
      } else if next < expected.count {
        let positional = expected[next]
        args.bind(positional, token)
        next += 1
        i += 1
        if let choice = positional.choice(for: token) {
          if let then = choice.then { expected = Array(expected[..<next]) + then }
          if let names = choice.options { applicable = options.filter { names.contains($0.name) } }
        }
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
    return Walk(
      arguments: args, next: next < expected.count ? expected[next] : nil, pendingValue: nil, applicable: applicable)
  }
}
