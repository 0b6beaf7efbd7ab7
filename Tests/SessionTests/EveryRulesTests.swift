import Foundation
import Testing

@testable import Session

/// `every` rules as a list the user manages: a rule for the same destination replaces the
/// old one, `show every` numbers them, `every off N` removes one, `reset` keeps them and
/// says so; and `load` checks its path before it minds unsaved training.
@Suite("every rules, reset and load")
struct EveryRulesTests {
  /// The notices `text` reports, in order.
  func notices(_ text: String, in interpreter: Interpreter) throws -> [String] {
    try run(text, in: interpreter).compactMap {
      if case .notice(let s) = $0 { return s }
      return nil
    }
  }

  @Test(
    "a rule that writes where another writes replaces it; an identical one is said to exist; others pile up, numbered")
  func replaceAndList() throws {
    let interpreter = Interpreter()
    #expect(try notices("every 2 steps sample 4", in: interpreter) == ["every 2 steps: sample 4"])
    #expect(
      try notices("every 5 steps sample 16", in: interpreter) == [
        "every 5 steps: sample 16 (replaces rule 1, every 2 steps: sample 4, which wrote to the same place;"
          + " 'show every' lists them, 'every off N' removes one)"
      ])
    #expect(
      try notices("every 1 epoch save \"runs/a\"", in: interpreter) == [
        "every epoch: save \"runs/a\" (rule 2 of 2; 'show every' lists them, 'every off N' removes one)"
      ])
    #expect(
      try notices("every 1 epoch save \"runs/a\"", in: interpreter) == [
        "rule 2 already does this: every epoch: save \"runs/a\""
      ])
    #expect(interpreter.state.every.count == 2)
    #expect(
      try notices("show every", in: interpreter) == ["1. every 5 steps: sample 16\n2. every epoch: save \"runs/a\""])
  }

  @Test("an epoch's line comes before what its rules write")
  func epochLineFirst() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nevery 1 epoch sample 4 \"\(folder)/e.png\"", in: interpreter)
    let order = try run("train 2 epochs", in: interpreter).compactMap { event -> String? in
      switch event {
      case .epochFinished(let epoch, _): "epoch \(epoch)"
      case .wrote: "wrote"
      default: nil
      }
    }
    #expect(order == ["epoch 1", "wrote", "epoch 2", "wrote"])
  }

  @Test("a save rule into a folder save may not write is refused when typed, not at its first save")
  func saveFolderChecked() throws {
    let folder = temporaryFolder()
    FileManager.default.createFile(atPath: folder + "/notes.txt", contents: Data("mine".utf8))
    let interpreter = Interpreter()
    do {
      try run("every 5 steps save \"\(folder)\"", in: interpreter)
      Issue.record("no error")
    } catch {
      guard case .cannotWrite(_, let reason, _) = error.kind else { throw error }
      #expect(reason.contains("'notes.txt'"), "\(reason)")
    }
    #expect(interpreter.state.every.isEmpty)
    // A folder per step is checked when it is written; a new folder is fine.
    try run("every 5 steps save \"\(folder)/{step}\"\nevery 1 epoch save \"\(folder)/new\"", in: interpreter)
    #expect(interpreter.state.every.count == 2)
    #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "mine")
  }

  @Test("every off N removes rule N, every off all of them; a number with no rule is an error that changes nothing")
  func remove() throws {
    let interpreter = Interpreter()
    try run("every 2 steps sample 4\nevery 1 epoch save \"a\"\nevery 3 steps sample 4 \"b.png\"", in: interpreter)
    #expect(throws: SessionError.self) { try run("every off 4", in: interpreter) }
    #expect(interpreter.state.every.count == 3)
    #expect(
      try notices("every off 2", in: interpreter) == ["removed rule 2, every epoch: save \"a\"; 2 every rules left"])
    #expect(interpreter.state.every.map(\.action.destination) == [nil, "b.png"])
    #expect(try notices("every off", in: interpreter) == ["removed 2 every rules; no periodic actions"])
    #expect(try notices("show every", in: interpreter) == ["no every rules; add one with 'every 50 steps sample 16'"])
    #expect(parseError("every off 2 3").contains("unexpected '3'"))
    #expect(parseError("every off x").contains("invalid rule"))
  }

  @Test("reset keeps the rules and says how many; without rules its notice is as before")
  func resetKeeps() throws {
    let interpreter = Interpreter()
    #expect(try notices("reset", in: interpreter) == ["networks and training forgotten; data and settings kept"])
    try run("every 2 steps sample 4\nevery 1 epoch save \"a\"", in: interpreter)
    #expect(
      try notices("reset", in: interpreter) == [
        "networks and training forgotten; data and settings kept\n"
          + "kept 2 every rules ('show every' lists them; 'every off' removes them)"
      ])
    #expect(interpreter.state.every.count == 2)
  }

  @Test("load checks the path before the unsaved steps: a path that is not there says so and loses nothing")
  func loadChecksPathFirst() throws {
    let interpreter = Interpreter()
    try run(TrainingOptionsTests.ring() + "\nstep 2", in: interpreter)
    do {
      try run("load \"nowhere\"", in: interpreter)
      Issue.record("loaded nothing")
    } catch {
      #expect(error.message == "no such file or folder: nowhere")
    }
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try run("save \"\(folder)/run\"\nstep 1", in: interpreter)
    do {
      try run("load \"\(folder)/run\"", in: interpreter)
      Issue.record("threw away the unsaved step")
    } catch {
      #expect(error.message == "loading would throw away 1 training step taken since the last save")
    }
    #expect(interpreter.state.step == 3)
    try run("load \"\(folder)/run\" discard", in: interpreter)
    #expect(interpreter.state.step == 2)
  }

  @Test("load says when the rules typed before it gave way to the saved session's; no word when they are the same")
  func loadReplacesRules() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let interpreter = Interpreter()
    try run(TrainingOptionsTests.ring() + "\nevery 5 steps sample 4\nsave \"\(folder)/run\"", in: interpreter)
    #expect(try notices("load \"\(folder)/run\"", in: interpreter).count == 1)
    let said = try notices(
      "every 2 steps sample 8 \"a.png\"\nevery 3 steps sample 2\nload \"\(folder)/run\"", in: interpreter)
    #expect(
      said.last == "the 2 every rules set before the load gave way to the saved session's 1 ('show every' lists them)",
      "\(said)")
    #expect(interpreter.state.every.map(\.description) == ["every 5 steps: sample 4"])
    try run("every off\nsave \"\(folder)/none\"\nevery 2 steps sample 8", in: interpreter)
    #expect(
      try notices("load \"\(folder)/none\"", in: interpreter).last
        == "the 1 every rule set before the load gave way to the saved session's, which has none")
  }
}

