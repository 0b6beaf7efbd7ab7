@preconcurrency import CReadline
@preconcurrency import Glibc
import Session

/// Reads lines with GNU readline (editing, persistent history, Tab completion) when the
/// input is a terminal, and plainly otherwise (piped input).
final class LineEditor {
  let interactive: Bool
  private let historyPath: String?
  /// Whether the REPL is inside a network block, for completion.
  nonisolated(unsafe) static var insideBlock = false

  init(interactive: Bool) {
    self.interactive = interactive
    historyPath = getenv("HOME").map { String(cString: $0) + "/.ganrepl_history" }
    guard interactive else { return }
    rl_readline_name = UnsafePointer(strdup("ganrepl"))
    rl_attempted_completion_function = complete
    rl_completer_quote_characters = UnsafePointer(strdup("\""))
    rl_completion_append_character = 0
    rl_signal_event_hook = onSignal
    using_history()
    stifle_history(2000)
    if let historyPath { read_history(historyPath) }
  }

  /// The next line without its newline, or nil at end of input (Ctrl-D).
  func readLine(prompt: String) -> String? {
    guard interactive else { return Swift.readLine(strippingNewline: true) }
    Interrupt.atPrompt = true
    defer { Interrupt.atPrompt = false }
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    let line = String(cString: raw)
    if !line.trimmingCharacters(in: .whitespaces).isEmpty {
      add_history(line)
      if let historyPath {
        if append_history(1, historyPath) != 0 { write_history(historyPath) }
      }
    }
    return line
  }
}

/// Ctrl-C at the prompt: drop what was typed and return an empty line; the REPL sees the
/// interrupt and starts afresh.
private func onSignal() -> Int32 {
  if Interrupt.requested {
    rl_replace_line("", 0)
    rl_done = 1
  }
  return 0
}

nonisolated(unsafe) private var candidates: [String] = []
nonisolated(unsafe) private var nextCandidate = 0

private func complete(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  let buffer = Array(UnsafeBufferPointer(start: UnsafeRawPointer(rl_line_buffer)!.assumingMemoryBound(to: UInt8.self), count: Int(start)))
  let before = String(decoding: buffer, as: UTF8.self)
  guard let words = Completion.candidates(line: before, insideBlock: LineEditor.insideBlock) else {
    rl_completion_append_character = 0
    return nil  // readline's file name completion, for paths in quotes
  }
  rl_attempted_completion_over = 1
  candidates = words.map { $0.hasSuffix("=") ? $0 : $0 + " " }
  return rl_completion_matches(text, generate)
}

private func generate(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
  if state == 0 { nextCandidate = 0 }
  let prefix = text.map { String(cString: $0) } ?? ""
  while nextCandidate < candidates.count {
    let c = candidates[nextCandidate]
    nextCandidate += 1
    if c.hasPrefix(prefix) { return strdup(c) }
  }
  return nil
}
