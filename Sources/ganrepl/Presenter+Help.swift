import Session

/// The words for `help`: the commands and layers beside their usages, one command, the
/// settings and the concepts.
extension Presenter {
  func help(_ h: HelpText) -> String {
    switch h {
    case .commands(let rows):
      return "commands (help COMMAND for details, help layers for layers):\n"
        + usageTable(rows.map { ($0.usage, $0.summary) })
    case .command(let usage, _, let help, let options):
      var s = usage + "\n\n" + help
      if !options.isEmpty {
        let width = options.map(\.name.count).max()!
        s += "\n\noptions:\n" + options.map { "  " + pad($0.name, width) + "  " + $0.help }.joined(separator: "\n")
      }
      return s
    case .layers(let rows):
      return "layers (one per line inside generator/discriminator … end):\n"
        + usageTable(rows.map { ($0.usage, $0.help) })
    case .settings(let rows):
      let width = rows.map(\.name.count).max() ?? 0
      return "settings (set NAME VALUE):\n"
        + rows.map { "  " + pad($0.name, width) + "  " + $0.help }.joined(separator: "\n")
    case .concepts(let rows):
      let width = rows.map(\.name.count).max() ?? 0
      return "concepts (help TOPIC explains one):\n"
        + rows.map { "  " + pad($0.name, width) + "  " + $0.summary }.joined(separator: "\n")
    case .concept(let name, let summary, let text):
      return name + ": " + summary + "\n\n" + text
    }
  }
  /// Usages beside what they do, the second column at most 44 characters in: a longer
  /// usage has a line of its own, the words under it. On a terminal, a usage wider than it
  /// goes on four spaces in, so that its last options do not read as another usage.
  func usageTable(_ rows: [(usage: String, what: String)]) -> String {
    let cap = min(rows.map(\.usage.count).max() ?? 0, 44)
    return rows.map { usage, what in
      guard live else {
        return (usage.count > cap ? "  " + usage + "\n  " + pad("", cap) : pad("  " + usage, cap + 2)) + "  " + what
      }
      // On a terminal the words wrap under their own column, however narrow it is.
      let shown = TextWrap.wrap(Array("  " + usage), width: width(), hang: 4)
      let last = (usage.count > cap ? "  " + pad("", cap) : pad(shown.last!, cap + 2)) + "  " + what
      let words = TextWrap.wrap(Array(last), width: width(), hang: cap + 4)
      return ((usage.count > cap ? shown : shown.dropLast()) + words).joined(separator: "\n")
    }.joined(separator: "\n")
  }
}
