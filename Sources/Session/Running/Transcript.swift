import Foundation

/// The lines that ran this session, in order, for `record`: each as it was typed, except
/// where what ran differs from the line. A network block keeps the layer lines it was
/// defined with, a training run cut short by Ctrl-C or an error keeps the steps it took, a
/// `load` the REPL let discard training says `discard`, and a `param` that `--set` overrode
/// holds the value the lines after it read. Failed lines, and lines that neither change nor
/// show the session (`help`, `bench`, `record`, `quit`), are left out.
struct Transcript {
  struct Entry: Equatable {
    /// One line, or several (a block; a comment and the line that replaces the one typed).
    var text: String
    var parameters: [ParameterUse]
    /// The parameter a `param` line declares.
    var declares: String? = nil
  }

  private(set) var entries: [Entry] = []
  /// The sessions the lines load, and those of them saved over since: the record's `load`
  /// then reads the later save.
  private var loads: Set<String> = []
  private(set) var savedOver: [String] = []
  /// The sessions the lines save: a record that saves a session before it loads it makes
  /// that save again when it runs, so its load reads the same one.
  private var saves: Set<String> = []

  /// A session was saved at `path` (by `save` or an `every` rule).
  mutating func saved(_ path: String) {
    let path = withoutTrailingSlashes(path)
    saves.insert(path)
    if loads.contains(path) && !savedOver.contains(path) { savedOver.append(path) }
  }

  /// The first line of every notebook `record` writes: a file that starts otherwise is not
  /// replaced.
  static let mark = "# recorded by ganrepl"

  /// Adds `command` after it ran. `run` is the training run it made, if any (steps done and
  /// planned); `failed`, whether it ended in an error; `given`, the parameters `--set` gave.
  mutating func add(
    _ command: Located<Command>, run: (done: Int, planned: Int)?, failed: Bool, given: Set<String>
  ) {
    let typed = command.source.trimmingCharacters(in: .whitespaces)
    guard !typed.isEmpty else { return }
    var text: String
    switch command.value {
    case .help, .concept, .bench, .benchData, .record, .quit: return
    case .step, .stepOnly, .train:
      guard let run else { return }
      // Cut short by Ctrl-C, or by an error after some steps (an every rule's, say): the
      // steps taken are what the session went through.
      if run.done < run.planned || failed {
        guard run.done > 0 else { return }
        let planned = run.planned == Int.max ? "" : " of its \(run.planned)"
        text =
          "# '\(typed)' \(failed ? "failed" : "stopped") after \(run.done)\(planned) steps\n"
          + Self.steps(run.done, like: command.value)
      } else {
        guard !failed else { return }
        text = typed
      }
    case .load(let path, discard: true) where !typed.lowercased().hasSuffix("discard"):
      // Written anew, not appended: the line may end in a comment.
      guard !failed else { return }
      text = "load \(Lexer.quoted(path)) discard"
    case .param(let name, let value):
      guard !failed else { return }
      text =
        given.contains(name)
        ? "param \(name) = \(Lexer.quoted(value))  # --set \(name)=\(value); the line said: \(typed)" : typed
      entries.append(Entry(text: text, parameters: [], declares: name))
      return
    case .network:
      guard !failed else { return }
      text = ([typed] + command.body.map { $0.trimmingCharacters(in: .whitespaces) }).joined(separator: "\n  ")
      text = text.replacingOccurrences(of: "\n  end", with: "\nend", options: .backwards)
    default:
      guard !failed else { return }
      text = typed
    }
    entries.append(Entry(text: text, parameters: command.parameters))
    if case .load(let path, _) = command.value, !saves.contains(withoutTrailingSlashes(path)) {
      loads.insert(withoutTrailingSlashes(path))
    }
  }

  /// The line that takes `done` steps as `command` would have: `step 3`, `step d 3`,
  /// `train 3 steps`.
  private static func steps(_ done: Int, like command: Command) -> String {
    switch command {
    case .step: "step \(done)"
    case .stepOnly(let role, _): "step \(role == .generator ? "g" : "d") \(done)"
    default: "train \(done) steps"
    }
  }

  /// The lines, after a `param` line for each `--set` value used before any `param` line
  /// declared it (at the prompt, `--set` alone gives a value), so that they run the same
  /// without the command line.
  var lines: [String] {
    var declared: Set<String> = []
    var given: [ParameterUse] = []
    for entry in entries {
      for use in entry.parameters where use.fromCommandLine && !declared.contains(use.name) {
        declared.insert(use.name)
        given.append(use)
      }
      if let name = entry.declares { declared.insert(name) }
    }
    return given.map { "param \($0.name) = \(Lexer.quoted($0.value))  # --set \($0.name)=\($0.value)" }
      + entries.map(\.text)
  }

  /// The notebook `record PATH` writes: a header that says what it is, then `lines`.
  func notebook(path: String, folder: String, date: Date) -> String {
    let stamp = ISO8601DateFormatter.string(from: date, timeZone: .current, formatOptions: [.withInternetDateTime])
    let header = [
      Self.mark + " on \(stamp), started in \(folder)",
      "# \(entries.count) command\(entries.count == 1 ? "" : "s") that ran, in order (failed lines left out);"
        + " paths are relative to the folder ganrepl starts in",
      "# run them again: ganrepl \(Self.shellWord(path))",
      "",
    ]
    return (header + lines).joined(separator: "\n") + "\n"
  }

  /// `path` as one word of a shell's command line: as it is, or in single quotes.
  static func shellWord(_ path: String) -> String {
    let plain = path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._/-+,:@".contains($0)) }
    return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
