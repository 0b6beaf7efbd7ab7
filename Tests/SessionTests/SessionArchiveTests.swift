import Foundation
import Testing

@testable import Session

/// Saved sessions that are damaged or hand-edited (Tests/Hostile/sessions, made by
/// scripts/make-hostile-sessions) give the message in NAME.expected and change nothing;
/// `save` takes nothing it did not make.
@Suite struct SessionArchiveTests {
  static let hostile = (repositoryRoot as NSString).appendingPathComponent("Tests/Hostile/sessions")

  static var hostileNames: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: hostile)) ?? [])
      .filter { !$0.hasSuffix(".expected") }.sorted()
  }

  /// The error `load` gives for `folder`, with the folder's absolute path written as
  /// `sessions/NAME`; nil when it loads.
  static func loadError(_ folder: String, in interpreter: Interpreter) -> String? {
    do {
      try run("load \"\(folder)\"", in: interpreter)
      return nil
    } catch {
      var e = error
      e.location = nil
      return e.description.replacingOccurrences(of: (hostile as NSString).deletingLastPathComponent + "/", with: "")
    }
  }

  @Test("every hostile session gives its expected message and leaves the session as it was", arguments: hostileNames)
  func hostileSession(_ name: String) throws {
    let interpreter = Interpreter()
    try run("set batch 7\nset latent 3\ndata ring count=64", in: interpreter)
    let message = Self.loadError((Self.hostile as NSString).appendingPathComponent(name), in: interpreter)
    let expectedFile = (Self.hostile as NSString).appendingPathComponent(name + ".expected")
    if ProcessInfo.processInfo.environment["GANREPL_RECORD"] != nil, let message {
      try (message + "\n").write(toFile: expectedFile, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOfFile: expectedFile, encoding: .utf8)
    #expect(message.map { $0 + "\n" } == expected, "\(name)")
    #expect(interpreter.state.batch == 7 && interpreter.state.latent == 3)
    #expect(interpreter.state.networks.isEmpty && interpreter.state.step == 0)
    #expect(interpreter.state.dataset?.spec.source == .ring(count: 64))
  }

  @Test("a value typed and the same value loaded break the same rule, in the same words")
  func sameRuleTypedAndLoaded() throws {
    func typed(_ text: String) -> String {
      do {
        _ = try Notebook(text: text, file: "t.gan", variables: [:])
        return ""
      } catch {
        return error.message
      }
    }
    let cases: [(typed: String, hostile: String, words: String)] = [
      ("generator\n dropout 7.5\nend", "dropout-rate-7.5", "7.5, expected a number from 0 to 0.99"),
      ("set real-label 5", "real-label-5", "expected a number from 0 to 1"),
      ("set batch 0", "batch-zero", "expected a whole number from 1 to 4096"),
      ("generator\n conv 4 kernel=-3\nend", "kernel-negative", "expected a whole number from 1 to 64"),
      ("every 0 steps save \"x\"", "every-zero", "expected a whole number from 1 to 1000000000"),
      ("data faces count=-1", "data-count-negative", "expected a whole number from 1 to 1000000"),
      ("generator\n reshape 4294967296x4294967296x2\nend", "reshape-overflow", "from 1 to 16777216"),
    ]
    for c in cases {
      let loaded = try String(
        contentsOfFile: (Self.hostile as NSString).appendingPathComponent(c.hostile + ".expected"), encoding: .utf8)
      #expect(typed(c.typed).contains(c.words.replacingOccurrences(of: "7.5, ", with: "")), "\(c.typed)")
      #expect(loaded.contains(c.words.replacingOccurrences(of: "7.5, ", with: "")), "\(c.hostile)")
    }
  }

  @Test("there is a hostile session for each class of damage")
  func hostileSessionsExist() {
    #expect(Self.hostileNames.count >= 30)
  }
}

/// `save` writes only what it owns, swaps atomically, and says what is wrong in words.
@Suite struct SaveTests {
  static let tiny = """
    set seed 3
    data ring count=32 batch=8
    set latent 2
    generator
      dense 4
      relu
      dense 2
    end
    discriminator
      dense 4
      leakyrelu
      dense 1
      sigmoid
    end
    step 2
    """

  static func trained() throws -> Interpreter {
    let interpreter = Interpreter()
    try run(tiny, in: interpreter)
    return interpreter
  }

