import Foundation
import Testing

/// `notebooks/toy-grid.gan` runs as shipped, shortened (`--set steps=20 --set polish=10`): its
/// recipe (with PacGAN's `pack 2` in D) parses, trains, and reports coverage and plots. Whether
/// it covers the grid takes the full run (release build, minutes; see the notebook's comments).
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
    #expect(r.stdout.contains("0  Pack       pack 2"), "D judges pairs (PacGAN): \(r.stdout)")
  }

  @Test("toy-grid.gan with packs of 3 is refused before training: its batches do not split into threes")
  func packOfThree() throws {
    let out = NSTemporaryDirectory() + "ganrepl-toy-grid-\(UUID().uuidString.prefix(8))"
    let r = try ganrepl([
      repositoryRoot + "/notebooks/toy-grid.gan", "--quiet", "--no-timings", "--set", "steps=20", "--set",
      "polish=10", "--set", "pack=3", "--set", "out=\(out)",
    ])
    #expect(r.status == 1)
    #expect(
      r.stderr.contains("invalid batch '2048': expected a multiple of 3, the discriminator's pack"), "\(r.stderr)")
  }
}
