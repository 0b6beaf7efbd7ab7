import Session

/// Long lines broken at spaces to fit a terminal: warnings, errors and help at the REPL. A word is
/// never split (one longer than the line stays whole); continuation lines keep the line's
/// indentation: under its last column for a table row (`  name    summary …`), two more
/// after a label (`warning:`, `  hint:`), the same for prose.
enum TextWrap {
  /// `text` with every line longer than `width` broken.
  static func wrapped(_ text: String, width: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(Array($0), width: width) }
      .joined(separator: "\n")
  }

  /// One line as the lines it becomes.
  static func wrap(_ line: [Character], width: Int) -> [String] {
    guard line.count > width, width > 8 else { return [String(line)] }
    let hang = [Character](repeating: " ", count: hangingIndent(line, width: width))
    var (out, prefix, rest) = ([String](), [Character](), line)
    while prefix.count + rest.count > width {
      let start = rest.firstIndex { $0 != " " } ?? rest.count
      // The last space that leaves the line within the width; else the first after a long word.
      var cut = rest[..<min(width - prefix.count + 1, rest.count)].lastIndex(of: " ")
      if cut == nil || cut! <= start { cut = rest[start...].firstIndex(of: " ") }
      guard let at = cut else { break }
      let head = rest[..<at]
      out.append(String(prefix + head[..<(head.lastIndex { $0 != " " }.map { $0 + 1 } ?? head.startIndex)]))
      rest = Array(rest[at...].drop { $0 == " " })
      prefix = hang
    }
    return rest.isEmpty ? out : out + [String(prefix + rest)]
  }

  /// Where continuation lines start: after the first gap of two or more spaces inside the
  /// line (a table's last column) when that is in the line's first half; two past the
  /// line's indentation when it opens with a label ("warning:", "hint:", "try:"); else at
  /// the line's own indentation (prose).
  static func hangingIndent(_ line: [Character], width: Int) -> Int {
    let leading = line.prefix { $0 == " " }.count
    let labelled = line.dropFirst(leading).prefix { $0 != " " }.last == ":"
    let own = min(leading + (labelled ? 2 : 0), width / 2)
    var i = leading
    while i + 1 < line.count {
      if line[i] == " " && line[i + 1] == " " {
        let column = line[i...].firstIndex { $0 != " " } ?? line.count
        return column <= width / 2 ? column : own
      }
      i += 1
    }
    return own
  }
}

extension Presenter {
  /// `text` as the terminal shows it: warnings, diagnoses, help and paths broken at the terminal's
  /// width. Through a pipe (`live` false) lines stay whole, so a log keeps one line per
  /// message and goldens do not depend on a width.
  func fitted(_ text: String, for event: SessionEvent) -> String {
    guard live else { return text }
    switch event {
    case .warning, .diagnosis, .diagnoses, .help, .paths: return TextWrap.wrapped(text, width: width())
    default: return text
    }
  }
}
