import Foundation
import Synchronization
import Testing

@testable import Session

/// `record`: the lines that ran, written as a notebook that rebuilds the same session.
struct RecordTests {
  /// The losses of every recorded step, as bits.
  func lossBits(_ interpreter: Interpreter) -> [[UInt32]] {
    interpreter.state.history.map { s in
      [s.lossD, s.lossG, s.dReal, s.dFake].map(\.bitPattern)
    }
  }

  /// Runs the notebook at `path` in a new interpreter.
  func replay(_ path: String) throws -> Interpreter {
    let replayed = Interpreter()
    try run(String(contentsOfFile: path, encoding: .utf8), in: replayed)
    return replayed
  }

  @Test("a recorded notebook rebuilds the session: the same steps, the same bits, without the --set it had")
  func replaysExactly() throws {
    let folder = temporaryFolder()
    let path = folder + "/r.gan"
    let first = Interpreter(variables: ["n": "3"])
    try run(tinyGAN + "\nparam n = 2\nstep $n\nhelp step\nshow history\ntrain 1 epochs\nrecord \"\(path)\"", in: first)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix(Transcript.mark))
    #expect(text.contains("\nparam n = \"3\"  # --set n=3; the line said: param n = 2\n"))
    #expect(!text.contains("help step") && !text.contains("\nrecord "))
    #expect(text.contains("\ngenerator init=normal\n  dense 4*4*8\n"))
    let second = try replay(path)
    #expect(second.state.step == first.state.step && first.state.step == 5)
    #expect(lossBits(second) == lossBits(first))
  }

  @Test("training stopped part-way is written as the steps it took")
  func stoppedTraining() throws {
    let folder = temporaryFolder()
    let path = folder + "/r.gan"
    let stop = Atomic(false)
    let first = Interpreter(shouldStop: { stop.load(ordering: .relaxed) })
    try run(tinyGAN, in: first)
    let notebook = try Notebook(text: "train 3 epochs", file: "t.gan", variables: [:])
    _ = try first.execute(notebook.commands[0]) { event in
      if case .progress(let p) = event, p.done == 3 { stop.store(true, ordering: .relaxed) }
    }
    stop.store(false, ordering: .relaxed)
    try run("record \"\(path)\"", in: first)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasSuffix("# 'train 3 epochs' stopped after 3 of its 15 steps\ntrain 3 steps\n"))
    let second = try replay(path)
    #expect(second.state.step == 3)
    #expect(lossBits(second) == lossBits(first))
  }

  @Test("failed lines are left out, and a block keeps only the layers it was defined with")
  func failedLinesLeftOut() throws {
    let interpreter = Interpreter()
    var parser = Parser(file: "t.gan")
    let lines = [
      "sample 4", "data faces count=16 size=8 batch=4", "generator", "dense 8*8*3", "actvation relu", "reshape 8x8x3",
      "end", "step",
    ]
    for (i, line) in lines.enumerated() {
      guard let command = try? parser.read(line, number: i + 1, variables: [:]) else { continue }
      _ = try? interpreter.execute(command) { _ in }
    }
    #expect(
      interpreter.transcript.lines == [
        "data faces count=16 size=8 batch=4", "generator\n  dense 8*8*3\n  reshape 8x8x3\nend",
      ])
  }

  @Test("a load the REPL let discard training says discard")
  func confirmedLoad() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep\nsave \"\(folder)/s\"\nstep", in: interpreter)
    let load = Located(
      Command.load(path: folder + "/s", discard: true), at: SourceLocation(file: "<stdin>", line: 9, column: 1),
      source: "load \"\(folder)/s\"   # back to the save")
    _ = try interpreter.execute(load) { _ in }
    #expect(interpreter.transcript.lines.last == "load \"\(folder)/s\" discard")
  }

  @Test("training that an every rule's error ended is written as the steps it took")
  func failedRule() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nevery 2 steps sample 1 \"\(folder)/sub/x.png\"", in: interpreter)
    try "in the way".write(toFile: folder + "/sub", atomically: true, encoding: .utf8)  // the rule fails at step 1
    #expect(throws: SessionError.self) { try run("train 1 steps", in: interpreter) }
    #expect(interpreter.state.step == 1)
    #expect(interpreter.transcript.lines.last == "# 'train 1 steps' failed after 1 of its 1 steps\ntrain 1 steps")
  }

  @Test("a file record did not write is kept; a recorded one is replaced; the name must end in .gan")
  func keepsOtherFiles() throws {
    let folder = temporaryFolder()
    let mine = folder + "/mine.gan"
    try "data faces\n".write(toFile: mine, atomically: true, encoding: .utf8)
    let interpreter = Interpreter()
    try run("data faces count=16 size=8", in: interpreter)
    #expect(throws: SessionError.self) { try run("record \"\(mine)\"", in: interpreter) }
    #expect(try String(contentsOfFile: mine, encoding: .utf8) == "data faces\n")
    try run("record \"\(folder)/r.gan\"\nset seed 4\nrecord \"\(folder)/r.gan\"", in: interpreter)
    #expect(try String(contentsOfFile: folder + "/r.gan", encoding: .utf8).hasSuffix("\nset seed 4\n"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/r.orig.gan"), "its own recording, replaced")
    // Edited since, or another session's: kept aside, not replaced.
    try (String(contentsOfFile: folder + "/r.gan", encoding: .utf8) + "# my edit\n").write(
      toFile: folder + "/r.gan", atomically: true, encoding: .utf8)
    let events = try run("record \"\(folder)/r.gan\"", in: interpreter)
    #expect(try String(contentsOfFile: folder + "/r.orig.gan", encoding: .utf8).hasSuffix("# my edit\n"))
    #expect(events.contains { if case .wrote(_, let what) = $0 { what.contains("kept as") } else { false } })
    try run("set seed 5\nrecord \"\(folder)/r.gan\"", in: Interpreter())
    #expect(try String(contentsOfFile: folder + "/r.orig-2.gan", encoding: .utf8).contains("\nset seed 4\n"))
    #expect(parseError("record \"r.txt\"").contains("expected a name ending in .gan"))
    try FileManager.default.createDirectory(atPath: folder + "/d.gan", withIntermediateDirectories: true)
    #expect(throws: SessionError.self) { try run("record \"\(folder)/d.gan\"", in: interpreter) }
  }
}

