/// A `$parameter` a line used, with the value it had there and where that value came from:
/// an error about the value names it, since the line as written shows only `$name`.
public struct ParameterUse: Hashable, Sendable {
  public var name: String
  public var value: String
  /// Given on the command line (`--set name=value`) rather than by a `param` line.
  public var fromCommandLine: Bool

  public init(name: String, value: String, fromCommandLine: Bool) {
    self.name = name
    self.value = value
    self.fromCommandLine = fromCommandLine
  }

  /// `'abc' is $n, given on the command line: --set n=abc`.
  public var note: String {
    "'\(value)' is $\(name)"
      + (fromCommandLine ? ", given on the command line: --set \(name)=\(value)" : ", from its 'param' line")
  }

  /// Whether `message` shows this value as a whole: on its own, or as the start of a path or
  /// a file's name (`out/x.png`, `run.ganrepl`), not inside another word or number (`5` is
  /// not in `15`, `out` not in `output`).
  func appears(in message: String) -> Bool {
    guard !value.isEmpty else { return false }
    let before: Set<Character> = [" ", "'", "\"", "(", ":", "="]
    let after: Set<Character> = [" ", "'", "\"", ")", ":", ",", "/", ";", "."]
    var rest = message[...]
    while let found = rest.range(of: value) {
      let opens =
        found.lowerBound == message.startIndex || before.contains(message[message.index(before: found.lowerBound)])
      let closes = found.upperBound == message.endIndex || after.contains(message[found.upperBound])
      if opens && closes { return true }
      rest = message[message.index(after: found.lowerBound)...]
    }
    return false
  }
}

extension SessionError {
  /// This error with a note on the first of `uses` whose value its message shows, unless it
  /// has a note already: `--set data=/no/such` is named when the folder is not found.
  public func noting(_ uses: [ParameterUse]) -> SessionError {
    guard note == nil, let use = uses.first(where: { $0.appears(in: message) }) else { return self }
    var noted = self
    noted.note = use.note
    return noted
  }
}
