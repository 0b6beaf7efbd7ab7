import Foundation
import Testing

@testable import Session

/// The archive's error paths that no hostile session reaches: a folder that is missing or
/// half there, a file that is a folder, an older format version, data that is gone. Each
/// failed load leaves the session as it was.
@Suite struct ArchiveErrorTests {
  /// A session that loads, and an interpreter with settings of its own.
  static func setUp() throws -> (folder: String, interpreter: Interpreter) {
    let interpreter = Interpreter()
    try run("set latent 3\nset batch 7", in: interpreter)
    return (try ArchiveEntryTests.oldSession(), interpreter)
  }

  static func loadError(_ folder: String, in interpreter: Interpreter) -> String? {
    do {
      try run("load \"\(folder)\"", in: interpreter)
      return nil
    } catch {
      return error.message
    }
  }

  static func unchanged(_ interpreter: Interpreter) -> Bool {
    interpreter.state.networks.isEmpty && interpreter.state.latent == 3 && interpreter.state.batch == 7
  }

  static func editJSON(in folder: String, _ edit: (inout [String: Any]) -> Void) throws {
    let file = URL(fileURLWithPath: folder + "/session.json")
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
    edit(&json)
    try JSONSerialization.data(withJSONObject: json).write(to: file)
  }

  @Test("a missing folder, a folder without tensors.bin, and a session.json that is a folder")
  func files() throws {
    let (folder, interpreter) = try Self.setUp()
    #expect(
      Self.loadError(folder + "-nowhere", in: interpreter) == "no such file or folder: \(folder)-nowhere")
    try FileManager.default.removeItem(atPath: folder + "/tensors.bin")
    #expect(
      Self.loadError(folder, in: interpreter) == "\(folder) is not a usable saved session: it has no tensors.bin")
    try FileManager.default.removeItem(atPath: folder + "/session.json")
    try FileManager.default.createDirectory(atPath: folder + "/session.json", withIntermediateDirectories: false)
    #expect(Self.loadError(folder, in: interpreter) == "\(folder)/session.json is not a regular file")
    #expect(Self.unchanged(interpreter))
  }

  @Test("a session.json of a format version before the first is refused, without a word about newer ganrepls")
  func olderVersion() throws {
    let (folder, interpreter) = try Self.setUp()
    try Self.editJSON(in: folder) { $0["version"] = 0 }
    #expect(
      Self.loadError(folder, in: interpreter)
        == "\(folder)/session.json: version is 0; this ganrepl reads version 1")
    #expect(Self.unchanged(interpreter))
  }

  @Test("saved data that cannot be loaded again is a warning: the networks load without it")
  func dataGone() throws {
    let (folder, interpreter) = try Self.setUp()
    try run("data ring count=64", in: interpreter)
    /// The warnings of loading the saved session with its data folder changed to `source`.
    func warnings(loadingWith source: String) throws -> [String] {
      try Self.editJSON(in: folder) { json in
        var data = json["data"] as! [String: Any]
        data["source"] = ["folder": ["_0": source]]
        json["data"] = data
      }
      return try run("load \"\(folder)\" discard", in: interpreter).compactMap { event -> String? in
        if case .warning(let text) = event { return text }
        return nil
      }
    }
    #expect(
      try warnings(loadingWith: folder + "/photos") == [
        "the saved data could not be loaded (no such file or folder: \(folder)/photos);"
          + " load it with 'data' before training"
      ])
    #expect(interpreter.state.dataset == nil && interpreter.state.step == 2 && interpreter.state.networks.count == 2)
    // A relative folder: the warning says what it is relative to.
    #expect(
      try warnings(loadingWith: "no-such-photos") == [
        "the saved data could not be loaded (no such file or folder: no-such-photos); 'no-such-photos' is relative to"
          + " the folder ganrepl was started in, so start ganrepl where it was saved from, or load it with 'data'"
          + " before training"
      ])
    // The absolute path saved beside a relative folder must be absolute.
    try Self.editJSON(in: folder) { $0["dataFolder"] = "photos" }
    #expect(
      Self.loadError(folder, in: interpreter)
        == "\(folder)/session.json: dataFolder is \"photos\", expected an absolute path, from /")
  }
}
