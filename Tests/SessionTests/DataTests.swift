import Foundation
import TestSupport
import Testing

@testable import Session
@testable import Tensors

@Suite("Datasets at scale")
struct DataTests {
  /// A w×h RGB test card with distinct, non-grey colours.
  static func card(_ w: Int = 24, _ h: Int = 16) -> DecodedImage {
    var pixels: [UInt8] = []
    for y in 0..<h {
      for x in 0..<w { pixels += [UInt8(x * 255 / (w - 1)), UInt8(y * 255 / (h - 1)), UInt8((x * 7 + y * 13) % 256)] }
    }
    return DecodedImage(width: w, height: h, channels: 3, pixels: pixels)
  }

  static func decode(_ path: String) throws -> DecodedImage {
    try DecodedImage.decode([UInt8](FileManager.default.contents(atPath: path)!)).get()
  }

  static func load(_ folder: String, size: Int = 8, channels: Int = 3, cache: String? = nil) throws
    -> ImageFolderLoader.Report
  {
    var spec = DataSpec(source: .folder(folder))
    spec.size = size
    spec.channels = channels
    return try ImageFolderLoader.load(
      spec, path: folder, threads: 2, cacheDirectory: cache, progress: { _, _ in }, shouldStop: { false })
  }

  @Test("every PNG kind decodes to the pixels it holds: alpha on white, palette, 16-bit")
  func pngKinds() throws {
    let folder = temporaryFolder()
    let card = Self.card()
    let gray = card.converted(toChannels: 1)
    for kind in DecodedImage.PNGKind.allCases {
      let path = folder + "/\(kind).png"
      try card.writePNG(to: path, kind: kind)
      let image = try Self.decode(path)
      let isGray = kind == .grayAlpha || kind == .gray16
      #expect(image.channels == (isGray ? 1 : 3), "\(kind)")
      for y in 0..<card.height {
        for x in 0..<card.width {
          for c in 0..<image.channels {
            let source = isGray ? gray.pixels[y * card.width + x] : card.pixels[(y * card.width + x) * 3 + c]
            var expected = Int(source)
            if kind == .grayAlpha || kind == .rgba, x % 4 == 3 { expected = 255 }
            if kind == .palette {
              expected = [Int(source >> 5) * 255 / 7, Int(source >> 5) * 255 / 7, Int(source >> 6) * 255 / 3][c]
            }
            let got = Int(image.pixels[(y * card.width + x) * image.channels + c])
            if got != expected {
              Issue.record("\(kind) (\(x), \(y)) channel \(c): \(got), expected \(expected)")
              return
            }
          }
        }
      }
    }
  }

  @Test("every image kind in a folder ends up as the requested channels")
  func allKindsInAFolder() throws {
    let folder = temporaryFolder()
    let card = Self.card()
    try card.writeJPEG(to: folder + "/baseline.jpg")
    try card.writeJPEG(to: folder + "/progressive.JPG", progressive: true)
    try card.writeJPEG(to: folder + "/cmyk.jpeg", cmyk: true)
    try card.converted(toChannels: 1).writeJPEG(to: folder + "/gray.jpg")
    try card.writePNG(to: folder + "/rgb.png")
    try card.converted(toChannels: 1).writePNG(to: folder + "/gray.png")
    for kind in DecodedImage.PNGKind.allCases { try card.writePNG(to: folder + "/\(kind).png", kind: kind) }
    for channels in [1, 3] {
      let report = try Self.load(folder, channels: channels)
      #expect(report.dataset.count == 11 && report.dataset.skipped.isEmpty, "\(report.dataset.skipped)")
      #expect(report.dataset.sampleShape == Shape(8, 8, channels))
    }
  }

