/// How a notebook's text becomes lines: the one place that knows about line endings.
extension Notebook {
  /// The lines of `text`, split at LF, CRLF or a lone CR (files from Windows and old Macs
  /// read the same as from Unix), with a leading UTF-8 byte-order mark dropped. Line `i`
  /// of the result is line `i + 1` in an editor.
  ///
  /// Works on Unicode scalars: Swift keeps "\r\n" as one `Character`, so splitting the
  /// `String` on "\n" would see a CRLF file as a single line.
  public static func lines(of text: String) -> [String] {
    var scalars = Substring(text).unicodeScalars[...]
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var previousWasCR = false
    for scalar in scalars {
      switch scalar {
      case "\n" where previousWasCR:
        previousWasCR = false
      case "\n", "\r":
        lines.append(String(current))
        current = String.UnicodeScalarView()
        previousWasCR = scalar == "\r"
      default:
        current.append(scalar)
        previousWasCR = false
      }
    }
    lines.append(String(current))
    return lines
  }
}
