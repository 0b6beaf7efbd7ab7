/// How many terminal rows text takes: lines longer than the terminal wraps are counted
/// once per row they fill, escape sequences take no room. A flip-book moves the cursor up
/// by this many rows to draw over its last frame, so a wrapped caption is not left above.
enum TerminalRows {
  /// Rows `text` (without its final newline) fills on a terminal `columns` wide; an empty
  /// line still takes one.
  static func count(_ text: String, columns: Int) -> Int {
    text.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { rows, line in
      rows + max(1, (visibleWidth(line) + max(columns, 1) - 1) / max(columns, 1))
    }
  }

  /// Characters of `line` the terminal shows: escape sequences (CSI `ESC [ … final`,
  /// string commands `ESC _ … ESC \` and `ESC ] … BEL`, two-character `ESC 7`) left out.
  static func visibleWidth(_ line: Substring) -> Int {
    var width = 0
    var scalars = line.unicodeScalars.makeIterator()
    while let c = scalars.next() {
      guard c == "\u{1B}" else {
        if c.properties.generalCategory != .control { width += 1 }
        continue
      }
      switch scalars.next() {
      case "[":
        while let p = scalars.next(), !(0x40...0x7E).contains(p.value) {}
      case "_", "]", "P":
        var previous: Unicode.Scalar = " "
        while let p = scalars.next(), p != "\u{07}", !(previous == "\u{1B}" && p == "\\") { previous = p }
      default: break
      }
    }
    return width
  }
}
