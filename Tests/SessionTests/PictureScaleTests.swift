import Foundation
import Testing

@testable import Session

/// `set picture-scale N`: pictures of images N times larger, pixel for pixel, for a
/// projector; plots keep their own size.
@Suite("Picture scale")
struct PictureScaleTests {
  @Test("set picture-scale 3 writes the same grid with each pixel a 3×3 block; plots are left as they are")
  func scaledGrid() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1\nsample 4 \"\(folder)/one.png\"\nset picture-scale 3", in: interpreter)
    try run("sample 4 \"\(folder)/three.png\"", in: interpreter)
    let decode = { (name: String) throws -> DecodedImage in
      try DecodedImage.decode([UInt8](try #require(FileManager.default.contents(atPath: folder + "/" + name)))).get()
    }
    let (one, three) = (try decode("one.png"), try decode("three.png"))
    #expect(three.width == 3 * one.width && three.height == 3 * one.height && three.channels == one.channels)
    var differing = 0
    for y in 0..<three.height {
      for x in 0..<three.width {
        for c in 0..<one.channels
        where three.pixels[(y * three.width + x) * 3 + c] != one.pixels[((y / 3) * one.width + x / 3) * 3 + c] {
          differing += 1
        }
      }
    }
    #expect(differing == 0)
    #expect(interpreter.settingsTable().contains { $0.name == "picture-scale" && $0.value == "3" })
    // A toy run's plot is a drawing with its own size and legend: not scaled.
    let toy = Interpreter()
    try run(
      "data ring count=64\ngenerator\ndense 2\nend\nset picture-scale 4\nsample 64 \"\(folder)/plot.png\"", in: toy)
    let plot = try decode("plot.png")
    #expect(plot.width < 1000, "plot \(plot.width) wide")
    try run("plot \"\(folder)/curves.png\"", in: interpreter)
    #expect(try decode("curves.png").width < 1200, "the curves are a plot")
  }
}
