@preconcurrency import CReadline
@preconcurrency import Glibc
import Session

/// What the user gave at the prompt.
enum Input: Equatable {
  /// What was entered: one line as typed, or the lines of a multi-line paste in order.
  /// `pasted` lines are no longer on the screen: the REPL echoes each as it runs it.
  case lines([String], pasted: Bool)
  /// Ctrl-C: the line was dropped and "^C" shown; the cursor is on a fresh line.
  case interrupted
  /// Ctrl-D on an empty line, or the end of piped input.
  case end
}

/// Reads lines with GNU readline (editing, persistent history, Tab completion) when the
/// input is a terminal, and plainly otherwise (piped input).
///
/// Readline runs in its callback mode under our own `poll`, and its own signal handling is
/// off: Ctrl-C wakes the poll through `Interrupt`'s pipe, and the line is dropped at once
/// (as bash and python do) instead of after the next key, which blocking `readline()`
/// would wait for.
final class LineEditor {
  let interactive: Bool
  private let historyPath: String?
  /// Whether the REPL is inside a network block, for completion.
  nonisolated(unsafe) static var insideBlock = false
  /// What the line handler received: nil until a line is finished, then the line, or
  /// `.some(nil)` for Ctrl-D on an empty line.
  nonisolated(unsafe) fileprivate static var received: String??

  init(interactive: Bool) {
    self.interactive = interactive
    historyPath = getenv("HOME").map { String(cString: $0) + "/.ganrepl_history" }
    guard interactive else { return }
    rl_readline_name = UnsafePointer(strdup("ganrepl"))
    rl_attempted_completion_function = complete
    rl_completer_quote_characters = UnsafePointer(strdup("\""))
    rl_completion_append_character = 0
    rl_catch_signals = 0
    rl_persistent_signal_handlers = 1  // readline's SIGWINCH handler for the whole prompt
    using_history()
    stifle_history(2000)
    if let historyPath { read_history(historyPath) }
  }

  /// The next input; `prompt` is shown first.
  func read(prompt: String) -> Input {
    guard interactive else {
      return Swift.readLine(strippingNewline: true).map { .lines([$0], pasted: false) } ?? .end
    }
    Interrupt.atPrompt = true
    TerminalSignals.atPrompt(true)
    defer {
      Interrupt.atPrompt = false
      TerminalSignals.atPrompt(false)
    }
    Self.received = nil
    rl_callback_handler_install(prompt, lineHandler)
    while Self.received == nil {
      if Interrupt.requested { return dropLine() }
      if TerminalSignals.suspendRequested != 0 { suspend() }
      var fds = [
        pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
        pollfd(fd: Interrupt.wakeupRead, events: Int16(POLLIN), revents: 0),
      ]
      if poll(&fds, 2, -1) < 0 {
        if errno == EINTR { rl_check_signals() }  // SIGWINCH: readline re-reads the width
        continue
      }
      if fds[1].revents != 0 { Interrupt.drainWakeups() }
      if fds[0].revents != 0 { rl_callback_read_char() }
    }
    guard let entered = Self.received! else { return .end }
    let lines = Notebook.lines(of: entered)
    lines.forEach(remember)
    guard lines.count > 1 else { return .lines(lines, pasted: false) }
    let pasted = lines.last == "" ? Array(lines.dropLast()) : lines
    eraseShown(prompt: prompt, lines: pasted)
    return .lines(pasted, pasted: true)
  }

  /// Ctrl-C at the prompt: "^C" where the line ends, a new line, and the line forgotten.
  private func dropLine() -> Input {
    rl_free_line_state()
    rl_callback_sigcleanup()
    rl_point = rl_end
    rl_redisplay()
    rl_echo_signal_char(SIGINT)
    rl_crlf()
    rl_replace_line("", 0)
    rl_callback_handler_remove()
    Interrupt.clear()
    return .interrupted
  }

  /// Ctrl-Z at the prompt: the terminal as the shell expects it, stop; on `fg`, raw mode
  /// again and the line redrawn as it was.
  private func suspend() {
    TerminalSignals.suspendRequested = 0
    rl_deprep_terminal()
    TerminalSignals.atPrompt(false)
    raise(SIGTSTP)
    TerminalSignals.atPrompt(true)
    rl_prep_terminal(1)
    rl_forced_update_display()
  }

  /// Adds `text` to the history, and to the history file (a paste line by line, as if
  /// typed, so the file keeps one entry per line).
  private func remember(_ text: String) {
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    add_history(text)
    if let historyPath, append_history(1, historyPath) != 0 { write_history(historyPath) }
  }

  /// A multi-line paste was shown by readline as raw lines under the prompt (a final empty
  /// line is not left on the screen when the line is accepted); erase them so
  /// the REPL can echo each line with its prompt as it runs (when they all still fit on the
  /// screen; otherwise they stay as readline drew them).
  private func eraseShown(prompt: String, lines: [String]) {
    let width = Terminal.columns
    var rows = 0
    for (i, line) in lines.enumerated() {
      let shown = (i == 0 ? prompt.count : 0) + line.count
      rows += shown == 0 ? 1 : (shown - 1) / width + 1
    }
    guard rows < Terminal.rows else { return }
    Terminal.write("\u{1B}[\(rows)F\u{1B}[J")
  }
}

/// Readline's callback: a finished line (nil for Ctrl-D on an empty line).
private func lineHandler(_ raw: UnsafeMutablePointer<CChar>?) {
  rl_callback_handler_remove()
  LineEditor.received = .some(raw.map { String(cString: $0) })
  free(raw)
}

nonisolated(unsafe) private var candidates: [String] = []
nonisolated(unsafe) private var nextCandidate = 0

private func complete(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<
  UnsafeMutablePointer<CChar>?
>? {
  let buffer = Array(
    UnsafeBufferPointer(start: UnsafeRawPointer(rl_line_buffer)!.assumingMemoryBound(to: UInt8.self), count: Int(start))
  )
  let before = String(decoding: buffer, as: UTF8.self)
  guard let words = Completion.candidates(line: before, insideBlock: LineEditor.insideBlock) else {
    rl_completion_append_character = 0
    return nil  // readline's file name completion, for paths in quotes
  }
  rl_attempted_completion_over = 1
  // Readline sets its append character back to a space before each completion; the
  // candidates carry their own ("count=" takes its value right after the sign).
  rl_completion_append_character = 0
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
