@preconcurrency import Glibc

/// Ctrl-C: counted by a signal handler, read by the REPL and by long commands, which stop
/// cleanly after the current step. Only async-signal-safe work happens in the handler.
///
/// During a command the first Ctrl-C says it stops cleanly (after the step it is in, for
/// training; at once for a load or a score, which change nothing); a step can take
/// seconds, and a second press (an impatient one) only says what a third would do. The third
/// quits at once, for a command that does not come back; it loses what was not saved.
///
/// SIGTERM and SIGHUP (what `timeout`, Slurm, `docker stop` and a closed terminal send)
/// stop the same way while a command or a notebook runs, and ganrepl then ends with
/// status 128 + the signal; elsewhere (a prompt waiting for input) they end it at once, as
/// they would have. A signal the parent set to be ignored stays ignored: `nohup ganrepl …`
/// goes on when its terminal closes. SIGUSR1 is a Ctrl-C sent from another shell (under
/// mpirun, `MPIStopSignals` takes these signals instead).
enum Interrupt {
  nonisolated(unsafe) static var count: sig_atomic_t = 0
  /// SIGTERM or SIGHUP, once one asked ganrepl to stop and end; 0 otherwise.
  nonisolated(unsafe) static var terminating: sig_atomic_t = 0
  /// Nonzero while a command (or a whole notebook) runs: a SIGTERM then stops it cleanly.
  nonisolated(unsafe) static var runningFlag: sig_atomic_t = 0
  static var running: Bool {
    get { runningFlag != 0 }
    set { runningFlag = newValue ? 1 : 0 }
  }
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
    _ = (stopping.count, stillStopping.count, quitting.count, ending.count)  // made now, not in the handler
    signal(SIGINT, press)
    signal(SIGUSR1, press)
    for sig in [SIGTERM, SIGHUP] where !ignoredByParent(sig) { signal(sig, terminate) }
    // A parent may have blocked them (the mask is inherited across exec).
    var set = sigset_t()
    sigemptyset(&set)
    for s in [SIGINT, SIGUSR1, SIGTERM, SIGHUP] { sigaddset(&set, s) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// Whether `sig` came ignored from the parent (`nohup` ignores SIGHUP): then it stays so.
  static func ignoredByParent(_ sig: Int32) -> Bool {
    var old = sigaction()
    guard sigaction(sig, nil, &old) == 0 else { return false }
    // The handler as an address: SIG_IGN is 1 (C compares them so; Swift's function types cannot).
    let ignore = unsafeBitCast(SIG_IGN, to: Int.self)
    return withUnsafeBytes(of: &old.__sigaction_handler) { $0.load(as: Int.self) } == ignore
  }

  /// Ctrl-C, or SIGUSR1.
  static let press: @convention(c) (Int32) -> Void = { _ in
    Interrupt.count &+= 1
    var byte: UInt8 = 3
    _ = write(Interrupt.wakeupWrite, &byte, 1)
    guard !Interrupt.atPrompt else { return }
    switch Interrupt.count {
    case 1: Interrupt.say(Interrupt.stopping)
    case 2: Interrupt.say(Interrupt.stillStopping)
    default:
      Interrupt.say(Interrupt.quitting)
      _exit(Interrupt.terminating != 0 ? 128 + Interrupt.terminating : 130)
    }
  }

  /// SIGTERM or SIGHUP: while something runs, a press that also ends ganrepl once it has
  /// stopped; otherwise the signal's own ending. `TerminalSignals` puts the terminal back
  /// first at an interactive prompt.
  static let terminate: @convention(c) (Int32) -> Void = { sig in
    guard Interrupt.runningFlag != 0, !Interrupt.atPrompt else {
      signal(sig, SIG_DFL)
      raise(sig)
      return
    }
    if Interrupt.terminating == 0 {
      Interrupt.terminating = sig
      Interrupt.say(Interrupt.ending)
    }
    Interrupt.press(sig)
  }

  /// The exit status after a stop: 128 + SIGTERM or SIGHUP, else Ctrl-C's 130.
  static var status: Int32 { terminating != 0 ? 128 + terminating : 130 }

  /// The handler's words, made before any signal (the handler may not allocate).
  static let stopping = Array(
    "\nganrepl: stopping; training stops after its current step, other commands at their next check\n".utf8CString)
  static let stillStopping = Array(
    "\nganrepl: still stopping; once more (Ctrl-C, or the signal again) quits at once, losing what was not saved\n"
      .utf8CString)
  static let quitting = Array("\nganrepl: interrupted three times; quitting without saving\n".utf8CString)
  static let ending = Array("\nganrepl: asked to end (SIGTERM or SIGHUP); it ends once the command stops\n".utf8CString)

  /// Writes `message` (NUL-terminated) to stderr: async-signal-safe.
  static func say(_ message: [CChar]) {
    message.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count - 1) }
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
