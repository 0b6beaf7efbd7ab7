import Tensors
import Testing

@testable import Session
@testable import ganrepl

/// What `data` says of an epoch's batches: as training will take them, the last smaller
/// batch or the images left out included; and of the files it skipped.
@Suite("What data says")
struct BatchesPerEpochTests {
  let presenter = Presenter(timings: false, live: false)

  @Test("whole batches, a smaller last batch, fewer images than a batch, images left out, none")
  func words() {
    #expect(presenter.batchesPerEpoch(count: 64, batch: 32, batches: 2) == "2 batches of 32 per epoch")
    #expect(presenter.batchesPerEpoch(count: 32, batch: 32, batches: 1) == "1 batch of 32 per epoch")
    #expect(presenter.batchesPerEpoch(count: 33, batch: 8, batches: 5) == "5 batches per epoch: 4 of 8, the last of 1")
    #expect(
      presenter.batchesPerEpoch(count: 16, batch: 64, batches: 1)
        == "1 batch of 16 per epoch (fewer images than the batch size, 64)")
    #expect(
      presenter.batchesPerEpoch(count: 100, batch: 128, batches: 1, unit: "points")
        == "1 batch of 100 per epoch (fewer points than the batch size, 128)")
    #expect(
      presenter.batchesPerEpoch(count: 33, batch: 8, batches: 4)
        == "4 batches of 8 per epoch (1 left out each epoch: keep-last-batch is false)")
    #expect(
      presenter.batchesPerEpoch(count: 16, batch: 64, batches: 0)
        == "no batch of 64 per epoch (keep-last-batch is false)")
  }

  @Test("data names three skipped files and says where the rest are; show data names them all; other ranks' count")
  func skippedFiles() throws {
    let skipped = (1...5).map { (file: "z\($0).jpg", reason: "not a JPEG or PNG file") }
    var summary = DataSummary(
      spec: DataSpec(source: .folder("f")), count: 3, sampleShape: Shape(8, 8, 1), bytes: 192, skipped: skipped,
      seconds: 0, batchesPerEpoch: 1, batch: 3, fromCache: false, cacheFile: nil, cacheNote: nil)
    let loaded = try #require(presenter.text(.dataLoaded(summary)))
    #expect(loaded.hasSuffix("z3.jpg (not a JPEG or PNG file), … ('show data' names all 5)"), "\(loaded)")
    summary.seconds = nil
    let shown = try #require(presenter.text(.dataLoaded(summary)))
    #expect(
      shown.hasSuffix(
        "skipped 5 unreadable files:\n" + skipped.map { "  \($0.file) (\($0.reason))" }.joined(separator: "\n")))
    summary.skippedElsewhere = 2
    #expect(
      try #require(presenter.text(.dataLoaded(summary))).hasSuffix(
        "\nand 2 unreadable files in the other ranks' shares"))
  }

  @Test("show history's line of a step of one network alone carries its SWD score, as a full step's does")
  func partialStepScore() {
    var stats = StepStats(
      step: 44, epoch: 2, batch: 1, batchesPerEpoch: 4, lossD: 0, lossG: 0, dReal: 0, dFake: 0, dFakeAfter: 0,
      seconds: 0.1)
    stats.kind = .generator
    stats.swd = 184.656
    #expect(
      presenter.step(stats).hasSuffix("G only: G loss 0.0000  D(G(z)) 0.000  SWD 184.66"), "\(presenter.step(stats))")
  }
}
