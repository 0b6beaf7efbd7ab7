@preconcurrency import Glibc

/// Ctrl-C: counted by a signal handler, read by the REPL and by long commands, which stop
/// cleanly after the current step. Only async-signal-safe work happens in the handler.
enum Interrupt {
  nonisolated(unsafe) static var count: sig_atomic_t = 0
  /// The handler writes a byte here so the prompt's `poll` wakes up at once, whichever
  /// thread the signal was delivered to. Both ends are non-blocking.
  nonisolated(unsafe) static var wakeupRead: Int32 = -1
  nonisolated(unsafe) static var wakeupWrite: Int32 = -1

  static func install() {
    var ends: [Int32] = [-1, -1]
    if pipe(&ends) == 0 {
      for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
      (wakeupRead, wakeupWrite) = (ends[0], ends[1])
    }
    signal(SIGINT) { _ in
      Interrupt.count &+= 1
      var byte: UInt8 = 3
      _ = write(Interrupt.wakeupWrite, &byte, 1)
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

  /// Forgets Ctrl-Cs already handled, and their wake-up bytes.
  static func clear() {
    count = 0
    drainWakeups()
  }

  /// Empties the wake-up pipe (its bytes only say "look at the flags").
  static func drainWakeups() {
    var buffer = [UInt8](repeating: 0, count: 64)
    while read(wakeupRead, &buffer, buffer.count) > 0 {}
  }
}
