import Foundation
import Testing

/// `set sync-batchnorm true` under mpirun: BatchNorm's batch statistics and backward sums
/// summed over the ranks, so a BatchNorm network follows one process to float rounding. The
/// layers before a BatchNorm have no bias, as in the DCGAN: BatchNorm removes it, so its
/// gradient is rounding noise alone, which Adam scales up to full-size steps.
@Suite(.serialized, .enabled(if: mpirunPath != nil, "Open MPI's mpirun is not installed (scripts/install-deps)"))
struct MPIBatchNormTests {
  /// MPITests' small conv net with a BatchNorm in each network, synced.
  static let batchNormGAN = MPITests.smallConv
    .replacingOccurrences(of: "set seed 7", with: "set seed 13\nset sync-batchnorm true")
    .replacingOccurrences(
      of: "dense 2*2*8\n  reshape 2x2x8\n", with: "dense 2*2*8 bias=false\n  reshape 2x2x8\n  batchnorm\n"
    )
    .replacingOccurrences(
      of: "conv 4 kernel=4 stride=2 padding=same\n",
      with: "conv 4 kernel=4 stride=2 padding=same bias=false\n  batchnorm\n")

  @Test("a BatchNorm network under -n 2 and -n 3 with sync-batchnorm follows one process")
  func syncedFollowsOneProcess() throws {
    #expect(Self.batchNormGAN.components(separatedBy: "  batchnorm\n").count == 3, "\(Self.batchNormGAN)")
    #expect(Self.batchNormGAN.components(separatedBy: "bias=false").count == 3, "\(Self.batchNormGAN)")
    try MPITests().compareWithOneProcess(Self.batchNormGAN, ranks: [2, 3])
  }

  @Test("show settings lists sync-batchnorm under mpirun")
  func settingShown() throws {
    let path = try notebook("set sync-batchnorm true\nshow settings\n")
    let run = try mpirun(2, ["--no-timings", path], in: (path as NSString).deletingLastPathComponent)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("sync-batchnorm true"), "\(run.stdout)")
  }
}
