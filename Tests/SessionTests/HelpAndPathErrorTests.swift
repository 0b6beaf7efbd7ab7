import Testing

@testable import Session

/// Errors that name what is wrong: an unknown help topic points to the concepts, a missing
/// sample index is named as such, a PNG-only path names the picture the command writes.
@Suite("Errors that name the right thing")
struct HelpAndPathErrorTests {
  @Test("help WORD for no command, layer or concept: says so, lists the concepts, suggests the nearest")
  func unknownHelpTopic() {
    let concepts = Concepts.all.map(\.name).joined(separator: ", ")
    #expect(
      parseError("help wasserstein")
        == "t.gan:1:6: error: no command or concept 'wasserstein'\n  hint: concepts: \(concepts)"
        + " ('help concepts'; 'help' lists the commands)")
    #expect(parseError("help colapse").contains("hint: did you mean 'mode-collapse'? concepts: gan,"))
    #expect(parseError("help trian").contains("hint: did you mean 'train'? concepts: gan,"))
    #expect(parseError("help wasser stein").hasPrefix("t.gan:1:6: error: no command or concept 'wasser stein'"))
  }

  @Test("help SETTING shows that setting; help WORD for a command's first word shows that command")
  func settingsAndWords() throws {
    func said(_ line: String) throws -> [HelpText] {
      try run(line, in: Interpreter()).compactMap { if case .help(let h) = $0 { h } else { nil } }
    }
    guard case .settings(let rows) = try said("help ema").first else {
      Issue.record("help ema showed no setting")
      return
    }
    #expect(rows.map(\.name) == ["ema"] && rows[0].help.contains("moving average"))
    guard case .command(let usage, _, _, _) = try said("help swd").first else {
      Issue.record("help swd showed no command")
      return
    }
    #expect(usage.hasPrefix("eval swd"))
    #expect(parseError("help emma").contains("hint: did you mean 'ema'?"))
  }

  @Test("help inside a generator block answers, and the block goes on with the layers after it")
  func helpInsideBlock() throws {
    let interpreter = Interpreter()
    let events = try run("set latent 4\ngenerator\n  dense 8\n  help conv\n  dense 2\nend", in: interpreter)
    #expect(
      events.contains { if case .help(.command(let usage, _, _, _)) = $0 { usage.hasPrefix("conv ") } else { false } })
    #expect(interpreter.state.definitions[.generator]?.layers.count == 2)
    #expect(parseError("generator\n  dense 8\n  train 5 steps\nend").contains("'train' is a command, not a layer"))
  }

  @Test("interpolate with a path where B belongs: B is what is missing, at the path, with the usage")
  func missingIndex() {
    let usage = "\n  hint: usage: interpolate A B [steps=8] [PATH]"
    #expect(parseError("interpolate 0 \"w.png\"") == "t.gan:1:15: error: missing B, the second sample index" + usage)
    #expect(parseError("interpolate 0 out/w.png") == "t.gan:1:15: error: missing B, the second sample index" + usage)
    #expect(parseError("interpolate 0") == "t.gan:1:15: error: missing B, the second sample index" + usage)
    #expect(parseError("interpolate \"w.png\"").hasPrefix("t.gan:1:13: error: missing A, the first sample index"))
    #expect(parseError("interpolate 0 1") == "no error")
    #expect(
      parseError("interpolate 3 3")
        == "t.gan:1:15: error: invalid index B '3': expected another sample than A (3), for a walk between two images")
    #expect(parseError("nearest \"nn.png\"").hasPrefix("t.gan:1:9: error: missing N, how many generated images"))
  }

  @Test("a path that is not PNG: the error names the picture (grid, plot, latent walk, nearest-images grid)")
  func pictureNames() {
    #expect(
      parseError("plot \"c.jpg\"") == "t.gan:1:6: error: cannot write a plot as 'c.jpg': plots are PNG images\n"
        + "  hint: end the path in .png")
    #expect(parseError("interpolate 0 1 \"w.jpg\"").contains("cannot write a latent walk as 'w.jpg': latent walks are"))
    #expect(parseError("nearest 4 \"n.gif\"").contains("cannot write a nearest-images grid as 'n.gif'"))
    #expect(parseError("sample 4 \"s.jpg\"").contains("cannot write a grid as 's.jpg': grids are PNG images"))
    #expect(parseError("show data 4 \"s.jpg\"").contains("cannot write a grid as 's.jpg'"))
  }
}
