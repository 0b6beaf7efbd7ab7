import Foundation
import Testing

@Suite("the toy views through the binary")
struct ToyViewsTests {
  @Test("training on points counts points per second, not images (Golden/toy.gan with timings)")
  func pointsPerSecond() throws {
    let r = try ganrepl(["toy.gan"], in: repositoryRoot + "/Tests/ganreplTests/Golden")
    let trained = r.stdout.split(separator: "\n").first { $0.hasPrefix("trained 4 steps") }.map(String.init) ?? r.stdout
    #expect(trained.contains("(256 points in ") && trained.contains(" points/s)"), "\(trained)")
    #expect(!r.stdout.contains(" images"), "\(r.stdout)")
    #expect(r.status == 1 && r.stderr.contains("'interpolate' draws images, but the generator makes 2-D points"))
  }
}
