import Layers

/// One word of the language and what it builds: a command (`CommandTable`) or a layer
/// (`LayerTable`). Both tables hold the same shape, are looked up the same way and read a
/// line the same way, so the parser, `help` and completion treat them alike.
struct TableEntry<Built>: Sendable {
  var name: String
  var aliases: [String] = []
  var usage: String
  /// One line for lists (`help`); layers list their `help` instead.
  var summary: String = ""
  var help: String
  var syntax: Syntax
  var build: @Sendable (Arguments) throws(SessionError) -> Built

  /// Binds the words after the name and builds what they say.
  func read(_ tokens: [Token], at location: SourceLocation) throws(SessionError) -> Built {
    try build(syntax.bind(tokens, command: name, usage: usage, at: location))
  }
}

typealias CommandEntry = TableEntry<Command>
typealias LayerEntry = TableEntry<LayerSpec>

/// A table of words: its entries, their names, and lookup by name or alias.
protocol WordTable {
  associatedtype Built
  static var entries: [TableEntry<Built>] { get }
}

extension WordTable {
  static var names: [String] { entries.map(\.name) }

  /// Every spelling, aliases included.
  static var spellings: [String] { entries.flatMap { [$0.name] + $0.aliases } }

  static func entry(named name: String) -> TableEntry<Built>? {
    let lowered = name.lowercased()
    return entries.first { $0.name == lowered || $0.aliases.contains(lowered) }
  }
}