extension EveryRulesTests {
  @Test("pictures inside the folder a rule saves the session into are refused when typed, in either order")
  func picturesInsideSaveFolder() throws {
    let folder = temporaryFolder()
    for rules in [
      ["every 50 steps save \"\(folder)/run\"", "every 50 steps sample 4 \"\(folder)/run/s-{step}.png\""],
      ["every 50 steps sample 4 \"\(folder)/run/s-{step}.png\"", "every 50 steps save \"\(folder)/run/\""],
    ] {
      let interpreter = Interpreter()
      try run(rules[0], in: interpreter)
      do {
        try run(rules[1], in: interpreter)
        Issue.record("accepted: \(rules)")
      } catch {
        #expect(error.message.contains("is inside '\(folder)/run', where an every rule saves the session"))
      }
      #expect(interpreter.state.every.count == 1)
    }
    // Beside it is fine.
    try run(
      "every 50 steps save \"\(folder)/run\"\nevery 50 steps sample 4 \"\(folder)/run-pictures/s-{step}.png\"",
      in: Interpreter())
  }

  @Test("a save into a folder holding ganrepl's own picture says ganrepl wrote it, and where pictures belong")
  func saveOverOwnPicture() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nsample 4 \"\(folder)/run/s.png\"", in: interpreter)
    do {
      try run("save \"\(folder)/run\"", in: interpreter)
      Issue.record("saved over a picture")
    } catch {
      #expect(error.message.contains("it holds 's.png', which ganrepl wrote there, but a saved session's folder"))
    }
  }
}

extension EveryRulesTests {
  @Test("load says when relative paths of the saved rules now follow another folder than the one it was saved in")
  func loadElsewhere() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let interpreter = Interpreter()
    try run(
      TrainingOptionsTests.ring() + "\nevery 5 steps sample 4 \"out/{step}.png\"\nevery 9 steps save \"out/run\""
        + "\nsave \"\(folder)/run\"", in: interpreter)
    // Saved here, loaded here: no word.
    #expect(try notices("load \"\(folder)/run\" discard", in: interpreter).count == 1)
    // Saved from another folder (as `session.json` says when ganrepl ran elsewhere).
    let json = folder + "/run/session.json"
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    let here = FileManager.default.currentDirectoryPath
    #expect(object["savedFrom"] as? String == here)
    object["savedFrom"] = "/elsewhere"
    try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: json))
    let said = try notices("load \"\(folder)/run\" discard", in: interpreter)
    #expect(
      said.contains(
        "its every rules write relative to this folder, \(here), not /elsewhere where it was saved"
          + " ('out/{step}.png' and 1 more); 'show every' lists them, 'every off N' removes one"), "\(said)")
  }
}
