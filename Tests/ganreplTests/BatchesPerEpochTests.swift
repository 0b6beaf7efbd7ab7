import Testing

@testable import ganrepl

/// What `data` says of an epoch's batches: as training will take them, the last smaller
/// batch or the images left out included.
@Suite("Batches per epoch in words")
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
      presenter.batchesPerEpoch(count: 33, batch: 8, batches: 4)
        == "4 batches of 8 per epoch (1 left out each epoch: keep-last-batch is false)")
    #expect(
      presenter.batchesPerEpoch(count: 16, batch: 64, batches: 0)
        == "no batch of 64 per epoch (keep-last-batch is false)")
  }
}
