@preconcurrency import Glibc

/// Output to the terminal, and whether it is one (progress bars redraw in place only then).
enum Terminal {
  static let isInteractive = isatty(0) == 1 && isatty(1) == 1
  static let stdoutIsTerminal = isatty(1) == 1

  static func out(_ text: String) {
    print(text)
    fflush(stdout)
  }

  /// Rewrites the current line (progress), without a newline.
  static func status(_ text: String) {
    print("\r\u{1B}[2K" + text, terminator: "")
    fflush(stdout)
  }

  static func error(_ text: String) {
    fputs(text + "\n", stderr)
    fflush(stderr)
  }
}
