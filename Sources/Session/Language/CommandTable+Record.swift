/// `record [PATH]`: the lines that ran this session, as a notebook that runs them again.
extension CommandTable {
  static let recordEntry = CommandEntry(
    name: "record", usage: "record [PATH]", summary: "write the lines that ran as a .gan notebook (or show them)",
    help: """
      Writes every line that ran since ganrepl started, in order, as a notebook that does
      it all again: 'ganrepl PATH' (or its lines typed at the prompt) rebuilds the same
      session, the same numbers with the same seed. Failed lines are left out; a network
      block keeps the layers it was defined with; training stopped by Ctrl-C is written as
      the steps it took ('train 37 steps'); --set values become param lines; 'help',
      'bench' and 'record' itself are left out. Paths stay as typed, relative to the folder
      ganrepl starts in. A file that 'record' did not write is never replaced. Without a
      PATH the lines are shown.
      Example: record "runs/today.gan"
      """,
    syntax: Syntax(positionals: [.init(name: "path", optional: true)])
  ) { args throws(SessionError) in
    guard let token = args.token("path") else { return .record(path: nil) }
    guard token.text.lowercased().hasSuffix(".gan") else {
      throw SessionError(
        .invalidValue(token.text, for: "notebook path", expected: "a name ending in .gan, e.g. \"runs/today.gan\""),
        at: args.location.at(column: token.column))
    }
    return .record(path: token.text)
  }
}
