import Session

/// Long lines broken at spaces to fit a terminal: warnings, errors, help, notices and the lines
/// that end training at the REPL (tables, pictures and progress keep their own layout). A word is
/// never split (one longer than the line stays whole); continuation lines keep the line's
/// indentation: under its last column for a table row (`  name    summary …`), two more
/// after a label (`warning:`, `  hint:`), the same for prose.
enum TextWrap {
  /// `text` with every line longer than `width` broken.
  /// `fields`: the line is fields set apart by two spaces (`D loss 0.70  G loss 0.65  …`),
  /// broken between fields where one fits, and continued two spaces in.
  static func wrapped(_ text: String, width: Int, fields: Bool = false) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
      wrap(Array($0), width: width, fields: fields)
    }
    .joined(separator: "\n")
  }

  /// One line as the lines it becomes.
  /// `hang`: where continuation lines start, instead of where the line's layout says (at most
  /// half the width).
  static func wrap(_ line: [Character], width: Int, fields: Bool = false, hang: Int? = nil) -> [String] {
    guard line.count > width, width > 8 else { return [String(line)] }
    // A hang asked for is kept to half the line, so that every line has room for words.
    let hang = [Character](
      repeating: " ", count: hang.map { min($0, width / 2) } ?? (fields ? 2 : hangingIndent(line, width: width)))
    var (out, prefix, rest) = ([String](), [Character](), line)
    while prefix.count + rest.count > width {
      let start = rest.firstIndex { $0 != " " } ?? rest.count
      let fits = rest[..<min(width - prefix.count + 1, rest.count)]
      // The last gap between fields that leaves the line within the width; else the last
      // space; else the first after a long word.
      var cut = fields ? fieldGap(in: rest, before: fits.endIndex, after: start) : nil
      if cut == nil { cut = fits.lastIndex(of: " ") }
      if cut == nil || cut! <= start { cut = rest[start...].firstIndex(of: " ") }
      guard let at = cut else { break }
      let head = rest[..<at]
      out.append(String(prefix + head[..<(head.lastIndex { $0 != " " }.map { $0 + 1 } ?? head.startIndex)]))
      rest = Array(rest[at...].drop { $0 == " " })
      prefix = hang
    }
    return rest.isEmpty ? out : out + [String(prefix + rest)]
  }

  /// The start of the last run of two or more spaces in `text` that starts after `start`
  /// and before `end` (the run may go on past `end`: only its start ends the line).
  static func fieldGap(in text: [Character], before end: Int, after start: Int) -> Int? {
    var i = min(end, text.count) - 1
    while i > start {
      if text[i] == " " && (text[i - 1] == " " || (i + 1 < text.count && text[i + 1] == " ")) {
        while i > start && text[i - 1] == " " { i -= 1 }
        return i > start ? i : nil
      }
      i -= 1
    }
    return nil
  }

  /// Where continuation lines start: after the first gap of two or more spaces inside the
  /// line (a table's last column) when that is in the line's first half; two past the
  /// line's indentation when it opens with a label ("warning:", "hint:", "try:", a note's
  /// "[2]", or words ending in a colon in the line's first third); else at
  /// the line's own indentation (prose).
  static func hangingIndent(_ line: [Character], width: Int) -> Int {
    let leading = line.prefix { $0 == " " }.count
    let first = line.dropFirst(leading).prefix { $0 != " " }
    let colon = zip(line.indices, line.indices.dropFirst()).first { line[$0] == ":" && line[$1] == " " }?.0
    let labelled =
      first.last == ":" || (first.first == "[" && first.last == "]")
      || colon.map { $0 < leading + width / 3 } == true
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
  /// `text` as the terminal shows it: warnings, diagnoses, help, paths, `bench`, settings, notices
  /// and `wrote` broken between words at the terminal's width, rather than inside a word by
  /// the terminal; the lines of a step (also the one `explain step` ends with), an epoch
  /// and a `train` between their fields. Through a pipe (`live` false) lines stay whole, so
  /// a log keeps one line per message and goldens do not depend on a width.
  func fitted(_ text: String, for event: SessionEvent) -> String {
    guard live else { return text }
    switch event {
    case .warning, .diagnosis, .diagnoses, .help, .paths, .notice, .wrote, .dataLoaded, .benchmark, .settings:
      return TextWrap.wrapped(text, width: width())
    case .step, .epochFinished, .partialEpochFinished, .trainFinished, .explainedStep:
      return TextWrap.wrapped(text, width: width(), fields: true)
    default: return text
    }
  }
}
