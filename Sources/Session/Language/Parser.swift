import Layers

/// Turns notebook lines into commands, one line at a time, so the REPL and the notebook
/// runner read the same language the same way. Lines between `generator`/`discriminator`
/// and `end` are layers; the block becomes one command when `end` arrives.
public struct Parser {
  public let file: String
  /// An open network block: its first line, the layers read so far, and the lines they
  /// were read from.
  private var block: (header: Located<NetworkRole>, definition: NetworkDefinition, lines: [String])?
  /// The defaults `param` lines declared, for the lines after them: a parameter takes
  /// effect here, once, when its line is read.
  private var declared: [String: String] = [:]

  /// Every parameter a line has used as `$name` or `${name}` so far.
  public private(set) var referencedVariables: Set<String> = []

  public init(file: String) { self.file = file }

  /// True while a block is open and more lines are needed (the REPL's `...` prompt).
  public var isInsideBlock: Bool { block != nil }

  /// The network an open block defines, and where its first line is.
  public var openBlock: Located<NetworkRole>? { block?.header }

  /// The command `line` completes, or nil when the line is blank, a comment, or part of
  /// an open block. `variables` are the notebook parameters for `$name` (from `--set`, or
  /// the session's); they win over the defaults of `param` lines read before. A `param`
  /// command carries the value the lines after it read: its own, unless its name is
  /// `given` (by `--set`; nil: every name in `variables`), whose value wins.
  public mutating func read(_ line: String, number: Int, variables: [String: String], given: Set<String>? = nil)
    throws(SessionError) -> Located<Command>?
  {
    let given = given ?? Set(variables.keys)
    let location = SourceLocation(file: file, line: number, column: 1)
    let variables = variables.merging(declared) { given, _ in given }
    var lexer = Lexer(variables: variables, location: location)
    defer { referencedVariables.formUnion(lexer.referenced) }
    let tokens = try lexer.tokens(line)
    guard let head = tokens.first else { return nil }
    let here = location.at(column: head.column)
    let name = head.text.lowercased()

    if var open = block {
      if head.kind == .word && name == "end" {
        guard tokens.count == 1 else {
          throw SessionError(
            .unexpectedArgument(tokens[1].text, usage: "end"), at: location.at(column: tokens[1].column))
        }
        block = nil
        guard !open.definition.layers.isEmpty else {
          throw SessionError(.emptyNetwork(open.header.value.rawValue), at: open.header.location)
        }
        var network = Located(
          Command.network(open.header.value, open.definition), at: open.header.location, source: open.header.source)
        network.body = open.lines + [line]
        network.parameters = open.header.parameters
        return network
      }
      // `help` (`help layers`, `help conv`) answers inside a block, which stays open.
      if head.kind == .word && head.key == nil && name == "help", let entry = CommandTable.entry(named: name) {
        do {
          return Located(try entry.read(Array(tokens.dropFirst()), at: here), at: here, source: line)
        } catch {
          throw Self.traced(error, to: tokens, given: given)
        }
      }
      let spec: LayerSpec
      do {
        spec = try layer(tokens, at: here, block: open.header.value.rawValue)
      } catch {
        throw Self.traced(error, to: tokens, given: given)
      }
      open.definition.layers.append(spec)
      open.definition.locations.append(here)
      open.lines.append(line)
      open.header.parameters = Self.merged(open.header.parameters, uses(lexer.referenced, variables, given))
      block = open
      return nil
    }

    if head.kind == .word && name == "end" { throw SessionError(.endWithoutBlock, at: here) }
    guard head.kind == .word, head.key == nil, let entry = CommandTable.entry(named: name) else {
      if head.kind == .word, LayerTable.entry(named: name) != nil {
        throw SessionError(.layerOutsideBlock(head.text), at: here)
      }
      throw SessionError(
        .unknownCommand(
          head.key.map { "\($0)=" } ?? head.text, suggestion: closest(to: name, among: CommandTable.names)),
        at: here)
    }
    var command: Command
    do {
      command = try entry.read(Array(tokens.dropFirst()), at: here)
    } catch {
      throw Self.traced(error, to: tokens, given: given)
    }
    if case .network(let role, let definition) = command {
      var header = Located(role, at: here, source: line)
      header.parameters = uses(lexer.referenced, variables, given)
      block = (header, definition, [])
      return nil
    }
    if case .param(let name, let value) = command {
      let effective = given.contains(name) ? variables[name] ?? value : value
      declared[name] = effective
      command = .param(name: name, value: effective)
    }
    var located = Located(command, at: here, source: line)
    located.parameters = uses(lexer.referenced, variables, given)
    return located
  }

