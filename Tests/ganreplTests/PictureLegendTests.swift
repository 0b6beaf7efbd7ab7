import Foundation
import Session
import Testing

@testable import ganrepl

/// A picture with a drawn legend (the force plot's) shows it as text in half-blocks and
/// ASCII, where the drawn one cannot be read, and as drawn in graphics protocols.
@Suite("Legends in character pictures")
struct PictureLegendTests {
  /// 8×12: six rows of picture, then a 6-row legend strip.
  let plot = DecodedImage(width: 8, height: 12, channels: 1, pixels: (0..<96).map { UInt8($0 * 2) })
  let size = { TerminalSize(columns: 41, rows: 30, cellAspect: 2) }
  let legend = PictureLegend(rows: 6, lines: ["step 3   background: D's verdict", "dots: real, fake"])

  func picture(frame: Bool = false) -> InlinePicture {
    InlinePicture(image: plot, content: .plot, what: "4 points", name: "p", isFrame: frame, legend: legend)
  }

  @Test("half-blocks and ASCII leave the strip out and print the legend's lines between picture and caption")
  func characters() throws {
    for kind in [PictureProtocol.truecolor, .ascii] {
      let text = try TerminalPictures(kind: kind, size: size).render(picture())
      let clear = kind == .ascii ? "" : "\u{1B}[2K"
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      // 6 pixel rows (not 12) in 3 lines, the legend's 2, the caption, the end.
      #expect(lines.count == 3 + 2 + 1 + 1, "\(kind): \(lines)")
      #expect(lines[3...5] == [clear + legend.lines[0], clear + legend.lines[1], clear + "4 points"], "\(kind)")
    }
  }

  @Test("a flip-book frame with a legend moves up over the legend's lines too")
  func frame() throws {
    let pictures = TerminalPictures(kind: .palette256, size: size)
    _ = try pictures.render(picture(frame: true))
    #expect(try pictures.render(picture(frame: true)).hasPrefix("\u{1B}[6A\r"))
  }

  @Test("kitty draws the whole image, legend included, and prints no text legend")
  func graphics() throws {
    let text = try TerminalPictures(kind: .kitty, size: size).render(picture())
    #expect(!text.contains(legend.lines[0]) && text.hasSuffix("4 points\n"))
  }
}
