import Foundation
import Layers
import Tensors
import TestSupport
import Testing

/// Synced BatchNorm (`set sync-batchnorm true` under mpirun): ranks on threads, each with
/// its rows of the batch, their sums exchanged through `RanksOnThreads`, against one
/// BatchNorm on the whole batch: the same output rows, input gradient rows, running
/// statistics, and parameter gradients once summed over the ranks (as the gradient
/// allreduce sums them).
@Suite("BatchNorm synced across ranks")
struct BatchNormSyncTests {
  /// In-place sums of equal-length buffers over `ranks` threads: each call waits until
  /// every rank has added its values, then copies the total back.
  final class RanksOnThreads: @unchecked Sendable {
    let ranks: Int
    private let condition = NSCondition()
    private var total: [Double] = []
    private var arrived = 0
    private var left = 0
    private var round = 0

    init(_ ranks: Int) { self.ranks = ranks }

    func sum(_ values: UnsafeMutableBufferPointer<Double>) {
      condition.lock()
      while left > 0 { condition.wait() }  // the last round is still being read
      if arrived == 0 { total = [Double](repeating: 0, count: values.count) }
      for i in values.indices { total[i] += values[i] }
      arrived += 1
      let mine = round
      if arrived == ranks {
        (arrived, left, round) = (0, ranks, round + 1)
        condition.broadcast()
      } else {
        while round == mine { condition.wait() }
      }
      for i in values.indices { values[i] = total[i] }
      left -= 1
      if left == 0 { condition.broadcast() }
      condition.unlock()
    }
  }

  /// Each rank's BatchNorm and what it returned, written by its own thread.
  final class Ranks: @unchecked Sendable {
    let norms: [BatchNorm]
    private let lock = NSLock()
    private(set) var results: [Int: (y: [Float], dx: [Float])] = [:]
    init(norms: [BatchNorm]) { self.norms = norms }
    func store(_ rank: Int, _ y: [Float], _ dx: [Float]) { lock.withLock { results[rank] = (y, dx) } }
  }

  static func makeNorm() throws -> BatchNorm {
    let layer = try LayerSpec.batchNorm(momentum: 0.1, epsilon: 1e-5)
      .makeLayer(input: Shape(3, 2, 5), initializer: .glorot, random: RandomSource(seed: 5))
    let bn = try #require(layer as? BatchNorm)
    bn.gamma.value.add(randomTensor(Shape(5), seed: 7, std: 0.3))
    bn.beta.value.add(randomTensor(Shape(5), seed: 8, std: 0.3))
    return bn
  }

  @Test("each rank's rows are the single process's, forward and backward", arguments: [2, 3])
  func ranksFollowOneProcess(ranks: Int) throws {
    let x = randomTensor(Shape(11, 3, 2, 5), seed: 9, std: 2)
    x.map(from: x) { $0 + 1.5 }
    let dy = randomTensor(x.shape, seed: 10)
    let one = try Self.makeNorm()
    let y = one.forward(x, mode: .training(RandomSource(seed: 1))).values
    let dx = one.backwardInput(dy).values
    one.accumulateParameterGradients(dy)

    let exchange = RanksOnThreads(ranks)
    let shares = (0..<ranks).map { BatchShare(global: 11, rank: $0, ranks: ranks) }
    let run = Ranks(norms: try (0..<ranks).map { _ in try Self.makeNorm() })
    // One thread per rank (a pool might run them one after another: each waits for all).
    let done = DispatchGroup()
    for r in 0..<ranks {
      done.enter()
      Thread {
        let norm = run.norms[r]
        norm.sumOverRanks = { exchange.sum($0) }
        let part = norm.forward(shares[r].rows(of: x, reusing: nil), mode: .training(RandomSource(seed: 1)))
        let gradient = norm.backwardInput(shares[r].rows(of: dy, reusing: nil))
        norm.accumulateParameterGradients(shares[r].rows(of: dy, reusing: nil))
        run.store(r, part.values, gradient.values)
        done.leave()
      }.start()
    }
    done.wait()
    let (norms, results) = (run.norms, run.results)
    let perRow = x.count / 11
    for r in 0..<ranks {
      let rows = shares[r].offset * perRow..<(shares[r].offset + shares[r].count) * perRow
      #expect(maxDifference(results[r]!.y, Array(y[rows])) < 1e-5, "rank \(r) of \(ranks): forward")
      #expect(maxDifference(results[r]!.dx, Array(dx[rows])) < 1e-5, "rank \(r) of \(ranks): input gradient")
      #expect(maxDifference(norms[r].runningMean.values, one.runningMean.values) < 1e-6, "rank \(r): running mean")
      #expect(maxDifference(norms[r].runningVariance.values, one.runningVariance.values) < 1e-6, "rank \(r): var")
    }
    for (name, whole, parts) in [
      ("gamma", one.gamma.gradient, norms.map(\.gamma.gradient)),
      ("beta", one.beta.gradient, norms.map(\.beta.gradient)),
    ] {
      let summed = (0..<whole.count).map { j in parts.reduce(Float(0)) { $0 + $1.values[j] } }
      #expect(maxDifference(summed, whole.values) < 1e-4, "\(name) gradient summed over \(ranks) ranks")
    }
  }

  private func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) against \(b.count) values")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }
}
