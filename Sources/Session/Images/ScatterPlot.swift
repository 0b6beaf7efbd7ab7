import Tensors

/// A PNG scatter plot of real points (grey) and generated points (red) on a 512×512
/// canvas, with a light grid at every unit and darker axes through the origin.
enum ScatterPlot {
  static func draw(real: Tensor, generated: Tensor, extent: Float) -> DecodedImage {
    let size = 512
    var pixels = [UInt8](repeating: 255, count: size * size * 3)
    func toPixel(_ v: Float) -> Int { Int(((v + extent) / (2 * extent) * Float(size - 1)).rounded()) }
    func set(_ x: Int, _ y: Int, _ rgb: (UInt8, UInt8, UInt8)) {
      guard x >= 0, x < size, y >= 0, y < size else { return }
      let i = (y * size + x) * 3
      (pixels[i], pixels[i + 1], pixels[i + 2]) = rgb
    }
    for tick in Int(-extent)...Int(extent) {
      let p = toPixel(Float(tick))
      let shade: UInt8 = tick == 0 ? 170 : 228
      for t in 0..<size {
        set(p, t, (shade, shade, shade))
        set(t, size - 1 - p, (shade, shade, shade))
      }
    }
    func dots(_ points: Tensor, radius: Int, _ rgb: (UInt8, UInt8, UInt8)) {
      for i in 0..<points.shape[0] {
        let (x, y) = (toPixel(points[2 * i]), size - 1 - toPixel(points[2 * i + 1]))
        for dy in -radius...radius {
          for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { set(x + dx, y + dy, rgb) }
        }
      }
    }
    dots(real, radius: 1, (120, 120, 120))
    dots(generated, radius: 2, (215, 40, 40))
    return DecodedImage(width: size, height: size, channels: 3, pixels: pixels)
  }
}
