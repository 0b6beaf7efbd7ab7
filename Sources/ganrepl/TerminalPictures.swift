import Foundation
import Session

/// Draws `InlinePicture`s for the terminal this process writes to, in the protocol it
/// speaks, sized to its width; flip-book frames are drawn over the previous frame. When
/// stdout is not a terminal there are no escape codes at all: the picture goes to
/// `pictures/NAME.png` and a line says so, as a notebook run to a log expects.
final class TerminalPictures {
  /// Why a picture went to a file, for the line that says where.
  var whyFile = "the output is not a terminal"
  let kind: PictureProtocol
  /// Where pictures go when the output is not a terminal ("pictures", in the working folder).
  let folder: String
  private let size: () -> TerminalSize
  /// The flip-book's last frame: its height in lines (caption included), its kitty image
  /// id, and the text that draws it from its top line.
  private var lastFrame: (lines: Int, id: Int, body: String)?
  private var nextID = 1
  /// How often each file name was used by this run, so no picture overwrites another.
  private var names: [String: Int] = [:]

  init(kind: PictureProtocol, folder: String = "pictures", size: @escaping () -> TerminalSize = TerminalSize.current) {
    self.kind = kind
    self.folder = folder
    self.size = size
  }

  /// The command ended, or something was printed below the frame: the next frame starts a
  /// new flip-book below.
  func interrupt() { lastFrame = nil }

  /// While a flip-book runs, the text to write so that `text` (an epoch's averages, a step)
  /// appears above the frame and the frame below it: the frame moves down instead of
  /// scrolling away. Nil when no flip-book is running.
  func above(_ text: String) -> String? {
    guard let last = lastFrame else { return nil }
    var out = "\u{1B}[\(last.lines)A\r"
    if kind == .kitty { out += GraphicsPicture.kittyDelete(id: last.id) }
    // Clear down to the end: a line that wraps fills rows that "erase line" would leave.
    out += "\u{1B}[J"
    out += text.split(separator: "\n", omittingEmptySubsequences: false).map { "\u{1B}[2K" + $0 + "\n" }.joined()
    return out + last.body
  }

  /// The text to write for `picture` (escape codes included), or a file written and the
  /// line that says so. Throws when the file cannot be written.
  func render(_ picture: InlinePicture) throws(SessionError) -> String {
    if kind == .file { return try write(picture) }
    // In characters a drawn legend cannot be read: the picture without it, the words below.
    let legend = kind == .kitty || kind == .iterm ? nil : picture.legend
    let drawing = draw(legend.map { picture.image.withoutBottom($0.rows) } ?? picture.image, picture.content)
    let id = nextID
    nextID += 1
    var out = ""
    // Plain characters may go to a terminal that cannot move the cursor: no escapes.
    let escapes = kind != .ascii
    if escapes && picture.isFrame, let last = lastFrame {
      out += "\u{1B}[\(last.lines)A\r"
      if kind == .kitty { out += GraphicsPicture.kittyDelete(id: last.id) }
      out += "\u{1B}[J"
    }
    var body = ""
    switch drawing {
    case .lines(let lines):
      body += (lines + (legend?.lines ?? [])).map { (escapes ? "\u{1B}[2K" : "") + $0 + "\n" }.joined()
    case .graphics(let columns, let rows, let png):
      // Make room first (the screen scrolls now, not under the image), then draw from the
      // top with the cursor saved, and continue below it.
      body += String(repeating: "\n", count: rows) + "\u{1B}[\(rows)A\r\u{1B}7"
      body +=
        kind == .kitty
        ? GraphicsPicture.kitty(png: png, columns: columns, rows: rows, id: id)
        : GraphicsPicture.iterm(png: png, columns: columns, rows: rows)
      body += "\u{1B}8\u{1B}[\(rows)B\r"
    }
    body += (escapes ? "\u{1B}[2K" : "") + picture.what + "\n"
    // The caption may be wider than the terminal: it then fills more than one row.
    let captionRows = ([picture.what] + (legend?.lines ?? [])).map { TerminalRows.count($0, columns: size().columns) }
      .reduce(0, +)
    lastFrame = escapes && picture.isFrame ? (drawing.rows + captionRows, id, body) : nil
    return out + body
  }

