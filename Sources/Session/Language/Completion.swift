/// What Tab can complete at the end of a partly typed line: command names at the start of
/// a line, layer names inside a block, and after a name what its `Syntax` declares next:
/// the words of the next positional, the options that still apply, or an option's value
/// words after `key=`. Only what the binder accepts there is offered. nil means "complete
/// a file name" (inside quotes).
public enum Completion {
  /// `line` is the text before the word being completed; readline breaks words at spaces
  /// and at `=`, so a line ending in `key=` asks for the option's value.
  public static func candidates(line: String, insideBlock: Bool) -> [String]? {
    if line.filter({ $0 == "\"" }).count % 2 == 1 { return nil }
    // A `$parameter` being typed is no word of the syntax.
    if line.split(separator: " ", omittingEmptySubsequences: false).last?.hasPrefix("$") == true { return [] }
    var lexer = Lexer(variables: [:], location: SourceLocation(file: "", line: 1, column: 1))
    lexer.keepsUndefined = true
    guard var tokens = try? lexer.tokens(line) else { return [] }
    let value = line.last == "="
    // The word being typed is not part of what comes before it (a comment has no words).
    if !(line.isEmpty || line.last == " " || line.last == "\t" || value) { _ = tokens.popLast() }
    let key = value ? tokens.popLast()?.key : nil
    guard let head = tokens.first else {
      return insideBlock ? LayerTable.names + ["end"] : CommandTable.names
    }
    let syntax: Syntax
    if insideBlock, let layer = LayerTable.entry(named: head.text) {
      syntax = layer.syntax
    } else if !insideBlock, let command = CommandTable.entry(named: head.text) {
      syntax = command.syntax
    } else {
      return []
    }
    let location = SourceLocation(file: "", line: 1, column: 1)
    guard let walk = try? syntax.walk(Array(tokens.dropFirst()), command: head.text, usage: "", at: location) else {
      return []
    }
    if let key { return walk.applicable.first { $0.name == key }?.choices ?? [] }
    if let option = walk.pendingValue { return option.choices }
    let given = walk.arguments.options.keys.sorted() + walk.arguments.flags.keys.sorted()
    // A word whose options exclude one already given would not parse (`data flip ring`).
    let words = (walk.next?.words() ?? []).filter { choice in
      given.allSatisfy { choice.options?.contains($0) ?? true }
    }.map(\.word)
    return words + walk.applicable.filter { !given.contains($0.name) }.map { $0.isFlag ? $0.name : $0.name + "=" }
  }
}
