import Foundation
import Testing

/// `export` and `import` as a user runs them: Golden/export.gan against its transcript.
@Suite struct ExportGoldenTests {
  @Test("a seeded export, samples, import and a refused import match Golden/export.txt (RECORD_SNAPSHOTS=1 re-records)")
  func golden() throws {
    let goldenFolder = repositoryRoot + "/Tests/ganreplTests/Golden"
    let r = try ganrepl(["export.gan", "--no-timings"], in: goldenFolder)
    let expectedPath = "\(goldenFolder)/export.txt"
    let transcript = r.stdout + (r.stderr.isEmpty ? "" : "--- stderr\n" + r.stderr)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try transcript.write(toFile: expectedPath, atomically: true, encoding: .utf8)
      Issue.record("re-recorded \(expectedPath); run again without RECORD_SNAPSHOTS")
      return
    }
    #expect(r.status == 1)
    #expect(transcript == (try String(contentsOfFile: expectedPath, encoding: .utf8)))
  }
}
