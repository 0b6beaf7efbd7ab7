import Foundation
@preconcurrency import Glibc
import Testing

/// The built ganrepl run on a pseudo-terminal, as a person at a terminal would run it:
/// readline sees a tty, Ctrl-C ("\u{03}") reaches the terminal driver and becomes SIGINT for
/// the program, and a bracketed paste arrives as the bytes a terminal sends.
final class PseudoTerminal {
  private let master: Int32
  let pid: pid_t
  /// Everything the program wrote, as received.
  /// Everything the program wrote, decoded as UTF-8 (bytes are kept whole, so a character
  /// split between two reads is not garbled).
  var output: String { String(decoding: bytes, as: UTF8.self) }
  private var bytes: [UInt8] = []

  /// Starts `ganrepl` in a new session whose controlling terminal is the pty, with a
  /// private HOME (history) and no inputrc; `environment` adds or replaces variables
  /// ("TERM=xterm-kitty").
  init(_ arguments: [String] = [], columns: UInt16 = 100, rows: UInt16 = 40, environment: [String] = []) throws {
    // Linux's pty multiplexer: unlock the new pty and ask its number (what posix_openpt,
    // unlockpt and ptsname do, which Swift's Glibc module does not export).
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    let (TIOCSPTLCK, TIOCGPTN): (UInt, UInt) = (0x4004_5431, 0x8004_5430)  // <asm-generic/ioctls.h>
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
      throw POSIXError(.ENOTTY)
    }
    let name = "/dev/pts/\(number)"
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    self.master = master

    let home = NSTemporaryDirectory() + "ganrepl-pty-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    // The child becomes a session leader (POSIX_SPAWN_SETSID) and then opens the pty: its
    // first terminal becomes its controlling terminal, so Ctrl-C is a real SIGINT.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // POSIX_SPAWN_SETSID | SETSIGMASK | SETSIGDEF: the test runner's threads may block or
    // ignore SIGINT, which the child would inherit.
    posix_spawnattr_setflags(&attributes, 0x80 | 0x08 | 0x04)
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigaddset(&signals, SIGINT)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    let argv: [UnsafeMutablePointer<CChar>?] = ([ganreplBinary()] + arguments).map { strdup($0) } + [nil]
    let given = Set(environment.map { $0.prefix { $0 != "=" } })
    let environment =
      [
        "HOME=\(home)", "TERM=xterm-256color", "INPUTRC=/dev/null", "LANG=C.UTF-8", "PATH=/usr/bin:/bin",
      ].filter { !given.contains($0.prefix { $0 != "=" }) } + environment
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, argv[0]!, &actions, &attributes, argv, envp)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    self.pid = pid
  }

  deinit {
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    close(master)
  }

  /// Sends `text` as typed (or pasted) bytes.
  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Reads until the screen text after `position` (a UTF-8 offset into `screenText`)
  /// contains `expected`, or `seconds` pass. Returns whether it appeared; `position` moves
  /// past it.
  @discardableResult
  func waitFor(_ expected: String, after position: inout Int, seconds: Double = 15) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
      let text = screenText.utf8
      let tail = String(decoding: text.dropFirst(min(position, text.count)), as: UTF8.self)
      if let found = tail.range(of: expected) {
        position += tail.utf8.distance(from: tail.startIndex, to: found.upperBound)
        return true
      }
      let left = deadline.timeIntervalSinceNow
      if left <= 0 || !readSome(timeout: left) { return false }
    }
  }

  /// The screen text from UTF-8 offset `position` on.
  func text(after position: Int) -> String {
    String(decoding: screenText.utf8.dropFirst(position), as: UTF8.self)
  }

  /// Reads whatever arrives within `seconds`.
  func settle(_ seconds: Double) {
    let deadline = Date().addingTimeInterval(seconds)
    while deadline.timeIntervalSinceNow > 0, readSome(timeout: deadline.timeIntervalSinceNow) {}
  }

  /// The exit status, waiting up to `seconds` for it (nil if still running).
  func exitStatus(within seconds: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    var status: Int32 = 0
    while deadline.timeIntervalSinceNow > 0 {
      _ = readSome(timeout: 0.05)
      if waitpid(pid, &status, WNOHANG) == pid {
        // What the program wrote just before it ended may still wait in the terminal.
        while readSome(timeout: 0.05) {}
        return (status >> 8) & 0xff
      }
    }
    return nil
  }

  /// The output with escape sequences and carriage returns removed: roughly what the
  /// screen shows, line by line.
  var screenText: String {
    output.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z~]", with: "", options: .regularExpression)
      .replacingOccurrences(of: "\r", with: "")
  }

  private func readSome(timeout: Double) -> Bool {
    var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
    guard poll(&fds, 1, Int32(max(timeout, 0) * 1000)) > 0 else { return false }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = read(master, &buffer, buffer.count)
    guard n > 0 else { return false }
    bytes += buffer[..<n]
    return true
  }
}

extension PseudoTerminal {
  /// A new REPL after `tinyGAN` pasted and `steps` steps taken, at its prompt (`at` is past it).
  static func afterTinyGAN(steps: Int, _ at: inout Int) throws -> PseudoTerminal {
    let terminal = try PseudoTerminal()
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send(bracketedPaste(tinyGAN + "\nstep \(steps)\n"))
    terminal.send("\r")
    #expect(terminal.waitFor("step \(steps)  epoch 1", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    return terminal
  }
}
