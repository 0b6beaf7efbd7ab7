import Foundation
import Testing

@testable import Tensors

/// `set portable on`: a seeded run of dense networks prints the same numbers whichever
/// kernels OpenBLAS runs (here its SSE3 Prescott kernels against its AVX2 Haswell ones, as
/// on two laptops), and a saved session keeps the setting.
@Suite("set portable")
struct PortableTests {
  static let toy = """
    set portable on
    set seed 1
    data ring count=4096 batch=128
    set latent 8
    generator
      dense 128
      relu
      dense 128
      relu
      dense 2
    end
    discriminator
      dense 128
      relu
      dense 128
      relu
      dense 1
      sigmoid
    end
    optimizer adam lr=1e-3 beta1=0.5
    train 300 steps
    sample 1024 "toy.png"
    save "run"
    """

  @Test(
    "the same lines under OpenBLAS's Prescott and Haswell kernels; load keeps portable on",
    .enabled(if: CPUFeatures.current.hasAVX2FMA, "OpenBLAS's Haswell kernels need AVX2 and FMA"))
  func sameOnOtherKernels() throws {
    let path = try notebook(Self.toy)
    var said: [String] = []
    for core in ["Prescott", "Haswell"] {
      let folder = NSTemporaryDirectory() + "ganrepl-portable-\(UUID().uuidString.prefix(8))"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let run = try ganrepl([path, "--quiet", "--no-timings"], in: folder, environment: ["OPENBLAS_CORETYPE": core])
      #expect(run.status == 0, "\(run.stderr)")
      said.append(run.stdout)
      if core == "Haswell" {
        let loaded = try ganrepl([], input: "load \"run\"\nshow settings\n", in: folder)
        #expect(loaded.stdout.contains("portable on, as the session was saved"), "\(loaded.stdout)")
        #expect(loaded.stdout.contains("portable                 on"), "\(loaded.stdout)")
      }
    }
    #expect(said[0].contains("trained 300 steps: D loss"), "\(said[0])")
    #expect(said[0] == said[1])
  }
}
