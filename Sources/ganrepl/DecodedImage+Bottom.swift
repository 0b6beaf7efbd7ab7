import Session

extension DecodedImage {
  /// The image without its bottom `rows` pixel rows (a drawn legend); at least one row stays.
  func withoutBottom(_ rows: Int) -> DecodedImage {
    let kept = max(height - rows, 1)
    return DecodedImage(
      width: width, height: kept, channels: channels, pixels: Array(pixels[0..<(kept * width * channels)]))
  }
}
