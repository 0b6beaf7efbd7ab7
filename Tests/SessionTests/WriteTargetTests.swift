import Foundation
import Testing

@testable import Session

/// A notebook checks every path it writes before its first line runs, and an `every` rule
/// checks its folder when typed: a run is not lost at its last line.
struct WriteTargetTests {
  /// A folder nothing can be created in, even by root (`chattr +i`), or nil where the file
  /// system does not allow making one; `release` makes it writable again.
  func lockedFolder() -> (path: String, release: () -> Void)? {
    let folder = temporaryFolder() + "/locked"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    chmod(folder, 0o555)
    let lock = Process()
    lock.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    lock.arguments = ["+i", folder]
    try? lock.run()
    lock.waitUntilExit()
    let release = {
      let unlock = Process()
      unlock.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
      unlock.arguments = ["-i", folder]
      try? unlock.run()
      unlock.waitUntilExit()
      chmod(folder, 0o755)
    }
    guard access(folder, W_OK) != 0 else {
      release()
      return nil
    }
    return (folder, release)
  }

  func preflight(_ text: String) -> String {
    do {
      try Notebook(text: text, file: "t.gan", variables: [:]).checkWriteTargets()
      return "no error"
    } catch {
      return error.description
    }
  }

  @Test("a save into a folder of the user's files stops the notebook at that line before anything runs")
  func saveIntoUserFolder() throws {
    let folder = temporaryFolder()
    try FileManager.default.createDirectory(atPath: folder + "/mine", withIntermediateDirectories: true)
    try "notes".write(toFile: folder + "/mine/notes.txt", atomically: true, encoding: .utf8)
    let error = preflight("data faces count=8 size=8\nstep 1000\nsave \"\(folder)/mine\"")
    #expect(error.hasPrefix("t.gan:3:1: error: cannot write \(folder)/mine: it holds 'notes.txt'"))
    #expect(error.hasSuffix("\n  note: checked before the notebook ran: nothing has run yet"))
    #expect(preflight("save \"\(folder)/new/run\"\nsample 4 \"\(folder)/new/g.png\"") == "no error")
  }

  /// Whether this machine can make a folder nobody writes in (root ignores modes; chattr).
  static let canLock: Bool = {
    guard let locked = WriteTargetTests().lockedFolder() else { return false }
    locked.release()
    return true
  }()

  @Test(
    "pictures, exports, CSVs and rules into a folder that cannot be written are named before anything runs",
    .enabled(if: WriteTargetTests.canLock, "this file system cannot make a folder root may not write in (chattr +i)"))
  func lockedFolders() throws {
    let locked = try #require(lockedFolder())
    defer { locked.release() }
    for line in [
      "sample 4 \"\(locked.path)/g.png\"", "export generator \"\(locked.path)/deeper/g.safetensors\"",
      "show history 5 \"\(locked.path)/h.csv\"", "every 5 steps sample 4 \"\(locked.path)/{step}.png\"",
      "every 5 steps save \"\(locked.path)/run\"", "save \"\(locked.path)/run\"", "record \"\(locked.path)/r.gan\"",
    ] {
      #expect(
        preflight("data faces count=8 size=8\n" + line).hasPrefix("t.gan:2:1: error: cannot write \(locked.path)/"))
    }
    // Typed at the prompt, a rule is checked at once.
    let interpreter = Interpreter()
    #expect(throws: SessionError.self) { try run("every 5 steps sample 4 \"\(locked.path)/g.png\"", in: interpreter) }
    #expect(interpreter.state.every.isEmpty)
  }

  @Test(
    "a system folder whose permission bits allow writing but which takes no file is named before anything runs",
    .enabled(if: access("/proc", W_OK) == 0, "/proc is not writable by its bits here (not root)"))
  func systemFolder() {
    #expect(
      preflight("data faces count=8 size=8\nstep 2\nsample 4 \"/proc/g.png\"").hasPrefix(
        "t.gan:3:1: error: cannot write /proc/g.png: '/proc' takes no new files (a system folder)"))
    #expect(preflight("save \"/proc/run\"").contains("'/proc' takes no new files"))
  }

  @Test("a notebook file record did not write is named before anything runs; a name of a folder is refused")
  func otherTargets() throws {
    let folder = temporaryFolder()
    try "data faces\n".write(toFile: folder + "/mine.gan", atomically: true, encoding: .utf8)
    #expect(preflight("step\nrecord \"\(folder)/mine.gan\"").contains("'record' did not write it, so it is kept"))
    try FileManager.default.createDirectory(atPath: folder + "/d.png", withIntermediateDirectories: true)
    #expect(preflight("sample 4 \"\(folder)/d.png\"").contains("it is a folder; give a file name"))
    #expect(WriteTarget.fixedPart(of: "out/run-{step}/g.png") == "out/_")
    #expect(WriteTarget.fixedPart(of: "{step}.png") == "_")
  }
}

/// `{step}`, `{epoch}` and `{index}` in a typed command's path, filled as an `every` rule's.
struct PathPlaceholderTests {
  @Test("save, sample, export and show history fill {step} and {epoch} with where training is")
  func filled() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(
      tinyGAN + "\nstep 2\nsave \"\(folder)/final-{step}\"\nsample 4 \"\(folder)/s-{epoch}-{step}.png\"\n"
        + "export generator \"\(folder)/g-{step}.safetensors\"\nshow history 2 \"\(folder)/h-{step}.csv\"",
      in: interpreter)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(files == ["final-2", "g-2.safetensors", "h-2.csv", "s-1-2.png"])
    try run("record \"\(folder)/r-{step}.gan\"", in: interpreter)
    #expect(FileManager.default.fileExists(atPath: folder + "/r-2.gan"))
    // After a whole epoch, {epoch} is the epoch that ended, as a rule's at that step.
    try run("train 1 epochs\nsample 4 \"\(folder)/e{epoch}-i{index}.png\"", in: interpreter)
    #expect(FileManager.default.fileExists(atPath: folder + "/e1-i4.png"))
  }

  @Test("a placeholder other than {epoch}, {step} and {index} is refused, in a rule when typed")
  func typo() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    #expect(throws: SessionError.self) { try run("every 5 steps sample 4 \"\(folder)/e-{setp}.png\"", in: interpreter) }
    #expect(interpreter.state.every.isEmpty)
    do {
      try run(tinyGAN + "\nstep\nsave \"\(folder)/run-{Step}\"", in: interpreter)
      Issue.record("saved")
    } catch {
      #expect(error.message.hasSuffix("'{Step}' is no placeholder; a path takes {epoch}, {step} and {index}"))
    }
  }
}
