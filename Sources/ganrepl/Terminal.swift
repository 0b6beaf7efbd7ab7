@preconcurrency import Glibc

/// Output to the terminal, and whether it is one (progress bars redraw in place only then).
enum Terminal {
  static let isInteractive = isatty(0) == 1 && isatty(1) == 1
  static let stdoutIsTerminal = isatty(1) == 1

  static func out(_ text: String) {
    print(text)
    fflush(stdout)
  }

  /// Rewrites the current line (progress), without a newline, cut to the terminal's
  /// width so it never wraps: three short of it, so that the terminal's echo of a Ctrl-C
  /// (`^C`) fits beside it.
  static func status(_ text: String) {
    print("\r\u{1B}[2K" + String(text.prefix(max(columns - 3, 20))), terminator: "")
    fflush(stdout)
  }

  /// The terminal's width in characters (80 when it cannot be asked).
  static var columns: Int {
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  /// The terminal's height in lines (24 when it cannot be asked).
  static var rows: Int {
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return 24 }
    return Int(size.ws_row)
  }

  /// `text` as it is: no newline added (cursor movements).
  static func write(_ text: String) {
    print(text, terminator: "")
    fflush(stdout)
  }

  static func error(_ text: String) {
    fputs(text + "\n", stderr)
    fflush(stderr)
  }
}