extension RecordTests {
  @Test("a step refused for a NaN leaves the random streams and the epoch's order as they were")
  func refusedStepKeepsStreams() throws {
    let interpreter = Interpreter()
    try run(DiagnosisTests.ring + "\noptimizer sgd lr=10\nstep 7", in: interpreter)
    let (streams, position) = (interpreter.state.random.states, interpreter.state.position)
    #expect(throws: SessionError.self) { try run("step", in: interpreter) }
    #expect(interpreter.state.random.states == streams)
    #expect(interpreter.state.position == position)
    #expect(interpreter.state.step == 7)
  }
}

extension RecordTests {
  @Test("a record that loads a session saved over since says its replay loads the later save")
  func loadSavedOver() throws {
    let folder = temporaryFolder()
    try run(tinyGAN + "\nstep\nsave \"\(folder)/s\"", in: Interpreter())
    let interpreter = Interpreter()
    let quiet = try run("load \"\(folder)/s\"\nstep\nrecord \"\(folder)/a.gan\"", in: interpreter)
    #expect(!quiet.contains { if case .warning = $0 { true } else { false } })
    let events = try run("save \"\(folder)/s/\"\nrecord \"\(folder)/a.gan\"", in: interpreter)
    let warnings = events.compactMap { if case .warning(let text) = $0 { text } else { nil } }
    #expect(
      warnings.count == 1 && warnings[0].hasPrefix("the record loads \"\(folder)/s\", which this session saved over"))
    // A record that made the save it loads makes it again when it runs: no warning.
    let own = Interpreter()
    let made = try run(
      tinyGAN + "\nstep\nsave \"\(folder)/t\"\nstep\nload \"\(folder)/t\" discard\nstep\nsave \"\(folder)/t\""
        + "\nrecord \"\(folder)/b.gan\"", in: own)
    #expect(!made.contains { if case .warning = $0 { true } else { false } }, "\(made)")
  }
}

extension RecordTests {
  @Test("the command record names to run its file again reads back in a shell: quoted when the path needs it")
  func shellWords() {
    #expect(Interpreter.shellWord("out/rec.gan") == "out/rec.gan")
    #expect(Interpreter.shellWord("p rec/r.gan") == "\"p rec/r.gan\"")
    #expect(Interpreter.shellWord("a$b\"c`d\\e") == "\"a\\$b\\\"c\\`d\\\\e\"")
  }
}
