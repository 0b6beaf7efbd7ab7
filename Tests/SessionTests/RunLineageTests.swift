import Foundation
import Testing

@testable import Session

/// Each training run has a name (`SessionState.run`) that a save keeps: a rule `load`
/// brought does not replace another run's save, and a save that replaces one says so.
struct RunLineageTests {
  /// A run with a checkpoint rule into `folder/ckpt`, saved whole into `folder/session`.
  func savedRun(in folder: String) throws {
    try run(
      tinyGAN + "\nevery 2 steps save \"\(folder)/ckpt\"\ntrain 3 steps\nsave \"\(folder)/session\"", in: Interpreter())
  }

  func wroteLines(_ events: [SessionEvent]) -> [String] {
    events.compactMap { if case .wrote(let path, let what) = $0 { "\(path): \(what)" } else { nil } }
  }

  @Test("after load and reset, the loaded run's checkpoint rule refuses to replace its checkpoint, before any step")
  func resetRunKeepsCheckpoint() throws {
    let folder = temporaryFolder()
    try savedRun(in: folder)
    let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/ckpt/tensors.bin"))
    let interpreter = Interpreter()
    try run("load \"\(folder)/session\"\nreset", in: interpreter)
    let networks = tinyGAN.split(separator: "\n").drop { !$0.contains("generator") }.joined(separator: "\n")
    try run(networks, in: interpreter)
    do {
      try run("step 2", in: interpreter)
      Issue.record("the inherited rule replaced another run's checkpoint")
    } catch {
      #expect(error.message.contains("it holds another run's saved session (at step 3), and rule 1"))
      #expect(error.message.contains("type the rule again to keep it"))
    }
    #expect(interpreter.state.step == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/ckpt/tensors.bin")) == before)
    // Typed again, the rule is the user's: it saves, and says what it replaced.
    let events = try run("every 2 steps save \"\(folder)/ckpt\"\nstep", in: interpreter)
    #expect(
      events.contains {
        if case .notice(let text) = $0 { text.hasSuffix("typed here it is this run's own") } else { false }
      })
    #expect(
      wroteLines(events) == [
        "\(folder)/ckpt: session at step 1, 171 KiB of tensors; replaced another run's session, at step 3"
      ])
  }

  @Test("the same run goes on saving into its checkpoint after a load, without a word")
  func sameRunResumes() throws {
    let folder = temporaryFolder()
    try savedRun(in: folder)
    let interpreter = Interpreter()
    let events = try run("load \"\(folder)/session\"\ntrain 2 steps", in: interpreter)
    #expect(wroteLines(events) == ["\(folder)/ckpt: session at step 5, 171 KiB of tensors"])
    let saved = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: folder + "/ckpt/session.json")))
    #expect((saved as? [String: Any])?["run"] as? String == interpreter.state.run)
  }

  @Test("a session's run must be hex digits and dashes")
  func runValidated() throws {
    let folder = temporaryFolder()
    try savedRun(in: folder)
    let file = folder + "/session/session.json"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let found = try #require(text.firstRange(of: /"run" *: *"[0-9a-f]+"/))
    try text.replacingCharacters(in: found, with: "\"run\":\"../x\"").write(
      toFile: file, atomically: true, encoding: .utf8)
    #expect(throws: SessionError.self) { try run("load \"\(folder)/session\"", in: Interpreter()) }
  }
}

/// `load` says when the data folder holds another number of images than when the session
/// was saved: training goes on, but not as the saved run would have.
struct SavedDataCountTests {
  @Test("a folder that gained an image since the save is named on load; an unchanged one is not")
  func changedFolderWarned() throws {
    let folder = temporaryFolder()
    let images = folder + "/images"
    try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
    func write(_ i: Int) throws {
      let pixels = (0..<(16 * 16 * 3)).map { UInt8(truncatingIfNeeded: $0 &* (i + 3)) }
      try DecodedImage(width: 16, height: 16, channels: 3, pixels: pixels).writePNG(to: images + "/\(i).png")
    }
    for i in 0..<12 { try write(i) }
    let networks = tinyGAN.split(separator: "\n").drop { !$0.contains("set latent") }.joined(separator: "\n")
    try run(
      "data \"\(images)\" size=16 batch=4 cache=false\n" + networks + "\nstep\nsave \"\(folder)/s\"", in: Interpreter())
    func warnings() throws -> [String] {
      try run("load \"\(folder)/s\"", in: Interpreter()).compactMap {
        if case .warning(let text) = $0, text.contains("when the session was saved") { text } else { nil }
      }
    }
    #expect(try warnings().isEmpty)
    // As many images, one of them another: its own warning.
    let pixels = (0..<(8 * 8 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try DecodedImage(width: 8, height: 8, channels: 3, pixels: pixels).writePNG(to: images + "/5.png")
    #expect(
      try warnings() == [
        "the data folder holds other files now than when the session was saved (as many, but other names or sizes):"
          + " training goes on, with other images than the saved run would have seen"
      ])
    try write(12)
    #expect(
      try warnings() == [
        "the data holds 13 images now, but 12 when the session was saved: training goes on, with other batches"
          + " than the saved run would have taken"
      ])
  }
}
