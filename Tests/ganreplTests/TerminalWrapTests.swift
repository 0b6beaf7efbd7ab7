import Foundation
import Tensors
import Testing

@testable import Session
@testable import ganrepl

/// Text wider than the terminal: a flip-book counts the rows its caption wraps onto, and
/// warnings, errors and help are broken between words at the terminal's width.
@Suite("Wrapping at the terminal's width")
struct TerminalWrapTests {
  let face = DecodedImage(width: 8, height: 8, channels: 1, pixels: (0..<64).map { UInt8($0 * 4) })

  @Test("a caption wider than the terminal: the next frame moves up over every row it filled, and clears below")
  func wrappedCaption() throws {
    let pictures = TerminalPictures(kind: .truecolor, size: { TerminalSize(columns: 41, rows: 30, cellAspect: 2) })
    let caption = "64 generated points at step 46: modes covered 0 of 8, 2% of points within 3σ of a mode"
    #expect(caption.count == 86)  // three rows of 41
    let frame = InlinePicture(image: face, what: caption, name: "sample", isFrame: true)
    _ = try pictures.render(frame)
    #expect(try pictures.render(frame).hasPrefix("\u{1B}[7A\r\u{1B}[J"), "4 picture rows + 3 caption rows")
    #expect(pictures.above("epoch 1")?.hasPrefix("\u{1B}[7A\r\u{1B}[J") == true)
  }

  @Test("rows of text: escape sequences take no room, a line exactly as wide as the terminal takes one row")
  func rows() {
    #expect(TerminalRows.count("abc", columns: 3) == 1)
    #expect(TerminalRows.count("abcd", columns: 3) == 2)
    #expect(TerminalRows.count("", columns: 80) == 1)
    #expect(TerminalRows.count("a\n\nb", columns: 80) == 3)
    #expect(TerminalRows.count("\u{1B}[38;2;1;2;3m▀▀▀\u{1B}[0m", columns: 3) == 1)
    #expect(TerminalRows.count("\u{1B}_Ga=T,f=100;QUJD\u{1B}\\xy", columns: 2) == 1)
  }

