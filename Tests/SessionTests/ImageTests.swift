import Foundation
import Tensors
import TestSupport
import Testing

@testable import Session

@Suite("Images and data")
struct ImageTests {
  /// A w×h RGB test card: a horizontal red ramp, a vertical green ramp, blue 200.
  static func card(_ w: Int, _ h: Int) -> DecodedImage {
    var pixels: [UInt8] = []
    for y in 0..<h {
      for x in 0..<w { pixels += [UInt8(x * 255 / max(w - 1, 1)), UInt8(y * 255 / max(h - 1, 1)), 200] }
    }
    return DecodedImage(width: w, height: h, channels: 3, pixels: pixels)
  }

  static func decodeFile(_ path: String, minSide: Int = 0) -> Result<DecodedImage, DecodeError> {
    DecodedImage.decode([UInt8](FileManager.default.contents(atPath: path)!), minSide: minSide)
  }

  @Test("PNG gray and RGB round-trip exactly")
  func pngRoundTrip() throws {
    let folder = temporaryFolder()
    let rgb = Self.card(7, 5)
    try rgb.writePNG(to: folder + "/rgb.png")
    let gray = rgb.converted(toChannels: 1)
    try gray.writePNG(to: folder + "/gray.png")
    #expect(try Self.decodeFile(folder + "/rgb.png").get().pixels == rgb.pixels)
    let back = try Self.decodeFile(folder + "/gray.png").get()
    #expect(back.channels == 1 && back.pixels == gray.pixels)
  }

  @Test("JPEG baseline, progressive, gray and CMYK decode close to the original")
  func jpegKinds() throws {
    let folder = temporaryFolder()
    let card = Self.card(40, 24)
    try card.writeJPEG(to: folder + "/base.jpg", quality: 95)
    try card.writeJPEG(to: folder + "/prog.jpg", quality: 95, progressive: true)
    try card.writeJPEG(to: folder + "/cmyk.jpg", quality: 95, cmyk: true)
    try card.converted(toChannels: 1).writeJPEG(to: folder + "/gray.jpg", quality: 95)
    for name in ["base", "prog", "cmyk"] {
      let image = try Self.decodeFile(folder + "/\(name).jpg").get()
      #expect(image.channels == 3 && image.width == 40 && image.height == 24, "\(name)")
      let error = zip(image.pixels, card.pixels).map { abs(Int($0) - Int($1)) }.max()!
      #expect(error < 24, "\(name): max error \(error)")
    }
    #expect(try Self.decodeFile(folder + "/gray.jpg").get().channels == 1)
  }

  @Test("libjpeg's DCT scaling keeps both sides at least the requested size")
  func dctScaling() throws {
    let folder = temporaryFolder()
    try Self.card(178, 218).writeJPEG(to: folder + "/celeba-sized.jpg")
    let image = try Self.decodeFile(folder + "/celeba-sized.jpg", minSide: 64).get()
    #expect(image.width == 89 && image.height == 109)
  }

