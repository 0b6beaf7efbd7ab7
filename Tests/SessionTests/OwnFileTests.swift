import Foundation
import Testing

@testable import Session

/// ganrepl writes over its own pictures, CSVs and exports, and keeps a user's file that
/// stands at the name aside instead of replacing it.
struct OwnFileTests {
  @Test("a user's PNG, CSV and safetensors at the name are kept as NAME.orig.EXT; ganrepl's own are replaced")
  func usersFilesKept() throws {
    let folder = temporaryFolder()
    for name in ["photo.png", "h.csv", "g.safetensors"] {
      try "mine".write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }
    let commands =
      "sample 4 \"\(folder)/photo.png\"\nshow history 2 \"\(folder)/h.csv\"\nexport generator \"\(folder)/g.safetensors\""
    let interpreter = Interpreter()
    let first = try run(tinyGAN + "\nstep 2\n" + commands, in: interpreter)
    let notes = first.compactMap { if case .wrote(_, let what) = $0 { what } else { nil } }
    #expect(notes.filter { $0.contains("; the file that was there is kept as \(folder)/") }.count == 3, "\(notes)")
    for name in ["photo.orig.png", "h.orig.csv", "g.orig.safetensors"] {
      #expect(try String(contentsOfFile: folder + "/" + name, encoding: .utf8) == "mine", "\(name)")
    }
    // Written again: ganrepl's own files, replaced without a word, and nothing more kept.
    let second = try run(commands, in: interpreter)
    #expect(!second.contains { if case .wrote(_, let what) = $0 { what.contains("kept as") } else { false } })
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 6)
  }

  @Test("a second user's file at the name is kept beside the first kept copy, not over it")
  func keptCopiesNumbered() throws {
    let folder = temporaryFolder()
    try "one".write(toFile: folder + "/a.png", atomically: true, encoding: .utf8)
    #expect(try OwnFile.png.keepForeign(folder + "/a.png") == folder + "/a.orig.png")
    try "two".write(toFile: folder + "/a.png", atomically: true, encoding: .utf8)
    #expect(try OwnFile.png.keepForeign(folder + "/a.png") == folder + "/a.orig-2.png")
    #expect(try String(contentsOfFile: folder + "/a.orig.png", encoding: .utf8) == "one")
    #expect(try OwnFile.png.keepForeign(folder + "/missing.png") == nil)
  }

  @Test("ganrepl's PNGs carry a valid Software: ganrepl text chunk after the header")
  func pngMark() throws {
    let image = DecodedImage(width: 3, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 250])
    let bytes = try image.pngBytes()
    #expect(OwnFile.png.isOurs(bytes))
    let chunk = Array(bytes[33..<(33 + 12 + OwnFile.pngMark.count)])
    #expect(Array(chunk[4..<8]) == Array("tEXt".utf8))
    let crc = chunk.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(crc == DecodedImage.crc32(Array(chunk[4..<(chunk.count - 4)])))
    #expect(DecodedImage.crc32(Array("IEND".utf8)) == 0xAE42_6082)  // PNG's own end chunk
    #expect(!OwnFile.png.isOurs(Array("mine".utf8)))
  }
}