  @Test("corrupt, truncated and foreign files are skipped, counted and named")
  func corruptFiles() throws {
    let folder = temporaryFolder()
    try Self.card().writeJPEG(to: folder + "/good.jpg")
    let whole = FileManager.default.contents(atPath: folder + "/good.jpg")!
    try whole.prefix(whole.count - 40).write(to: URL(fileURLWithPath: folder + "/truncated.jpg"))
    try whole.prefix(200).write(to: URL(fileURLWithPath: folder + "/header-only.jpg"))
    try Data("GIF89a not really".utf8).write(to: URL(fileURLWithPath: folder + "/gif.png"))
    try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0]).write(to: URL(fileURLWithPath: folder + "/cut.png"))
    try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
    let dataset = try Self.load(folder).dataset
    #expect(dataset.count == 1)
    #expect(dataset.skipped.map(\.file) == ["cut.png", "gif.png", "header-only.jpg", "truncated.jpg"])
    #expect(dataset.skipped.last?.reason.contains("truncated") == true, "\(dataset.skipped)")
  }

  @Test("a second load comes from the cache, the same bytes; a changed folder or damaged cache is rebuilt")
  func cache() throws {
    let folder = temporaryFolder()
    let cache = temporaryFolder("cache")
    for i in 0..<5 { try Self.card(20 + i, 18).writePNG(to: folder + "/\(i).png") }
    let first = try Self.load(folder, cache: cache)
    #expect(!first.fromCache && first.cacheNote == nil)
    let second = try Self.load(folder, cache: cache)
    #expect(second.fromCache && second.dataset.store.isMapped)
    #expect(
      Array(UnsafeBufferPointer(start: second.dataset.store.pointer, count: second.dataset.bytes))
        == Array(UnsafeBufferPointer(start: first.dataset.store.pointer, count: first.dataset.bytes)))
    // Other options are another cache.
    #expect(!(try Self.load(folder, size: 4, cache: cache)).fromCache)
    #expect((try Self.load(folder, size: 4, cache: cache)).fromCache)

    try Self.card(30, 30).writePNG(to: folder + "/new.png")
    let changed = try Self.load(folder, cache: cache)
    #expect(!changed.fromCache && changed.dataset.count == 6)
    #expect(changed.cacheNote?.contains("changed") == true)

    // One changed pixel fails the checksum; a damaged header at the end is unreadable.
    let file = try #require(first.cacheFile)
    func damage(at offset: (UInt64) -> UInt64) throws {
      let handle = try #require(FileHandle(forUpdatingAtPath: file))
      let size = try handle.seekToEnd()
      try handle.seek(toOffset: offset(size))
      let byte = try #require(try handle.read(upToCount: 1)?.first)
      try handle.seek(toOffset: offset(size))
      try handle.write(contentsOf: Data([byte ^ 0x10]))
      try handle.close()
    }
    try damage { _ in 4096 + 7 }
    let damaged = try Self.load(folder, cache: cache)
    #expect(!damaged.fromCache && damaged.cacheNote?.contains("checksum") == true, "\(damaged.cacheNote ?? "")")
    try damage { $0 - 1 }  // the JSON's closing brace
    let header = try Self.load(folder, cache: cache)
    #expect(!header.fromCache && header.cacheNote?.contains("damaged") == true)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: cache).allSatisfy { $0.hasSuffix(".gdata") },
      "no partial files left behind")
    #expect(truncate(file, 5000) == 0)
    let truncated = try Self.load(folder, cache: cache)
    #expect(!truncated.fromCache && truncated.cacheNote?.contains("damaged") == true)
    #expect((try Self.load(folder, cache: cache)).fromCache)
  }

  @Test("a folder with unreadable files is cached with the good images and the skipped names")
  func cacheWithSkippedFiles() throws {
    let folder = temporaryFolder()
    let cache = temporaryFolder("cache")
    for i in 0..<4 { try Self.card(20 + i, 18).writePNG(to: folder + "/\(i).png") }
    try Data("not a jpeg".utf8).write(to: URL(fileURLWithPath: folder + "/1b.jpg"))
    let first = try Self.load(folder, cache: cache)
    #expect(!first.fromCache && first.cacheNote == nil && first.dataset.count == 4)
    let second = try Self.load(folder, cache: cache)
    #expect(second.fromCache && second.dataset.count == 4)
    #expect(second.dataset.skipped.map(\.file) == ["1b.jpg"])
    #expect(
      Array(UnsafeBufferPointer(start: second.dataset.store.pointer, count: second.dataset.bytes))
        == Array(UnsafeBufferPointer(start: first.dataset.store.pointer, count: first.dataset.bytes)))
    let uncached = try Self.load(folder, cache: nil)
    #expect(
      Array(UnsafeBufferPointer(start: uncached.dataset.store.pointer, count: uncached.dataset.bytes))
        == Array(UnsafeBufferPointer(start: first.dataset.store.pointer, count: first.dataset.bytes)))
  }

  @Test("a cache folder that cannot be written leaves the data loaded and says why")
  func unwritableCache() throws {
    let folder = temporaryFolder()
    for i in 0..<3 { try Self.card(20 + i, 18).writePNG(to: folder + "/\(i).png") }
    let blocker = temporaryFolder("cache") + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    let report = try Self.load(folder, cache: blocker + "/sub")
    #expect(report.dataset.count == 3 && !report.fromCache)
    #expect(report.cacheNote?.contains("could not write the cache") == true, "\(report.cacheNote ?? "")")
  }

  /// Whether sample `position` of `epoch` is mirrored, worked out here rather than asked of
  /// `Mirroring`: the low bit of the SplitMix64 finaliser (Steele, Lea & Flood 2014, the
  /// constants of `SeededGenerator`'s seeding) applied to seed ^ epoch·φ·2⁶⁴ ^ position.
  /// Saved sessions rely on it: a resumed run must mirror the same samples.
  static func expectedMirror(seed: UInt64, epoch: Int, position: Int) -> Bool {
    var z = seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(position)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return (z ^ (z >> 31)) & 1 == 1
  }

  @Test("flip mirrors about half the images left to right, chosen by seed, epoch and position in the epoch")
  func flips() throws {
    // Eight 3×3 grey images, every byte different; image i's (x, y) is i·27 + y·9 + x·3.
    let (size, count) = (3, 8)
    var spec = DataSpec(source: .faces(count: count))
    spec.size = size
    spec.channels = 1
    spec.range = .unit
    let pixels = (0..<count * size * size).map { UInt8($0 * 3) }
    let dataset = ImageDataset(spec: spec, count: count, pixels: pixels)
    // The image as the batch should hold it, mirrored by hand from the bytes.
    func expected(_ image: Int, mirrored: Bool) -> [Float] {
      (0..<size).flatMap { y in
        (0..<size).map { x in
          let column = mirrored ? size - 1 - x : x
          return Float(pixels[image * size * size + y * size + column]) / 255
        }
      }
    }

    var mirrored = 0
    var differsByEpoch = 0
    var differsBySeed = 0
    // Batches of 8 as training makes them (first = index·8), images in a scrambled order.
    for index in 0..<50 {
      let first = index * count
      let images = (0..<count).map { ($0 * 5 + index) % count }
      let batch = Tensor(zeros: Shape(count, size, size, 1))
      dataset.fill(batch, with: images[...], mirror: Mirroring(seed: 5, epoch: 2, first: first))
      for (slot, image) in images.enumerated() {
        let position = first + slot
        let flip = Self.expectedMirror(seed: 5, epoch: 2, position: position)
        let got = Array(batch.values[(slot * size * size)..<((slot + 1) * size * size)])
        #expect(
          got == expected(image, mirrored: flip),
          "position \(position) (slot \(slot)), image \(image), mirrored: \(flip)")
        if flip { mirrored += 1 }
        if flip != Self.expectedMirror(seed: 5, epoch: 3, position: position) { differsByEpoch += 1 }
        if flip != Self.expectedMirror(seed: 6, epoch: 2, position: position) { differsBySeed += 1 }
      }
    }
    // 400 coin flips: each count is within 4 standard deviations (±40) of 200.
    #expect((160...240).contains(mirrored))
    #expect((160...240).contains(differsByEpoch), "a new epoch mirrors other samples")
    #expect((160...240).contains(differsBySeed), "another seed mirrors other samples")

    // The same sample position mirrors alike in a batch of 1 and in a batch of 8.
    let single = Tensor(zeros: Shape(1, size, size, 1))
    for position in 40..<48 {
      dataset.fill(single, with: [0][...], mirror: Mirroring(seed: 5, epoch: 2, first: position))
      let flip = Self.expectedMirror(seed: 5, epoch: 2, position: position)
      #expect(single.values == expected(0, mirrored: flip), "position \(position) alone")
    }
  }

  @Test("batches prepared in the background are exactly the epoch's next samples")
  func prefetchedBatches() throws {
    let interpreter = Interpreter()
    try run("data faces count=50 size=8 batch=8\nset keep-last-batch true", in: interpreter)
    let dataset = interpreter.state.dataset!
    let order = RandomSource(seed: 4).permutation(50)
    let feeder = BatchFeeder()
    for index in 0..<7 {
      let key = BatchKey(epoch: 1, index: index, size: 8)
      let (batch, _) = feeder.batch(key, order: order, dataset: dataset, mirror: nil)
      let expected = Tensor(zeros: batch.shape)
      dataset.fill(expected, with: order[(index * 8)..<min(index * 8 + 8, 50)])
      #expect(batch.values == expected.values, "batch \(index)")
      if index < 6 {
        feeder.prefetch(BatchKey(epoch: 1, index: index + 1, size: 8), order: order, dataset: dataset, mirror: nil)
      }
    }
  }

  @Test("toy points: 8 ring modes or 25 grid modes; coverage tells a spread sample from a collapsed one")
  func toyPoints() throws {
    let ring = PointDataset(spec: DataSpec(source: .ring(count: 4000)))
    let grid = PointDataset(spec: DataSpec(source: .grid(count: 4000)))
    #expect(ring.modes.count == 8 && grid.modes.count == 25)
    let all = Tensor(zeros: Shape(4000, 2))
    ring.fill(all, with: Array(0..<4000)[...])
    let spread = ring.coverage(all)
    #expect(spread.covered == 8 && spread.nearFraction > 0.98)
    let collapsed = Tensor(zeros: Shape(100, 2))
    for i in 0..<100 { (collapsed[2 * i], collapsed[2 * i + 1]) = (2, 0) }
    let c = ring.coverage(collapsed)
    #expect(c.covered == 1 && c.nearFraction == 1)
  }

  @Test("a GAN on the ring trains, and sample draws a scatter plot with coverage")
  func toyTraining() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    var wrote: [String] = []
    let events = try run(
      """
      set seed 3
      data ring count=2000 batch=128
      set latent 4
      generator
        dense 32
        relu
        dense 2
      end
      discriminator
        dense 32
        relu
        dense 1
        sigmoid
      end
      optimizer adam lr=1e-3 beta1=0.5
      step 20
      sample 256 "\(folder)/plot.png"
      show data 256 "\(folder)/real.png"
      show data
      """, in: interpreter)
    for case .wrote(_, let what) in events { wrote.append(what) }
    let described = events.compactMap { if case .dataLoaded(let d) = $0 { d } else { nil } }
    #expect(
      described.count == 2 && described[1].count == 2000 && described[1].seconds == nil, "show data describes the data")
    #expect(wrote.first?.contains("modes covered") == true, "\(wrote)")
    let plot = try Self.decode(folder + "/plot.png")
    #expect(plot.width == 512 && plot.height == 512 + ForcePlot.legendHeight, "D's heat map and a legend")
    let real = try Self.decode(folder + "/real.png")
    #expect(real.width == 512 && real.height == 512, "show data: the plain scatter plot")
    #expect(interpreter.state.step == 20)
  }
}
