import Foundation
import Tensors

/// An image that `sample` or `show data` writes, and what it shows ("16 generated images
/// at step 40"), for the report.
struct Picture {
  var image: DecodedImage
  var what: String
  /// A grid of samples, or a plot whose thin marks must survive shrinking.
  var content: InlinePicture.Content = .images
  /// The legend drawn into its bottom rows, as text too (`PictureLegend`).
  var legend: PictureLegend?

  /// Images [N, H, W, C] in `range`, as a grid.
  static func grid(_ images: Tensor, range: DataSpec.PixelRange, what: String) -> Picture {
    Picture(image: ImageGrid.compose(images, range: range), what: what)
  }

  /// Writes the picture at `path`, whole or not at all (`WholeFile`); a user's file there is
  /// kept aside, and its new path returned (`OwnFile`).
  @discardableResult
  func write(to path: String) throws(SessionError) -> String? {
    try WholeFile.write(image.pngBytes(), to: path, kind: .png)
  }
}
