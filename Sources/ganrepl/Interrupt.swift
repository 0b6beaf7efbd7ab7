@preconcurrency import Glibc

/// Ctrl-C: counted by a signal handler, read by the REPL and by long commands, which stop
/// cleanly after the current step. Only async-signal-safe work happens in the handler.
enum Interrupt {
  nonisolated(unsafe) static var count: sig_atomic_t = 0

  static func install() {
    signal(SIGINT) { _ in
      Interrupt.count &+= 1
      if Interrupt.count >= 2 && !Interrupt.atPrompt {
        let message = "\nganrepl: interrupted twice; quitting without saving\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        _exit(130)
      }
    }
  }

  /// True while readline is waiting for input (a Ctrl-C there only clears the line).
  nonisolated(unsafe) static var atPrompt = false

  static var requested: Bool { count > 0 }
  static func clear() { count = 0 }
}