  private enum Drawing {
    case lines([String])
    case graphics(columns: Int, rows: Int, png: [UInt8])

    var rows: Int {
      switch self {
      case .lines(let lines): lines.count
      case .graphics(_, let rows, _): rows
      }
    }
  }

  private func draw(_ image: DecodedImage, _ content: InlinePicture.Content) -> Drawing {
    let terminal = size()
    switch kind {
    case .kitty, .iterm:
      let cells = PictureFit.cells(
        width: image.width, height: image.height, columns: terminal.columns, rows: terminal.rows,
        cellAspect: terminal.cellAspect, pixelsPerColumn: 0)
      // Encoding a grid this size in memory fails only without memory; characters then.
      guard let png = try? PictureFit.limited(image, content == .plot).pngBytes() else {
        return .lines(AsciiPicture.render(fitted(image, content, terminal)))
      }
      return .graphics(columns: cells.columns, rows: cells.rows, png: png)
    case .truecolor: return .lines(HalfBlockPicture.render(fitted(image, content, terminal), colours: .truecolor))
    case .palette256: return .lines(HalfBlockPicture.render(fitted(image, content, terminal), colours: .palette256))
    case .ascii, .file: return .lines(AsciiPicture.render(fitted(image, content, terminal)))
    }
  }

  /// The image shrunk to one pixel a column and two a line.
  private func fitted(
    _ image: DecodedImage, _ content: InlinePicture.Content, _ terminal: TerminalSize
  ) -> DecodedImage {
    let cells = PictureFit.cells(
      width: image.width, height: image.height, columns: terminal.columns, rows: terminal.rows, cellAspect: 2,
      pixelsPerColumn: 1)
    return PictureFit.resized(image, width: cells.columns, height: 2 * cells.rows, keepingMarks: content == .plot)
  }

  private func write(_ picture: InlinePicture) throws(SessionError) -> String {
    let used = names[picture.name, default: 0] + 1
    names[picture.name] = used
    let path = "\(folder)/\(picture.name)\(used > 1 ? "-\(used)" : "").png"
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw SessionError(.cannotWrite(path, reason: "cannot create the folder \(folder)"))
    }
    try picture.image.writePNG(to: path)
    return "wrote \(path) (\(picture.what); \(whyFile))\n"
  }
}

/// The terminal's size in cells, and how tall a cell is for its width.
struct TerminalSize {
  var columns: Int
  var rows: Int
  var cellAspect: Double

  /// Asked of stdout (TIOCGWINSZ); else COLUMNS and LINES; else 80 × 24. Cells are taken
  /// as twice as tall as wide unless the terminal reports its size in pixels.
  static func current() -> TerminalSize {
    var size = winsize()
    let environment = ProcessInfo.processInfo.environment
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else {
      return TerminalSize(
        columns: environment["COLUMNS"].flatMap(Int.init) ?? 80, rows: environment["LINES"].flatMap(Int.init) ?? 24,
        cellAspect: 2)
    }
    let aspect =
      size.ws_xpixel > 0 && size.ws_ypixel > 0
      ? (Double(size.ws_ypixel) / Double(size.ws_row)) / (Double(size.ws_xpixel) / Double(size.ws_col)) : 2
    return TerminalSize(columns: Int(size.ws_col), rows: Int(size.ws_row), cellAspect: aspect)
  }
}

extension SessionEvent {
  /// The last event of a `train`: it is printed below a flip-book's frame, which stays.
  var endsTraining: Bool {
    if case .trainFinished = self { return true }
    return false
  }
}
