@preconcurrency import Glibc

/// Signals other than Ctrl-C while readline holds the terminal in raw mode (its own signal
/// handling is off; see `LineEditor`): Ctrl-Z at the prompt suspends with the terminal
/// restored and redraws the line on `fg`; SIGTERM, SIGHUP and SIGQUIT at the prompt put the
/// terminal back as it was and then end the program as they would have (during a command,
/// SIGTERM and SIGHUP stop it first: `Interrupt`).
enum TerminalSignals {
  /// Set by Ctrl-Z at the prompt; `LineEditor` suspends when its poll wakes.
  nonisolated(unsafe) static var suspendRequested: sig_atomic_t = 0
  nonisolated(unsafe) private static var original = termios()
  nonisolated(unsafe) private static var haveOriginal = false

  static func install() {
    haveOriginal = tcgetattr(0, &original) == 0
    for terminating in [SIGTERM, SIGHUP, SIGQUIT] where !Interrupt.ignoredByParent(terminating) {
      signal(terminating) { sig in
        // While a command runs, SIGTERM and SIGHUP stop it cleanly first (`Interrupt`).
        if sig != SIGQUIT && Interrupt.runningFlag != 0 && !Interrupt.atPrompt {
          Interrupt.terminate(sig)
          return
        }
        if TerminalSignals.haveOriginal { tcsetattr(0, TCSANOW, &TerminalSignals.original) }
        let bracketedPasteOff: StaticString = "\u{1B}[?2004l"
        _ = write(1, bracketedPasteOff.utf8Start, bracketedPasteOff.utf8CodeUnitCount)
        signal(sig, SIG_DFL)
        raise(sig)
      }
    }
  }

  /// Ctrl-Z only asks for a suspension while the prompt is up; elsewhere it stops at once.
  static func atPrompt(_ waiting: Bool) {
    guard waiting else {
      signal(SIGTSTP, SIG_DFL)
      return
    }
    signal(SIGTSTP) { _ in
      TerminalSignals.suspendRequested = 1
      var byte: UInt8 = 26
      _ = write(Interrupt.wakeupWrite, &byte, 1)
    }
  }
}
