import Tensors
import Testing

@testable import Session

@Suite("Epoch position")
struct EpochPositionTests {
  @Test("the last batch of an epoch finishes it and the next epoch draws a new order")
  func advance() {
    var position = EpochPosition()
    let shuffle = RandomSource(seed: 3)
    let first = position.order(of: 10, shuffle: shuffle)
    #expect(position.advance(batchesPerEpoch: 2) == nil)
    #expect(position.order(of: 10, shuffle: shuffle) == first)
    #expect(position.advance(batchesPerEpoch: 2) == 1)
    #expect(position.epoch == 2 && position.batchInEpoch == 0 && position.shuffleState == nil)
    #expect(position.order(of: 10, shuffle: shuffle) != first)
  }

  @Test("a restored position mid-epoch draws its order again from the saved shuffle state, not from the stream")
  func restored() {
    var position = EpochPosition()
    let order = position.order(of: 20, shuffle: RandomSource(seed: 5))
    _ = position.advance(batchesPerEpoch: 4)
    var restored = EpochPosition(epoch: 1, batchInEpoch: 1, shuffleState: position.shuffleState)
    let stream = RandomSource(seed: 99)
    let streamState = stream.generator.state
    #expect(restored.order(of: 20, shuffle: stream) == order)
    #expect(stream.generator.state == streamState)
  }

  @Test("a new batch size mid-epoch starts the epoch again; the same size keeps the position")
  func batchSizeRestartsEpoch() throws {
    let interpreter = try TrainingOptionsTests.session(then: "step 3")
    try run("set batch 16", in: interpreter)
    #expect(interpreter.state.batchInEpoch == 3)
    try run("set batch 32", in: interpreter)
    try #require(interpreter.state.epoch == 1 && interpreter.state.batchInEpoch == 0)
    #expect(interpreter.state.epochShuffleState == nil)
    try run("step 2", in: interpreter)
    #expect(interpreter.state.epoch == 2 && interpreter.state.step == 5)
  }
}