  static func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
  }

  static func error(_ text: String, in interpreter: Interpreter) -> String? {
    do {
      try run(text, in: interpreter)
      return nil
    } catch {
      return error.message
    }
  }

  @Test("the user's own photos.previous and photos.saving survive saving photos, twice")
  func userFoldersSurvive() throws {
    let folder = temporaryFolder()
    let interpreter = try Self.trained()
    for name in ["photos.previous", "photos.saving"] {
      try Self.write("mine", to: "\(folder)/\(name)/backup.txt")
      try Self.write("{}", to: "\(folder)/\(name)/session.json")
    }
    try run("save \"\(folder)/photos\"\nstep 1\nsave \"\(folder)/photos\"", in: interpreter)
    for name in ["photos.previous", "photos.saving"] {
      #expect(try String(contentsOfFile: "\(folder)/\(name)/backup.txt", encoding: .utf8) == "mine")
      #expect(try String(contentsOfFile: "\(folder)/\(name)/session.json", encoding: .utf8) == "{}")
    }
    let entries = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(entries == ["photos", "photos.previous", "photos.saving"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: "\(folder)/photos").sorted() == [
        "session.json", "tensors.bin",
      ])
    let loaded = Interpreter()
    try run("load \"\(folder)/photos\"", in: loaded)
    #expect(loaded.state.step == 3)
  }

  @Test(
    "a save interrupted before its swap leaves the old save loadable; the next save or load sweeps only dead leftovers")
  func interruptedSave() throws {
    let folder = temporaryFolder()
    let interpreter = try Self.trained()
    try run("save \"\(folder)/run\"", in: interpreter)
    // What a save killed while writing leaves: a staging folder with a partial file,
    // named for a process that no longer exists.
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    let leftover = "\(folder)/.run.ganrepl-saving-\(dead.processIdentifier)-a1b2c3"
    try Self.write("{\"partial", to: "\(leftover)/session.json")
    // Look-alikes that are not a dead save's: a live process's, and one a user named.
    let live = "\(folder)/.run.ganrepl-saving-1-x9y8z7"
    try Self.write("keep", to: "\(live)/session.json")
    let userMade = "\(folder)/.run.ganrepl-saving-mine"
    try Self.write("keep", to: "\(userMade)/session.json")
    let deadWithUserFile = "\(folder)/.run.ganrepl-saving-\(dead.processIdentifier)-q5w6e7"
    try Self.write("keep", to: "\(deadWithUserFile)/notes.txt")
    // A dead save of another name beside it, untouched for two hours: loading this one
    // sweeps that too; a recent one may be another machine's live save, and stays.
    let otherName = "\(folder)/.other.ganrepl-saving-\(dead.processIdentifier)-z1x2c3"
    try Self.write("{\"partial", to: "\(otherName)/tensors.bin")
    let recent = "\(folder)/.third.ganrepl-saving-\(dead.processIdentifier)-r4t5y6"
    try Self.write("{\"partial", to: "\(recent)/tensors.bin")
    for old in [otherName, leftover] {
      try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: old)
    }

    let reloaded = Interpreter()
    try run("load \"\(folder)/run\" discard", in: reloaded)
    #expect(reloaded.state.step == 2)
    let fm = FileManager.default
    #expect(!fm.fileExists(atPath: otherName))
    #expect(!fm.fileExists(atPath: leftover))
    #expect(fm.fileExists(atPath: recent + "/tensors.bin"))

    try Self.write("{\"partial", to: "\(leftover)/session.json")
    try run("step 1\nsave \"\(folder)/run\"", in: interpreter)
    #expect(!fm.fileExists(atPath: leftover))
    #expect(fm.fileExists(atPath: "\(live)/session.json"))
    #expect(fm.fileExists(atPath: "\(userMade)/session.json"))
    #expect(fm.fileExists(atPath: "\(deadWithUserFile)/notes.txt"))
    try run("load \"\(folder)/run\" discard", in: reloaded)
    #expect(reloaded.state.step == 3)
  }

  @Test("a save folder is created with the usual permissions, not mkdtemp's private ones")
  func permissions() throws {
    let folder = temporaryFolder()
    try run("save \"\(folder)/p\"", in: try Self.trained())
    let mode = try FileManager.default.attributesOfItem(atPath: "\(folder)/p")[.posixPermissions] as? Int
    let mask = umask(0)
    umask(mask)
    #expect(mode == 0o777 & ~Int(mask))
  }

  @Test("save and load say what is wrong with a path in plain words")
  func pathMessages() throws {
    let folder = temporaryFolder()
    let interpreter = try Self.trained()
    try Self.write("text", to: "\(folder)/afile")
    try Self.write("mine", to: "\(folder)/notes/todo.txt")
    let messages: [(command: String, message: String)] = [
      ("save \"\"", "cannot write \"\": the name is empty; give a folder name, such as save \"run1\""),
      ("save \"\(folder)/afile/sub\"", "cannot write \(folder)/afile/sub: '\(folder)/afile' is a file, not a folder"),
      (
        "save \"\(folder)/afile/sub/deeper\"",
        "cannot write \(folder)/afile/sub/deeper: '\(folder)/afile' is a file, not a folder"
      ),
      (
        "save \"\(folder)/afile\"",
        "cannot write \(folder)/afile: it is a file, not a saved session folder; choose another name"
      ),
      (
        "save \"\(folder)/notes\"",
        "cannot write \(folder)/notes: it holds 'todo.txt', which ganrepl did not write;"
          + " choose another name, or move it away"
      ),
      ("load \"\" discard", "cannot read \"\": the name is empty; give the folder of a saved session"),
      (
        "load \"\(folder)/afile\" discard",
        "\(folder)/afile is not a usable saved session: it is a file;"
          + " a saved session is a folder holding session.json and tensors.bin"
      ),
      ("load \"\(folder)/notes\" discard", "\(folder)/notes is not a usable saved session: it has no session.json"),
    ]
    for (command, message) in messages {
      #expect(Self.error(command, in: interpreter) == message, "\(command)")
    }
    #expect(try String(contentsOfFile: "\(folder)/notes/todo.txt", encoding: .utf8) == "mine")
    // Missing folders above the target are made, as before.
    try run("save \"\(folder)/new/deeper/run\"", in: interpreter)
    #expect(FileManager.default.fileExists(atPath: "\(folder)/new/deeper/run/tensors.bin"))
  }

  @Test("the folder a save goes in: before the last slash, trailing slashes dropped")
  func parents() {
    let cases = [("a", ""), ("ab", ""), ("x/a", "x"), ("x//a", "x"), ("/a", "/"), ("/x/y/z", "/x/y"), ("", "")]
    for (path, parent) in cases { #expect(parentFolder(of: path) == parent, "\(path)") }
  }

  @Test("a read-only folder is 'permission denied', not a Foundation error number")
  func readOnly() throws {
    guard geteuid() != 0 else { return }  // root writes anywhere
    let folder = temporaryFolder()
    chmod(folder, 0o555)
    defer { chmod(folder, 0o755) }
    #expect(
      Self.error("save \"\(folder)/run\"", in: try Self.trained())
        == "cannot write \(folder)/run: permission denied for '\(folder)'")
  }

  @Test("loading with the same data keeps it; the saved position must lie inside its epoch")
  func positionAgainstData() throws {
    let folder = temporaryFolder()
    let interpreter = try Self.trained()
    try run("save \"\(folder)/run\"", in: interpreter)
    // A position that passes every field's own rule but not the data's size: 32 samples
    // in batches of 8 make 4 batches.
    let file = "\(folder)/run/session.json"
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
    json["batchInEpoch"] = 4
    json["step"] = 10
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
    let other = try Self.trained()
    let before = other.state.dataset as AnyObject
    #expect(
      Self.error("load \"\(folder)/run\" discard", in: other)
        == "\(file): batchInEpoch is 4, expected 0 to 3 (an epoch of 32 samples in batches of 8 has 4 batches)")
    #expect(other.state.dataset as AnyObject === before && other.state.step == 2 && other.state.batchInEpoch == 2)
    json["batchInEpoch"] = 3
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
    try run("load \"\(folder)/run\" discard", in: other)
    #expect(other.state.dataset as AnyObject === before && other.state.batchInEpoch == 3)
    try run("step 2", in: other)
    #expect(other.state.epoch == 2 && other.state.batchInEpoch == 1)
    // Saved from a folder, the position may not fit because the folder is another one.
    #expect(Interpreter.folderNote(DataSpec(source: .faces(count: 32))) == nil)
    #expect(
      Interpreter.folderNote(DataSpec(source: .folder("pics")))?.contains(
        "or the data folder pics is not the one the session was saved with") == true)
  }
}