  /// The parameters a line used, with their values there, in the order of their names.
  private func uses(_ names: Set<String>, _ variables: [String: String], _ given: Set<String>) -> [ParameterUse] {
    names.sorted().compactMap { name in
      variables[name].map { ParameterUse(name: name, value: $0, fromCommandLine: given.contains(name)) }
    }
  }

  /// `a` and the uses of `b` whose names `a` lacks.
  private static func merged(_ a: [ParameterUse], _ b: [ParameterUse]) -> [ParameterUse] {
    a + b.filter { use in !a.contains { $0.name == use.name } }
  }

  /// `error` with a note on where its value came from, when it points at a `$parameter`'s
  /// value: `--set steps=abc` shows as `abc` at the line that uses `$steps`.
  static func traced(_ error: SessionError, to tokens: [Token], given: Set<String>) -> SessionError {
    switch error.kind {
    case .invalidValue, .outOfRange, .tooLarge, .flagValue: break
    default: return error  // not about the value (an unknown option's name, say)
    }
    guard let column = error.location?.column,
      let token = tokens.first(where: { $0.column == column && $0.parameter != nil }), let name = token.parameter
    else { return error }
    var traced = error
    traced.note = ParameterUse(name: name, value: token.text, fromCommandLine: given.contains(name)).note
    return traced
  }

  /// Call at the end of the input: an open block is an error.
  public func finish() throws(SessionError) {
    if let open = block { throw SessionError(.unclosedBlock(open.header.value.rawValue), at: open.header.location) }
  }

  /// Forgets an open block (the REPL, after an error or Ctrl-C inside one).
  public mutating func abandonBlock() { block = nil }

  private func layer(_ tokens: [Token], at location: SourceLocation, block: String) throws(SessionError) -> LayerSpec {
    let head = tokens[0]
    let name = head.text.lowercased()
    guard head.kind == .word, head.key == nil, let entry = LayerTable.entry(named: name) else {
      if CommandTable.entry(named: name) != nil {
        throw SessionError(.commandInsideBlock(head.text, block: block), at: location)
      }
      throw SessionError(
        .unknownLayer(head.text, suggestion: closest(to: name, among: LayerTable.spellings)), at: location)
    }
    let spec = try entry.read(Array(tokens.dropFirst()), at: location)
    do {
      try spec.validate()
    } catch {
      let option = error.field.split(separator: ".").last.map(String.init) ?? error.field
      throw SessionError(.invalidValue(error.value, for: option, expected: error.expected), at: location)
    }
    return spec
  }
}

/// A whole notebook read up front, so a mistake on line 80 is reported before line 10
/// starts an hour of training. `param` lines take effect in the parser as they are read;
/// running one records the value it was read with.
public struct Notebook {
  public let commands: [Located<Command>]
  /// The parameters the notebook declares with `param` or uses as `$name`.
  public let parameters: Set<String>
  private let declared: [String]

  public init(text: String, file: String, variables: [String: String]) throws(SessionError) {
    var parser = Parser(file: file)
    var commands: [Located<Command>] = []
    let lines = Notebook.lines(of: text)
    for (i, line) in lines.enumerated() {
      do {
        guard let command = try parser.read(line, number: i + 1, variables: variables) else { continue }
        commands.append(command)
      } catch {
        throw Self.declaredLater(error, in: lines, after: i)
      }
    }
    try parser.finish()
    self.commands = commands
    declared = commands.compactMap { if case .param(let name, _) = $0.value { name } else { nil } }
    parameters = Set(declared).union(parser.referencedVariables)
  }

  /// An undeclared `$name` that a later `param` line declares: the note says where, since
  /// a parameter takes effect from its line on.
  static func declaredLater(_ error: SessionError, in lines: [String], after index: Int) -> SessionError {
    guard case .undefinedVariable(let name, _) = error.kind, error.note == nil else { return error }
    let bare = name.hasPrefix("$") ? String(name.dropFirst()) : name
    for (j, line) in lines.enumerated().dropFirst(index + 1) {
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
      guard words.first?.lowercased() == "param", words.count > 1, words[1] == bare else { continue }
      var noted = error
      noted.note =
        "'param \(bare)' is on line \(j + 1), below this one: a parameter is read from its line on; move it up"
      return noted
    }
    return error
  }

  /// Refuses a `--set NAME=VALUE` whose NAME the notebook neither declares nor uses: a
  /// typo there would otherwise be ignored without a word.
  public func checkParameters(given names: some Sequence<String>) throws(SessionError) {
    for name in names.sorted() where !parameters.contains(name) {
      throw SessionError(
        .unknownParameter(name, suggestion: closest(to: name, among: parameters.sorted()), declared: declared))
    }
  }
}
