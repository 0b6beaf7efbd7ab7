import Foundation
import Testing

/// `notebooks/toy-grid.gan` runs as shipped, shortened (`--set steps=20 --set polish=10`): its recipe
/// parses, trains, and reports coverage and plots. Whether it covers the grid takes the
/// full run (release build, seconds; see the notebook's comments).
@Suite("toy-grid notebook")
struct ToyGridNotebookTests {
  @Test("toy-grid.gan, shortened, trains and reports the modes it covers")
  func shortened() throws {
    let out = NSTemporaryDirectory() + "ganrepl-toy-grid-\(UUID().uuidString.prefix(8))"
    let r = try ganrepl([
      repositoryRoot + "/notebooks/toy-grid.gan", "--quiet", "--no-timings", "--set", "steps=20", "--set",
      "polish=10", "--set", "out=\(out)",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("modes covered"), "\(r.stdout)")
    #expect(r.stdout.contains("of 25"), "\(r.stdout)")
    #expect(FileManager.default.fileExists(atPath: out + "/final.png"))
  }
}
