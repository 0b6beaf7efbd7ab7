import CImageCodecs
import Foundation
import HostileImages
import TestSupport
import Testing

@testable import Session

/// Images that once crashed the loader or that lie about themselves. Each file in
/// Tests/Hostile/images has a sidecar `NAME.expected`: the size to load it at, then "ok" (it
/// must load, equal to the Swift reference resize within 1) or "error MESSAGE" (the message
/// the loader must give). The images themselves are written at test time by
/// Tests/HostileImages (nothing binary is committed), into `images`.
@Suite("Hostile images")
struct HostileImageTests {
  static let folder = repositoryRoot + "/Tests/Hostile/images"

  /// The hostile images, written once per test process.
  static let images: String = {
    let folder = temporaryFolder("hostileImages")
    if let failure = gr_write_hostile_images(folder) {
      fatalError("cannot write the hostile images: \(String(cString: failure))")
    }
    return folder
  }()

  /// `path` through the loader's C path (read, decode, resize) at size×size×channels.
  static func load(_ path: String, size: Int, channels: Int, crop: Bool = false) -> Result<[UInt8], DecodeError> {
    var out = [UInt8](repeating: 0, count: size * size * channels)
    var message = [CChar](repeating: 0, count: 256)
    let status = out.withUnsafeMutableBufferPointer {
      gr_load_file(path, Int32(size), Int32(channels), crop ? 1 : 0, $0.baseAddress, &message, message.count)
    }
    return status == 0 ? .success(out) : .failure(DecodeError(message: String(cString: message)))
  }

  /// The same file decoded and resized by the Swift reference.
  static func reference(_ path: String, size: Int, channels: Int, mode: DataSpec.Resize = .squash) throws -> [UInt8] {
    let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    let image = try DecodedImage.decode(bytes, minSide: size).get()
    return image.converted(toChannels: channels).resizedReference(to: size, mode: mode).pixels
  }

  static func worst(_ a: [UInt8], _ b: [UInt8]) -> Int {
    zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
  }

  @Test("every file in Tests/Hostile/images loads like the reference or gives its named message")
  func hostileFolder() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(".expected") }
      .sorted()
    #expect(names.count >= 15, "expected the hostile images in \(Self.folder)")
    for sidecar in names {
      let image = Self.images + "/" + String(sidecar.dropLast(".expected".count))
      let lines = try String(contentsOfFile: Self.folder + "/" + sidecar, encoding: .utf8).split(separator: "\n").map(
        String.init)
      let size = Int(lines[0].dropFirst("size ".count))!
      for channels in [1, 3] {
        let loaded = Self.load(image, size: size, channels: channels)
        if lines[1] == "ok" {
          switch loaded {
          case .failure(let e): Issue.record("\(sidecar) channels=\(channels): failed with '\(e.message)'")
          case .success(let pixels):
            let off = Self.worst(pixels, try Self.reference(image, size: size, channels: channels))
            #expect(off <= 1, "\(sidecar) channels=\(channels): off the reference by \(off)")
          }
        } else {
          let message = String(lines[1].dropFirst("error ".count))
          switch loaded {
          case .success: Issue.record("\(sidecar): loaded, expected '\(message)'")
          case .failure(let e): #expect(e.message == message, "\(sidecar)")
          }
        }
      }
    }
  }

  @Test("extreme aspect ratios, 1×1 images and sizes far below the image: the C resize equals the reference")
  func extremeRatios() {
    let shapes = [(1, 1), (2100, 64), (64, 2100), (600, 600), (5000, 1), (1, 3000), (3, 700), (700, 3), (129, 2)]
    for (w, h) in shapes {
      let image = ImageTests.card(w, h)
      for size in [1, 2, 16, 32, 65] {
        for mode in [DataSpec.Resize.squash, .crop] {
          for (from, to) in [(3, 3), (3, 1), (1, 3)] {
            let source = image.converted(toChannels: from)
            let fast = source.resized(to: size, mode: mode, channels: to)
            let reference = source.converted(toChannels: to).resizedReference(to: size, mode: mode)
            let off = Self.worst(fast.pixels, reference.pixels)
            #expect(off <= 1, "\(w)×\(h)×\(from) → \(size)×\(size)×\(to) \(mode): off by \(off)")
          }
        }
      }
    }
  }

  @Test("a folder of icons (16×16 to 1024×1024) loads at size 16")
  func iconFolder() throws {
    let folder = temporaryFolder()
    for name in [
      "icon-1024x1024-rgba.png", "icon-48x48-palette.png", "icon-16x16-gray-alpha.png", "square-1500x1500.png",
    ] {
      try FileManager.default.copyItem(atPath: Self.images + "/" + name, toPath: folder + "/" + name)
    }
    var spec = DataSpec(source: .folder(folder))
    spec.size = 16
    let dataset = try ImageFolderLoader.load(
      spec, path: folder, threads: 2, cacheDirectory: nil, progress: { _, _ in }, shouldStop: { false }
    ).dataset
    #expect(dataset.count == 4)
    #expect(dataset.skipped.isEmpty, "\(dataset.skipped)")
  }

  @Test("a FIFO or a folder named like an image is refused at once, not waited on")
  func notRegularFiles() throws {
    let folder = temporaryFolder()
    #expect(mkfifo(folder + "/pipe.png", 0o600) == 0)
    try FileManager.default.createDirectory(atPath: folder + "/dir.jpg", withIntermediateDirectories: true)
    for name in ["pipe.png", "dir.jpg"] {
      guard case .failure(let e) = Self.load(folder + "/" + name, size: 8, channels: 3) else {
        Issue.record("\(name) loaded")
        continue
      }
      #expect(e.message == "not a regular file", "\(name)")
    }
  }

  @Test("gr_resize refuses impossible arguments instead of writing anywhere")
  func resizeArguments() {
    var out = [UInt8](repeating: 0, count: 16)
    let pixel: [UInt8] = [1, 2, 3]
    for (w, h, c, size, outC) in [(0, 1, 3, 2, 3), (1, -5, 3, 2, 3), (1, 1, 3, 0, 3), (1, 1, 2, 2, 3), (1, 1, 3, 2, 4)]
    {
      let status = gr_resize(pixel, Int32(w), Int32(h), Int32(c), Int32(size), Int32(outC), 0, &out)
      #expect(status != 0, "\(w)×\(h)×\(c) → \(size)×\(outC)")
    }
  }
}
