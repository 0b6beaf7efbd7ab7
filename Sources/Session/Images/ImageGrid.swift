import Tensors

/// Lays images out in a near-square grid with a 2-pixel border, as PyTorch's
/// `make_grid` does, and writes it as PNG.
enum ImageGrid {
  /// images [N, H, W, C] in `range` → one grid image (a single image is written as is),
  /// `columns` wide or near-square.
  static func compose(_ images: Tensor, range: DataSpec.PixelRange, columns: Int? = nil) -> DecodedImage {
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    if n == 1 {
      return DecodedImage(width: w, height: h, channels: c, pixels: images.values.map(range.byte))
    }
    let columns = columns ?? Int(Double(n).squareRoot().rounded(.up))
    let rows = (n + columns - 1) / columns
    let pad = 2
    let gw = columns * (w + pad) + pad
    let gh = rows * (h + pad) + pad
    var pixels = [UInt8](repeating: 0, count: gw * gh * c)
    for i in 0..<n {
      let (top, left) = (pad + (i / columns) * (h + pad), pad + (i % columns) * (w + pad))
      for y in 0..<h {
        for x in 0..<w {
          for ch in 0..<c {
            pixels[((top + y) * gw + left + x) * c + ch] = range.byte(images[((i * h + y) * w + x) * c + ch])
          }
        }
      }
    }
    return DecodedImage(width: gw, height: gh, channels: c, pixels: pixels)
  }
}
