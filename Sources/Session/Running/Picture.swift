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

  /// Writes the image as a PNG, creating missing folders; the file appears whole or not at all.
  /// Writes the picture at `path`, whole or not at all; a user's file there is kept aside,
  /// and its new path returned (`OwnFile`).
  @discardableResult
  func write(to path: String) throws(SessionError) -> String? {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    try WriteTarget.checkFile(path)  // a folder that cannot be written, in save's words
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(error, folder.path)))
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).partial").path
    do {
      try image.writePNG(to: temporary)
    } catch {
      // The user named `path`; the temporary file beside it is ours to remove, not to show.
      unlink(temporary)
      guard case .cannotWrite(_, let reason, let advised) = error.kind else { throw error }
      throw SessionError(
        .cannotWrite(path, reason: reason.replacingOccurrences(of: temporary, with: path), advised: advised))
    }
    let kept: String?
    do throws(SessionError) {
      kept = try OwnFile.png.keepForeign(path)
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      unlink(temporary)
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(errno, path)))
    }
    return kept
  }
}
