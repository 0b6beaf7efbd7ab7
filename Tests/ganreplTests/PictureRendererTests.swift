import Foundation
import Session
import TestSupport
import Testing

@testable import ganrepl

/// A `width`×`height` RGB image from its pixels, row by row.
private func image(_ width: Int, _ height: Int, _ pixels: [(Int, Int, Int)]) -> DecodedImage {
  DecodedImage(
    width: width, height: height, channels: 3, pixels: pixels.flatMap { [UInt8($0.0), UInt8($0.1), UInt8($0.2)] })
}

private let esc = "\u{1B}"

@Suite("Each picture renderer, pixels in, bytes out")
struct PictureRendererTests {
  @Test("half-blocks in 24-bit colour: the top pixel is the foreground of ▀, the bottom one the background")
  func truecolor() {
    let lines = HalfBlockPicture.render(
      image(2, 2, [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]), colours: .truecolor)
    #expect(
      lines == [
        "\(esc)[38;2;255;0;0m\(esc)[48;2;0;0;255m▀\(esc)[38;2;0;255;0m\(esc)[48;2;255;255;255m▀\(esc)[0m"
      ])
  }

  @Test("half-blocks send a colour only when it changes; an odd last row has black below it")
  func unchangedColoursAndOddHeight() {
    let lines = HalfBlockPicture.render(image(2, 1, [(9, 9, 9), (9, 9, 9)]), colours: .truecolor)
    #expect(lines == ["\(esc)[38;2;9;9;9m\(esc)[48;2;0;0;0m▀▀\(esc)[0m"])
  }

  @Test("256 colours: the nearest of the 6×6×6 cube and the gray ramp")
  func palette() {
    #expect(HalfBlockPicture.paletteIndex((255, 0, 0)) == 196)
    #expect(HalfBlockPicture.paletteIndex((0, 0, 0)) == 16)
    #expect(HalfBlockPicture.paletteIndex((255, 255, 255)) == 231)
    #expect(HalfBlockPicture.paletteIndex((128, 128, 128)) == 244)  // gray 8 + 10·12 = 128
    #expect(HalfBlockPicture.paletteIndex((95, 135, 175)) == 16 + 36 * 1 + 6 * 2 + 3)
    let lines = HalfBlockPicture.render(image(1, 2, [(255, 0, 0), (128, 128, 128)]), colours: .palette256)
    #expect(lines == ["\(esc)[38;5;196m\(esc)[48;5;244m▀\(esc)[0m"])
  }

  @Test("ASCII: the mean brightness of two pixels on the ramp \" .:-=+*#%@\", no escape codes")
  func ascii() {
    let lines = AsciiPicture.render(
      image(3, 2, [(0, 0, 0), (255, 255, 255), (128, 128, 128), (0, 0, 0), (255, 255, 255), (128, 128, 128)]))
    #expect(lines == [" @+"])
    #expect(AsciiPicture.render(image(2, 1, [(255, 255, 255), (0, 0, 0)])) == ["@ "])
  }

  @Test("kitty: one a=T command with PNG (f=100) in base64, cells c×r, no reply (q=2); long ones in 4096-byte chunks")
  func kitty() throws {
    let short = GraphicsPicture.kitty(png: [1, 2, 3], columns: 10, rows: 5, id: 7)
    #expect(short == "\(esc)_Ga=T,f=100,t=d,i=7,c=10,r=5,q=2,m=0;AQID\(esc)\\")
    let png = (0..<5000).map { UInt8($0 % 251) }
    let long = GraphicsPicture.kitty(png: png, columns: 10, rows: 5, id: 1)
    let chunks = long.components(separatedBy: "\(esc)\\").dropLast()
    #expect(chunks.count == 2)
    #expect(chunks[0].hasPrefix("\(esc)_Ga=T,f=100,t=d,i=1,c=10,r=5,q=2,m=1;"))
    #expect(chunks[1].hasPrefix("\(esc)_Gm=0;"))
    let payload = chunks.map { String($0[$0.index(after: $0.firstIndex(of: ";")!)...]) }
    #expect(payload[0].count == 4096)
    #expect(Data(base64Encoded: payload.joined()).map { [UInt8]($0) } == png)
  }

  @Test("iTerm2: OSC 1337 File with the size in bytes, the cells and the base64 PNG, ended by BEL")
  func iterm() {
    #expect(
      GraphicsPicture.iterm(png: [1, 2, 3], columns: 10, rows: 5)
        == "\(esc)]1337;File=inline=1;size=3;width=10;height=5;preserveAspectRatio=1:AQID\u{07}")
  }

  @Test("the PNG bytes kitty and iTerm2 receive decode to the same pixels")
  func pngBytes() throws {
    let picture = image(3, 2, [(1, 2, 3), (40, 50, 60), (255, 0, 128), (7, 7, 7), (0, 0, 0), (200, 100, 50)])
    let bytes = try picture.pngBytes()
    #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    let decoded = try DecodedImage.decode(bytes).get()
    #expect(decoded.width == 3 && decoded.height == 2 && decoded.pixels == picture.pixels)
  }

  @Test("the protocol comes from TERM, KITTY_WINDOW_ID, TERM_PROGRAM, COLORTERM, NO_COLOR and tmux")
  func detection() {
    func detect(_ environment: [String: String], terminal: Bool = true) -> PictureProtocol {
      PictureProtocol.detect(environment: environment, isTerminal: terminal)
    }
    #expect(detect(["TERM": "xterm-kitty"]) == .kitty)
    #expect(detect(["TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"]) == .kitty)
    #expect(detect(["TERM_PROGRAM": "iTerm.app", "COLORTERM": "truecolor"]) == .iterm)
    #expect(detect(["TERM_PROGRAM": "WezTerm"]) == .iterm)
    #expect(detect(["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == .truecolor)
    #expect(detect(["TERM": "xterm-256color", "COLORTERM": "24bit"]) == .truecolor)
    #expect(detect(["TERM": "xterm-256color"]) == .palette256)
    #expect(detect(["TERM": "xterm-kitty", "NO_COLOR": "1"]) == .ascii)
    #expect(detect(["TERM": "xterm-256color", "NO_COLOR": ""]) == .palette256)  // set but empty: not asked
    #expect(detect(["TERM": "dumb", "COLORTERM": "truecolor"]) == .ascii)
    #expect(detect(["TERM": "tmux-256color", "KITTY_WINDOW_ID": "1", "COLORTERM": "truecolor"]) == .truecolor)
    #expect(detect(["TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"]) == .palette256)
    #expect(detect(["TERM": "xterm-kitty"], terminal: false) == .file)
    #expect(detect(["GANREPL_PICTURES": "ascii"], terminal: false) == .ascii)
    #expect(detect(["GANREPL_PICTURES": "kitty", "TERM": "dumb"]) == .kitty)
  }

  @Test(
    "sizing: within the terminal (lines left for the caption, progress and prompt) and the maximum; half-blocks never enlarge"
  )
  func sizing() {
    let wide = PictureFit.cells(width: 400, height: 400, columns: 200, rows: 200, cellAspect: 2, pixelsPerColumn: 0)
    #expect(wide.columns == PictureFit.maximumColumns && wide.rows == PictureFit.maximumColumns / 2)
    let narrow = PictureFit.cells(width: 400, height: 400, columns: 41, rows: 200, cellAspect: 2, pixelsPerColumn: 1)
    #expect(narrow.columns == 40 && narrow.rows == 20)
    let short = PictureFit.cells(width: 400, height: 400, columns: 120, rows: 14, cellAspect: 2, pixelsPerColumn: 1)
    #expect(short.rows == 10 && short.columns == 20)
    let small = PictureFit.cells(width: 10, height: 10, columns: 120, rows: 40, cellAspect: 2, pixelsPerColumn: 1)
    #expect(small.columns == 10 && small.rows == 5)
  }

  @Test("shrinking averages the pixels each output pixel covers")
  func shrinking() {
    let shrunk = PictureFit.resized(
      image(2, 2, [(0, 0, 0), (100, 0, 0), (0, 200, 0), (100, 200, 40)]), width: 1, height: 1)
    #expect(shrunk.pixels == [50, 100, 10])
    let gray = PictureFit.resized(DecodedImage(width: 1, height: 1, channels: 1, pixels: [77]), width: 1, height: 1)
    #expect(gray.pixels == [77, 77, 77])
  }

  @Test("images sent to kitty or iTerm2 are at most 2048 pixels a side; smaller ones are sent as they are")
  func sentSize() {
    let wide = DecodedImage(width: 4096, height: 1024, channels: 1, pixels: [UInt8](repeating: 9, count: 4096 * 1024))
    let sent = PictureFit.limited(wide, false)
    #expect(sent.width == 2048 && sent.height == 512 && sent.pixels.allSatisfy { $0 == 9 })
    let small = image(2, 1, [(1, 2, 3), (4, 5, 6)])
    #expect(PictureFit.limited(small, false).pixels == small.pixels)
  }

  @Test("a plot shrinks keeping the mark farthest from white: a red point over grey ones, the axes and the grid")
  func plotMarks() {
    let plot = image(4, 1, [(255, 255, 255), (228, 228, 228), (120, 120, 120), (215, 40, 40)])
    #expect(PictureFit.resized(plot, width: 1, height: 1, keepingMarks: true).pixels == [215, 40, 40])
    #expect(PictureFit.resized(plot, width: 2, height: 1, keepingMarks: true).pixels == [228, 228, 228, 215, 40, 40])
    #expect(PictureFit.resized(plot, width: 1, height: 1).pixels == [205, 161, 161])  // the mean
  }
}
