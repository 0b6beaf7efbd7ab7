import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// A seeded run gives the same numbers on any number of threads: the `set threads` of
/// another session (another test in this process), `taskset`, or another machine's cores
/// change how work is shared, never the result. Each run asks for its threads through a
/// task-local `ParallelProbe`, leaving the process-wide `BLAS.threads` alone.
@Suite("Same numbers on any number of threads")
struct ThreadCountDeterminismTests {
  /// The toy grid at batch 1024 with 128-wide layers: its GEMMs are large enough to be cut.
  static let toy = """
    set seed 3
    data grid count=2048 batch=1024
    set latent 8
    generator
      dense 128
      batchnorm
      relu
      dense 2
    end
    discriminator
      pack 2
      dense 128
      leakyrelu 0.2
      dense 1
      sigmoid
    end
    optimizer adam lr=1e-3 beta1=0.5
    step 3
    """

  /// Every weight of both networks and every step's losses, after `text` on `threads` threads.
  static func outcome(_ text: String, threads: Int) throws -> (weights: [[Float]], losses: [[Float]], split: Int) {
    let interpreter = Interpreter()
    let probe = ParallelProbe(threads: threads)
    try ParallelProbe.$current.withValue(probe) { try run(text, in: interpreter) }
    let weights = [NetworkRole.generator, .discriminator].flatMap { role in
      interpreter.state.networks[role]!.namedParameters.map(\.parameter.value.values)
    }
    let losses = interpreter.state.history.map { [$0.lossD, $0.lossG, $0.dReal, $0.dFake, $0.dFakeAfter] }
    return (weights, losses, probe.largestSplit)
  }

  @Test("three toy steps on 1, 2 and 3 threads leave the same weights and losses, bit for bit")
  func toySteps() throws {
    let one = try Self.outcome(Self.toy, threads: 1)
    for threads in [2, 3] {
      let other = try Self.outcome(Self.toy, threads: threads)
      #expect(other.split == threads, "asked for \(threads) threads, work split \(other.split) ways")
      #expect(other.losses == one.losses, "\(threads) threads: \(other.losses) vs \(one.losses)")
      let sameWeights = other.weights == one.weights
      #expect(sameWeights, "\(threads) threads: weights differ from 1 thread's")
    }
  }

  @Test("eval swd scores the same generator the same on 1 and 3 threads")
  func swd() throws {
    let text = tinyGAN + "\nstep 2\neval swd count=8"
    func score(threads: Int) throws -> Double? {
      let interpreter = Interpreter()
      let events = try ParallelProbe.$current.withValue(ParallelProbe(threads: threads)) {
        try run(text, in: interpreter)
      }
      return SWDCommandTests.scores(events).first?.mean
    }
    let (one, three) = (try score(threads: 1), try score(threads: 3))
    #expect(one != nil && one == three, "1 thread: \(one ?? .nan), 3 threads: \(three ?? .nan)")
  }

  @Test("two steps of a small conv GAN (its convs' backward input in blocks) on 1, 2 and 3 threads")
  func convSteps() throws {
    let one = try Self.outcome(tinyGAN + "\nstep 2", threads: 1)
    for threads in [2, 3] {
      let other = try Self.outcome(tinyGAN + "\nstep 2", threads: threads)
      #expect(other.split > 1, "asked for \(threads) threads, the work was never split")
      #expect(other.losses == one.losses, "\(threads) threads: \(other.losses) vs \(one.losses)")
      let sameWeights = other.weights == one.weights
      #expect(sameWeights, "\(threads) threads: weights differ from 1 thread's")
    }
  }
}
