import Foundation
import Session
import Testing

@testable import ganrepl

@Suite("Pictures as the terminal receives them: caption, flip-book frames, files when not a terminal")
struct TerminalPicturesTests {
  let face = DecodedImage(width: 8, height: 8, channels: 1, pixels: (0..<64).map { UInt8($0 * 4) })
  let size = { TerminalSize(columns: 41, rows: 30, cellAspect: 2) }

  func picture(frame: Bool, what: String = "4 generated images at step 1") -> InlinePicture {
    InlinePicture(image: face, what: what, name: "sample-step1", isFrame: frame)
  }

  @Test("half-blocks: one line per two pixel rows, each cleared first, then the caption")
  func halfBlocks() throws {
    let pictures = TerminalPictures(kind: .truecolor, size: size)
    let text = try pictures.render(picture(frame: false))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4 + 1 + 1)  // 8 pixel rows, the caption, the end
    #expect(lines[0].hasPrefix("\u{1B}[2K\u{1B}[38;2;"))
    #expect(lines[4] == "\u{1B}[2K4 generated images at step 1")
  }

  @Test("a flip-book frame moves up over the previous frame and its caption; other output starts a new one")
  func flipBook() throws {
    let pictures = TerminalPictures(kind: .palette256, size: size)
    let first = try pictures.render(picture(frame: true))
    #expect(!first.contains("\u{1B}[5A"))
    let second = try pictures.render(picture(frame: true))
    #expect(second.hasPrefix("\u{1B}[5A\r"))
    _ = try pictures.render(picture(frame: false))
    #expect(try !pictures.render(picture(frame: true)).contains("A\r"))
    pictures.interrupt()
    #expect(try !pictures.render(picture(frame: true)).contains("A\r"))
  }

  @Test("while a flip-book runs, a line goes above the frame, which is drawn again below it")
  func linesAbove() throws {
    let pictures = TerminalPictures(kind: .truecolor, size: size)
    #expect(pictures.above("epoch 1") == nil)
    let frame = try pictures.render(picture(frame: true))
    #expect(pictures.above("epoch 1: D loss 0.7") == "\u{1B}[5A\r\u{1B}[J\u{1B}[2Kepoch 1: D loss 0.7\n" + frame)
    #expect(pictures.above("a\nb")?.hasPrefix("\u{1B}[5A\r\u{1B}[J\u{1B}[2Ka\n\u{1B}[2Kb\n") == true)
    pictures.interrupt()
    #expect(pictures.above("epoch 2") == nil)
    _ = try pictures.render(picture(frame: false))
    #expect(pictures.above("epoch 2") == nil)
    let ascii = TerminalPictures(kind: .ascii, size: size)
    _ = try ascii.render(picture(frame: true))
    #expect(ascii.above("epoch 1") == nil)
  }

  @Test("kitty: room is made, the image drawn from the saved cursor, the previous frame deleted by id")
  func kittyFrames() throws {
    let pictures = TerminalPictures(kind: .kitty, size: size)
    let first = try pictures.render(picture(frame: true))
    let cells = PictureFit.cells(width: 8, height: 8, columns: 41, rows: 30, cellAspect: 2, pixelsPerColumn: 0)
    #expect(first.hasPrefix(String(repeating: "\n", count: cells.rows) + "\u{1B}[\(cells.rows)A\r\u{1B}7\u{1B}_Ga=T"))
    #expect(first.contains("i=1,c=\(cells.columns),r=\(cells.rows),q=2"))
    #expect(first.hasSuffix("\u{1B}8\u{1B}[\(cells.rows)B\r\u{1B}[2K4 generated images at step 1\n"))
    let second = try pictures.render(picture(frame: true))
    #expect(second.hasPrefix("\u{1B}[\(cells.rows + 1)A\r\u{1B}_Ga=d,d=I,i=1,q=2\u{1B}\\"))
    #expect(second.contains("i=2,"))
  }

  @Test("ASCII: plain text, no escape codes, frames are not redrawn (a dumb terminal cannot move the cursor)")
  func asciiFrames() throws {
    let pictures = TerminalPictures(kind: .ascii, size: size)
    let text = try pictures.render(picture(frame: true)) + pictures.render(picture(frame: true))
    #expect(!text.contains("\u{1B}"))
    #expect(text.split(separator: "\n").count == 2 * (4 + 1))
  }

  @Test("not a terminal: the PNG goes to FOLDER/NAME.png, a second one of the same name to NAME-2.png")
  func files() throws {
    let folder = NSTemporaryDirectory() + "ganrepl-pictures-\(UUID().uuidString.prefix(8))/pictures"
    let pictures = TerminalPictures(kind: .file, folder: folder, size: size)
    let first = try pictures.render(picture(frame: false))
    let second = try pictures.render(picture(frame: true))
    #expect(first == "wrote \(folder)/sample-step1.png (4 generated images at step 1; the output is not a terminal)\n")
    #expect(second.hasPrefix("wrote \(folder)/sample-step1-2.png "))
    #expect(!(first + second).contains("\u{1B}"))
    #expect(FileManager.default.fileExists(atPath: folder + "/sample-step1.png"))
    #expect(FileManager.default.fileExists(atPath: folder + "/sample-step1-2.png"))
  }
}
