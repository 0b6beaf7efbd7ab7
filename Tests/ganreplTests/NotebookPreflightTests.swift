import Foundation
import Testing

/// A notebook's write targets are checked before its first line runs: a `save` at its end
/// into a folder of the user's files stops it before training, not after.
struct NotebookPreflightTests {
  @Test("a notebook whose last save cannot be written exits 1 before its first step, and the folder is kept")
  func lastSaveCheckedFirst() throws {
    let folder = NSTemporaryDirectory() + "ganrepl-preflight-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try FileManager.default.createDirectory(atPath: folder + "/mine", withIntermediateDirectories: true)
    try "notes".write(toFile: folder + "/mine/notes.txt", atomically: true, encoding: .utf8)
    let notebook = folder + "/run.gan"
    try (tinyGAN + "\nstep 2\nsave \"\(folder)/mine\"\n").write(toFile: notebook, atomically: true, encoding: .utf8)
    let result = try ganrepl([notebook])
    #expect(result.status == 1)
    #expect(result.stderr.contains("it holds 'notes.txt', which ganrepl did not write"), "\(result.stderr)")
    #expect(result.stderr.contains("note: checked before the notebook ran: nothing has run yet"))
    #expect(!result.stdout.contains("step 1"), "\(result.stdout)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/mine") == ["notes.txt"])
  }
}