  @Test("lines break between words, never inside one; continuation lines keep the indentation")
  func breaks() {
    let warning = "warning: the generator's learning rate 5 is far above Adam's usual 1e-4 to 1e-3"
    #expect(
      TextWrap.wrapped(warning, width: 30)
        == "warning: the generator's\n  learning rate 5 is far above\n  Adam's usual 1e-4 to 1e-3")
    #expect(TextWrap.wrapped("short\n\n  also short", width: 30) == "short\n\n  also short")
    #expect(TextWrap.wrapped("prose that runs on and on and on", width: 12) == "prose that\nruns on and\non and on")
    // A table row hangs under its last column; a word longer than the line stays whole.
    #expect(
      TextWrap.wrapped("  steps  images in the walk, both ends", width: 24)
        == "  steps  images in the\n         walk, both ends")
    #expect(
      TextWrap.wrapped("  hint: out/a-very-long-path-name.png is long", width: 20)
        == "  hint:\n    out/a-very-long-path-name.png\n    is long")
    // A note ("[2] …") and words ending in a colon early in the line (bench's kernel lines)
    // are labels too; a colon late in the line is prose.
    #expect(
      TextWrap.wrapped("    [2] winograd4: 4×4 stride 2, IC ≥ 64", width: 30)
        == "    [2] winograd4: 4×4 stride\n      2, IC ≥ 64")
    #expect(
      TextWrap.wrapped(
        "  OpenBLAS Haswell kernels: OpenBLAS's own choice, the CPU's best level; OPENBLAS_CORETYPE overrides",
        width: 80)
        == "  OpenBLAS Haswell kernels: OpenBLAS's own choice, the CPU's best level;\n    OPENBLAS_CORETYPE overrides")
    #expect(
      TextWrap.wrapped("  the last of many words here: a colon", width: 30)
        == "  the last of many words here:\n  a colon")
  }

  @Test("the Presenter wraps warnings, help and notices on a terminal, not tables, and leaves a pipe's lines whole")
  func presenter() throws {
    let long = String(repeating: "word ", count: 30)
    let terminal = Presenter(timings: false, live: true)
    terminal.width = { 40 }
    #expect(terminal.fitted(long, for: .warning(long)).split(separator: "\n").allSatisfy { $0.count <= 40 })
    #expect(terminal.fitted(long, for: .notice(long)).split(separator: "\n").allSatisfy { $0.count <= 40 })
    #expect(
      terminal.fitted(long, for: .wrote(path: "a", what: long)).split(separator: "\n").allSatisfy { $0.count <= 40 })
    // Training's lines break between their fields, and go on two spaces in.
    #expect(
      terminal.fitted(
        "epoch 1: D loss 0.7005  G loss 0.6492  D(x) 0.526  D(G(z)) 0.529",
        for: .epochFinished(epoch: 1, averages: StepAverages()))
        == "epoch 1: D loss 0.7005  G loss 0.6492\n  D(x) 0.526  D(G(z)) 0.529")
    // A gap whose first space is just past the width still ends the line there.
    #expect(
      TextWrap.wrapped("epoch 1: D loss 0.7005  G loss 0.6492  D(x) 0.5", width: 37, fields: true)
        == "epoch 1: D loss 0.7005  G loss 0.6492\n  D(x) 0.5")
    // What `data` says, with the files it skipped, wraps like a notice.
    let data = DataSummary(
      spec: DataSpec(source: .folder("faces")), count: 3, sampleShape: Shape(8, 8, 1), bytes: 192,
      skipped: [("truncated.jpg", "the JPEG data ends early (truncated file)")], seconds: 0, batchesPerEpoch: 1,
      batch: 3, fromCache: false, cacheFile: nil, cacheNote: nil)
    let said = try #require(terminal.text(.dataLoaded(data)))
    #expect(said.contains("truncated.jpg") && said.count > 40)
    #expect(terminal.fitted(said, for: .dataLoaded(data)).split(separator: "\n").allSatisfy { $0.count <= 40 })
    let table = "  #  layer  definition " + long
    #expect(terminal.fitted(table, for: .history([])) == table, "tables keep their layout")
    #expect(terminal.fitted(long, for: .diagnoses([])).split(separator: "\n").allSatisfy { $0.count <= 40 })
    let pipe = Presenter(timings: false, live: false)
    pipe.width = { 40 }
    #expect(pipe.fitted(long, for: .warning(long)) == long)
  }
}

extension TerminalWrapTests {
  @Test("help's usages: a long one gets its own line, its words the next; wider than the terminal, it goes on four in")
  func usages() {
    let terminal = Presenter(timings: false, live: true)
    terminal.width = { 60 }
    let rows = [
      (usage: "data PATH|faces [size=64] [channels=3] [range=0..1|-1..1] [flip] [cache=false]", what: "load data"),
      (usage: "relu", what: "max(x, 0)"),
    ]
    #expect(
      terminal.usageTable(rows).split(separator: "\n").map(String.init) == [
        "  data PATH|faces [size=64] [channels=3] [range=0..1|-1..1]", "    [flip] [cache=false]",
        "  " + String(repeating: " ", count: 44) + "  load data",
        "  relu" + String(repeating: " ", count: 40) + "  max(x, 0)",
      ])
    // Narrower than the words' column: they go on under it while it is within half the line,
    // else half-way in; never back at the usages' column.
    terminal.width = { 70 }
    let long = [(usage: "relu", what: String(repeating: "word ", count: 12))]
    #expect(
      terminal.usageTable(long).split(separator: "\n").dropFirst().allSatisfy {
        $0.hasPrefix(String(repeating: " ", count: 35))
      })
    terminal.width = { 30 }
    #expect(terminal.usageTable(long).split(separator: "\n").count > 2)
    terminal.width = { 60 }
    // Through a pipe the usage stays one line.
    let pipe = Presenter(timings: false, live: false)
    #expect(
      pipe.usageTable(rows).hasPrefix(
        "  data PATH|faces [size=64] [channels=3] [range=0..1|-1..1] [flip] [cache=false]\n"))
  }
}
