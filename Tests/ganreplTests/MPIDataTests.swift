import Foundation
import Session
import Testing

/// What each rank holds and draws under mpirun: an image folder split across the ranks
/// (each decodes, caches and keeps only its share, and the steps stay the single
/// process's), and `augment` drawn for the whole batch.
@Suite(.serialized, .enabled(if: mpirunPath != nil, "Open MPI's mpirun is not installed (scripts/install-deps)"))
struct MPIDataTests {
  /// MPITests' small conv net on a folder of images: batch 6 of 23 (3 + 3, or 2 + 2 + 2).
  static let folderGAN = MPITests.smallConv.replacingOccurrences(
    of: "data faces count=40 size=8 batch=10 range=-1..1 flip",
    with: "param images = \"images\"\ndata $images size=8 batch=6 range=-1..1 flip")

  /// A folder of 24 files, 8×8 RGB noise each, one of them (img10.png) unreadable: 23
  /// images, the skipped one in the middle, so the ranks' numbering must close the gap.
  static func imageFolder() throws -> String {
    let folder = NSTemporaryDirectory() + "ganrepl-shard-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var state: UInt64 = 42
    for i in 0..<24 {
      let path = folder + "/img\(i < 10 ? "0" : "")\(i).png"
      if i == 10 {
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: path))
        continue
      }
      let pixels = (0..<(8 * 8 * 3)).map { _ -> UInt8 in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
      }
      try DecodedImage(width: 8, height: 8, channels: 3, pixels: pixels).writePNG(to: path)
    }
    return folder
  }

  @Test("a folder split across -n 2 and -n 3 ranks (a file skipped, flips) trains as one process does")
  func folderShardsFollowOneProcess() throws {
    let images = try Self.imageFolder()
    #expect(Self.folderGAN.contains("data $images size=8 batch=6"))
    try MPITests().compareWithOneProcess(
      path: try notebook(Self.folderGAN), ranks: [2, 3], extra: ["--set", "images=\(images)"])
  }

  @Test("each rank decodes and caches only its share; pictures of real images and nearest are one process's")
  func shardsHoldTheirShare() throws {
    let images = try Self.imageFolder()
    let text = Self.folderGAN.replacingOccurrences(
      of: "train 2 epochs\nsave $out", with: "show data 12 \"real.png\"\nnearest 3 \"near.png\"")
    let path = try notebook(text)
    let folder = (path as NSString).deletingLastPathComponent
    let cache = folder + "/cache"
    let single = try ganrepl(
      ["--no-timings", path, "--set", "images=\(images)"], in: folder, environment: ["GANREPL_CACHE": cache + "1"])
    #expect(single.status == 0, "\(single.stderr)")
    #expect(single.stdout.contains("23 images 8×8×3 in [-1, 1], squash, flipped at random, 4 KiB;"), "\(single.stdout)")
    let (real, near) = try (
      Data(contentsOf: URL(fileURLWithPath: folder + "/real.png")),
      Data(contentsOf: URL(fileURLWithPath: folder + "/near.png"))
    )
    for pass in ["decoded", "from the cache"] {
      let run = try mpirun(
        [["-n", "3", ganreplBinary(), "--no-timings", path, "--set", "images=\(images)"]], in: folder,
        environment: ["GANREPL_CACHE": cache + "3"])
      #expect(run.status == 0, "\(pass): \(run.stderr)")
      // Rank 0 holds files 0–7 of 24: 8 images of 192 bytes, and decodes only those.
      #expect(
        run.stdout.contains(
          "23 images 8×8×3 in [-1, 1], squash, flipped at random, 2 KiB on rank 0 (each of the 3 ranks holds its share);"
        ), "\(pass): \(run.stdout)")
      #expect(run.stdout.contains("from the cache") == (pass == "from the cache"), "\(pass): \(run.stdout)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/real.png")) == real, "\(pass): show data")
      #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/near.png")) == near, "\(pass): nearest")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: cache + "3").filter { $0.hasSuffix(".gdata") }
    #expect(files.count == 3, "one cache file per rank: \(files)")
    // Each holds its rank's 8 images of 192 bytes (and their names), not all 24.
    let sizes = try files.map { try FileManager.default.attributesOfItem(atPath: cache + "3/" + $0)[.size] as! Int }
    let whole = try FileManager.default.contentsOfDirectory(atPath: cache + "1").filter { $0.hasSuffix(".gdata") }
      .map { try FileManager.default.attributesOfItem(atPath: cache + "1/" + $0)[.size] as! Int }
    #expect(whole.count == 1 && sizes.allSatisfy { $0 < whole[0] - 16 * 192 + 512 }, "\(sizes) against \(whole)")
  }

  @Test("augment under -n 2 and -n 3 draws the whole batch's transformations: the run is one process's")
  func augmentFollowsOneProcess() throws {
    let text = MPITests.smallConv.replacingOccurrences(
      of: "optimizer adam", with: "augment color translation cutout\noptimizer adam")
    try MPITests().compareWithOneProcess(text, ranks: [2, 3])
  }
}

extension MPIDataTests {
  @Test("-n 2: a share with no readable file loads (the folder has images), and exports are written once")
  func unreadableShareAndExports() throws {
    let folder = NSTemporaryDirectory() + "ganrepl-halfbad-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder + "/images", withIntermediateDirectories: true)
    // Sorted, a1–a4 are rank 0's share and the unreadable z1–z4 rank 1's.
    for i in 1...4 {
      try DecodedImage(width: 8, height: 8, channels: 1, pixels: (0..<64).map { UInt8(($0 * i) % 256) }).writePNG(
        to: folder + "/images/a\(i).png")
      try Data("not a picture".utf8).write(to: URL(fileURLWithPath: folder + "/images/z\(i).png"))
    }
    let text = """
      data "images" size=8 channels=1 batch=4 cache=false
      set latent 4
      generator
        dense 64
        reshape 8x8x1
        sigmoid
      end
      discriminator
        flatten
        dense 1
        sigmoid
      end
      step 2
      export generator "g.safetensors"
      export discriminator "d.safetensors"
      export samples 4 "s.safetensors"
      save "run"
      """
    try text.write(toFile: folder + "/t.gan", atomically: true, encoding: .utf8)
    for attempt in 1...3 {  // the exports' race, when there was one, lost most runs but not all
      let run = try mpirun(2, ["--quiet", "t.gan"], in: folder)
      #expect(run.status == 0, "attempt \(attempt): \(run.stderr)")
      #expect(run.stdout.contains("4 images 8×8×1"), "\(run.stdout)")
      #expect(run.stdout.contains("skipped 4 unreadable files in the other ranks' shares"), "\(run.stdout)")
      for file in ["g", "d", "s"] {
        #expect(run.stdout.components(separatedBy: "wrote \(file).safetensors").count == 2, "\(run.stdout)")
      }
      #expect(run.stdout.contains("wrote run"), "\(run.stdout)")
    }
  }
}