  @Test("a corrupt or foreign file is an error value, not a crash")
  func corrupt() {
    let truncated: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46]
    if case .success = DecodedImage.decode(truncated) { Issue.record("truncated JPEG decoded") }
    if case .success = DecodedImage.decode(Array("hello".utf8)) { Issue.record("text decoded") }
    if case .success = DecodedImage.decode([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]) { Issue.record("bad PNG decoded") }
  }

  @Test("area downscaling: a flat image stays flat, a checkerboard averages to grey")
  func resizeArea() {
    let flat = DecodedImage(width: 9, height: 7, channels: 1, pixels: [UInt8](repeating: 77, count: 63))
    #expect(flat.resized(to: 4, mode: .squash).pixels.allSatisfy { $0 == 77 })
    var checker: [UInt8] = []
    for y in 0..<8 { for x in 0..<8 { checker.append((x + y) % 2 == 0 ? 255 : 0) } }
    let small = DecodedImage(width: 8, height: 8, channels: 1, pixels: checker).resized(to: 4, mode: .squash)
    #expect(small.pixels.allSatisfy { abs(Int($0) - 128) <= 1 }, "\(small.pixels)")
  }

  @Test("the C resize agrees with the Swift reference: shrinking, enlarging, both modes, channel changes")
  func resizeMatchesReference() {
    for (w, h) in [(89, 109), (178, 218), (150, 150), (20, 13), (7, 31), (64, 64)] {
      for size in [16, 32, 64, 100] {
        for mode in [DataSpec.Resize.squash, .crop] {
          for (from, to) in [(3, 3), (3, 1), (1, 3), (1, 1)] {
            let image = Self.card(w, h).converted(toChannels: from)
            let fast = image.resized(to: size, mode: mode, channels: to)
            let reference = image.converted(toChannels: to).resizedReference(to: size, mode: mode)
            let worst = zip(fast.pixels, reference.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 1, "\(w)×\(h)×\(from) → \(size)×\(size)×\(to) \(mode): off by \(worst)")
          }
        }
      }
    }
  }

  @Test("crop keeps the centre square; squash keeps the whole picture")
  func resizeModes() {
    // 12×4: left third black, middle white, right third black.
    var pixels: [UInt8] = []
    for _ in 0..<4 { for x in 0..<12 { pixels.append((4..<8).contains(x) ? 255 : 0) } }
    let wide = DecodedImage(width: 12, height: 4, channels: 1, pixels: pixels)
    #expect(wide.resized(to: 4, mode: .crop).pixels.allSatisfy { $0 == 255 })
    let squashed = wide.resized(to: 3, mode: .squash)
    #expect(squashed.pixels[0] == 0 && squashed.pixels[1] == 255 && squashed.pixels[2] == 0)
  }

  @Test("a folder with subfolders, other files and a corrupt image: images found, corrupt one skipped and named")
  func folderLoading() throws {
    let folder = temporaryFolder()
    try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
    try Self.card(30, 20).writeJPEG(to: folder + "/a.jpg")
    try Self.card(20, 30).writePNG(to: folder + "/sub/b.PNG")
    try Data("not an image".utf8).write(to: URL(fileURLWithPath: folder + "/broken.jpg"))
    try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/README.txt"))
    var spec = DataSpec(source: .folder(folder))
    spec.size = 8
    spec.channels = 1
    let dataset = try ImageFolderLoader.load(
      spec, path: folder, threads: 2, cacheDirectory: nil, progress: { _, _ in }, shouldStop: { false }
    ).dataset
    #expect(dataset.count == 2)
    #expect(dataset.skipped.map(\.file) == ["broken.jpg"])
    #expect(dataset.bytes == 2 * 8 * 8)
  }

  @Test("an empty or missing folder is a clear error")
  func emptyFolder() {
    let folder = temporaryFolder()
    let spec = DataSpec(source: .folder(folder))
    #expect {
      try ImageFolderLoader.load(
        spec, path: folder, threads: 1, cacheDirectory: nil, progress: { _, _ in }, shouldStop: { false })
    } throws: {
      ($0 as? SessionError)?.message == "no readable images in \(folder)"
    }
    #expect {
      try ImageFolderLoader.load(
        spec, path: folder + "/nope", threads: 1, cacheDirectory: nil, progress: { _, _ in }, shouldStop: { false })
    } throws: {
      ($0 as? SessionError)?.message == "no such file or folder: \(folder)/nope"
    }
  }

  @Test(
    "the real CelebA files load at 64×64 RGB",
    .enabled(if: sharedData("img_align_celeba") != nil, "needs ../shared/data/img_align_celeba"))
  func realCelebA() throws {
    let path = sharedData("img_align_celeba")!
    var spec = DataSpec(source: .folder(path))
    spec.size = 64
    let dataset = try ImageFolderLoader.load(
      spec, path: path, threads: 2, cacheDirectory: nil, progress: { _, _ in }, shouldStop: { false }
    ).dataset
    #expect(dataset.count == 32 && dataset.skipped.isEmpty)
    // Faces are not flat: pixels vary.
    let first = dataset.image(0).pixels
    #expect(Set(first).count > 100)
  }

  @Test("batches scale bytes to the data's range")
  func batchRange() {
    var spec = DataSpec(source: .faces(count: 1))
    spec.size = 1
    spec.channels = 1
    spec.range = .symmetric
    let dataset = ImageDataset(spec: spec, count: 3, pixels: [0, 255, 51])
    let batch = Tensor(zeros: Shape(2, 1, 1, 1))
    dataset.fill(batch, with: [1, 0][...])
    #expect(batch.values == [1, -1])
    #expect(DataSpec.PixelRange.unit.byte(0.2) == 51 && DataSpec.PixelRange.symmetric.byte(-1) == 0)
  }
}
