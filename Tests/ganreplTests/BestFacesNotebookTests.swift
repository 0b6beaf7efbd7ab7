import Foundation
import Testing

/// `notebooks/best-faces.gan` runs as shipped, shortened (`--set steps=2 --set scored=32`):
/// its recipe parses, trains with augmentation and a moving average of G, writes its grids
/// and scores the average and G's own weights. Whether
/// it beats the classic recipe takes the full run (release build; see its comments).
@Suite("best-faces notebook")
struct BestFacesNotebookTests {
  @Test("best-faces.gan, shortened, trains augmented with `set ema` (its first layer at K = 3) and prints both SWDs")
  func shortened() throws {
    let faces = (repositoryRoot as NSString).appendingPathComponent("../shared/data/celeba-gray-1500")
    guard FileManager.default.fileExists(atPath: faces) else {
      print("skipped: ../shared/data/celeba-gray-1500 is absent")
      return
    }
    let out = NSTemporaryDirectory() + "ganrepl-best-faces-\(UUID().uuidString.prefix(8))"
    let r = try ganrepl([
      repositoryRoot + "/notebooks/best-faces.gan", "--quiet", "--no-timings", "--set", "steps=2", "--set",
      "scored=32", "--set", "data=\(faces)", "--set", "out=\(out)",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains("augment translation shift=0.0625\n") && r.stdout.contains("real-label 0.9"), "\(r.stdout)")
    #expect(r.stdout.contains("SWD "), "\(r.stdout)")
    // The first deconv and its batchnorm averaged with their own K, the rest with 10.
    #expect(
      r.stdout.contains("ema-warmup 3 for the weights of layers 0 (deconv 512")
        && r.stdout.contains("now ema-warmup 10; 3 for layers 0..1"), "\(r.stdout)")
    // Each scored in inference mode and with `mode=train`.
    #expect(
      r.stdout.components(separatedBy: "32 generated images at step 2 (moving average) vs").count == 3, "\(r.stdout)")
    #expect(r.stdout.components(separatedBy: "32 generated images at step 2 vs").count == 3, "\(r.stdout)")
    for grid in ["final.png", "final-raw.png"] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + grid), "\(grid)")
    }
  }
}
