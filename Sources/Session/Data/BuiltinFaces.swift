import Foundation
import Tensors

/// Procedurally drawn cartoon faces: a built-in dataset, so a first run needs no download.
/// Each face varies in skin, hair, eye colour, head shape and position, tilt, expression,
/// and sometimes glasses; face `i` is always drawn the same way (its own seed), whatever
/// the session's seed. Edges are anti-aliased from signed distances, at any size.
enum BuiltinFaces {
  static func dataset(_ spec: DataSpec, count: Int, threads: Int) -> ImageDataset {
    let perImage = spec.size * spec.size * spec.channels
    let store = PixelStore(count: count * perImage)
    let pixels = SendablePointer(store.pointer)
    parallelFor(
      count, threads: threads,
      body: { i in
        let face = draw(index: i, size: spec.size).converted(toChannels: spec.channels)
        face.pixels.withUnsafeBufferPointer {
          (pixels.pointer + i * perImage).update(from: $0.baseAddress!, count: perImage)
        }
      })
    return ImageDataset(spec: spec, count: count, store: store)
  }

  typealias RGB = SIMD3<Float>

  static let skins: [RGB] = [
    [0.98, 0.84, 0.72], [0.93, 0.75, 0.6], [0.82, 0.62, 0.46], [0.64, 0.45, 0.31], [0.45, 0.3, 0.2],
  ]
  static let hairs: [RGB] = [
    [0.08, 0.06, 0.05], [0.3, 0.18, 0.08], [0.55, 0.36, 0.16], [0.9, 0.78, 0.45], [0.62, 0.24, 0.1], [0.6, 0.6, 0.6],
  ]
  static let irises: [RGB] = [[0.3, 0.18, 0.08], [0.2, 0.4, 0.7], [0.25, 0.5, 0.3], [0.1, 0.08, 0.06]]

  /// Face `index` as a size×size RGB image.
  static func draw(index: Int, size: Int) -> DecodedImage {
    let r = RandomSource(seed: 0xFACE_0000 &+ UInt64(index))
    func pick<T>(_ xs: [T]) -> T { xs[Int(r.uniform(0, Float(xs.count) - 0.001))] }
    let background = (
      top: RGB(r.uniform(0.2, 0.9), r.uniform(0.2, 0.9), r.uniform(0.3, 0.95)),
      bottom: RGB(r.uniform(0.1, 0.6), r.uniform(0.1, 0.6), r.uniform(0.1, 0.7))
    )
    let skin = pick(skins) * r.uniform(0.92, 1.05)
    let hair = pick(hairs)
    let iris = pick(irises)
    let centre = SIMD2<Float>(0.5 + r.uniform(-0.06, 0.06), 0.54 + r.uniform(-0.05, 0.05))
    let head = SIMD2<Float>(r.uniform(0.22, 0.29), r.uniform(0.29, 0.36))
    let tilt = r.uniform(-0.18, 0.18)
    let hairVolume = r.uniform(1.04, 1.22)
    let hairline = r.uniform(-0.6, -0.3)  // in head radii, from the centre
    let eyeGap = r.uniform(0.09, 0.12)
    let eyeHeight = r.uniform(-0.08, -0.03)
    let eyeSize = SIMD2<Float>(r.uniform(0.035, 0.05), r.uniform(0.022, 0.032))
    let smile = r.uniform(-0.02, 0.05)
    let mouthWidth = r.uniform(0.06, 0.11)
    let mouthColor = RGB(r.uniform(0.6, 0.85), r.uniform(0.2, 0.35), r.uniform(0.25, 0.35))
    let glasses = r.uniform() < 0.15
    let pixel = 1 / Float(size)

    var out = [UInt8](repeating: 0, count: size * size * 3)
    for y in 0..<size {
      for x in 0..<size {
        let p = SIMD2<Float>((Float(x) + 0.5) * pixel, (Float(y) + 0.5) * pixel)
        // Face coordinates: centred on the head, rotated by the tilt.
        let d = p - centre
        let q = SIMD2<Float>(d.x * cos(tilt) + d.y * sin(tilt), -d.x * sin(tilt) + d.y * cos(tilt))
        var colour = background.top + (background.bottom - background.top) * p.y
        func paint(_ c: RGB, _ sdf: Float) { colour += (c - colour) * coverage(sdf, pixel) }

        paint(hair, ellipse(q - SIMD2(0, -0.04), head * hairVolume))
        let headSDF = ellipse(q, head)
        let shade = 1 - 0.25 * min(1, simd_length(q / head))
        paint(skin * shade, headSDF)
        // Hair over the forehead, with a wavy hairline.
        let wave = 0.03 * sin(q.x * 40 / (head.x * 8))
        paint(hair, max(headSDF, q.y - (hairline * head.y + wave)))
        for side: Float in [-1, 1] {
          let eye = SIMD2(side * eyeGap, eyeHeight)
          paint([0.97, 0.97, 0.97], ellipse(q - eye, eyeSize))
          paint(iris, ellipse(q - eye, SIMD2(eyeSize.y, eyeSize.y) * 0.9))
          paint([0.02, 0.02, 0.02], ellipse(q - eye, SIMD2(eyeSize.y, eyeSize.y) * 0.4))
          paint(hair * 0.8, ellipse(q - eye - SIMD2(0, eyeSize.y + 0.025), SIMD2(eyeSize.x * 1.1, 0.008)))
          if glasses { paint([0.1, 0.1, 0.1], abs(simd_length(q - eye) - eyeSize.x * 1.5) - 0.006) }
        }
        paint(skin * 0.8, ellipse(q - SIMD2(0, 0.06), SIMD2(0.018, 0.035)))
        // Mouth: a thick parabola segment, curving up for a smile.
        let mx = q.x / mouthWidth
        let curve = 0.15 + smile * (1 - mx * mx)
        paint(mouthColor, max(abs(q.y - curve) - 0.012, abs(q.x) - mouthWidth))
        for c in 0..<3 { out[(y * size + x) * 3 + c] = UInt8(max(0, min(255, (colour[c] * 255).rounded()))) }
      }
    }
    return DecodedImage(width: size, height: size, channels: 3, pixels: out)
  }

  /// Approximate signed distance to an axis-aligned ellipse with radii `radii` (negative inside).
  private static func ellipse(_ p: SIMD2<Float>, _ radii: SIMD2<Float>) -> Float {
    (simd_length(p / radii) - 1) * min(radii.x, radii.y)
  }

  /// How much of a pixel of size `pixel` a shape with signed distance `sdf` covers.
  private static func coverage(_ sdf: Float, _ pixel: Float) -> Float {
    max(0, min(1, 0.5 - sdf / pixel))
  }
}

private func simd_length(_ v: SIMD2<Float>) -> Float { (v * v).sum().squareRoot() }
