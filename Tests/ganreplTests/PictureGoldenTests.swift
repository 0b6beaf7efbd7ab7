import Foundation
import Testing

@Suite("Inline pictures in golden transcripts")
struct PictureGoldenTests {
  @Test(
    "Golden/pictures.gan through a pipe (files in pictures/) and as ASCII art match their transcripts (RECORD_SNAPSHOTS=1 re-records)",
    arguments: [
      ("pictures-pipe", [String: String]()),
      ("pictures-ascii", ["GANREPL_PICTURES": "ascii", "COLUMNS": "60", "LINES": "30"]),
    ])
  func golden(name: String, environment: [String: String]) throws {
    let golden = repositoryRoot + "/Tests/ganreplTests/Golden"
    let folder = NSTemporaryDirectory() + "ganrepl-golden-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // Only the folder differs between runs; the notebook is run from where its pictures go.
    try FileManager.default.copyItem(atPath: golden + "/pictures.gan", toPath: folder + "/pictures.gan")
    var variables = environment
    if variables["GANREPL_PICTURES"] == nil { variables["GANREPL_PICTURES"] = "" }
    let r = try ganrepl(["pictures.gan", "--no-timings"], in: folder, environment: variables)
    let transcript = r.stdout + (r.stderr.isEmpty ? "" : "--- stderr\n" + r.stderr)
    let expectedPath = "\(golden)/\(name).txt"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try transcript.write(toFile: expectedPath, atomically: true, encoding: .utf8)
      Issue.record("re-recorded \(expectedPath); run again without RECORD_SNAPSHOTS")
      return
    }
    #expect(transcript == (try String(contentsOfFile: expectedPath, encoding: .utf8)), "\(name) differs")
    #expect(!transcript.contains("\u{1B}"))
  }
}
