/// A picture for the terminal rather than a file: `sample N` and `show data N` without a
/// path, and the frames of an `every … sample N` rule without one. The executable draws it
/// in the protocol its terminal speaks, or, when the output is not a terminal, writes it to
/// a file named after `name`.
public struct InlinePicture: Sendable {
  /// What the pixels are, which decides how they may be shrunk for the terminal.
  public enum Content: Sendable {
    /// Sample grids: shrunk by averaging.
    case images
    /// Scatter plots (dots and lines on white): shrunk keeping the mark that stands out
    /// most from the white, so a point is not averaged away.
    case plot
  }

  /// The pixels: a grid of samples or a scatter plot.
  public var image: DecodedImage
  public var content: Content
  /// What it shows ("16 generated images at step 40").
  public var what: String
  /// A file name without folder or extension ("sample-step40", "data-16").
  public var name: String
  /// A frame of a flip-book: drawn over the previous frame when nothing was printed since.
  public var isFrame: Bool
  /// A legend drawn into the image's bottom rows, and the same as text: what a terminal
  /// drawing in characters prints instead, where the drawn one cannot be read.
  public var legend: PictureLegend?

  public init(
    image: DecodedImage, content: Content = .images, what: String, name: String, isFrame: Bool,
    legend: PictureLegend? = nil
  ) {
    self.image = image
    self.content = content
    self.what = what
    self.name = name
    self.isFrame = isFrame
    self.legend = legend
  }
}
