/// A legend a picture draws in a strip along its bottom, and the same words as text. A
/// terminal that draws pictures in characters (half-blocks, ASCII) cannot show the drawn
/// one legibly: it leaves the strip out and prints `lines` below the picture instead.
public struct PictureLegend: Sendable, Equatable {
  /// The height in pixels of the strip at the bottom of the image that holds the legend.
  public var rows: Int
  /// The legend as lines of text.
  public var lines: [String]

  public init(rows: Int, lines: [String]) {
    self.rows = rows
    self.lines = lines
  }
}
