import Tensors
import TestSupport
import Testing

@testable import Session

/// The pieces of `eval swd`: the pyramid, the descriptors and the sliced distance, each on
/// cases whose answer is known.
@Suite("Sliced Wasserstein distance")
struct SlicedWassersteinTests {
  @Test("the separable blur equals the direct 5×5 sum, mirror edges included", arguments: [Float(1), 4])
  func blurMatchesReference(gain: Float) {
    let images = randomTensor(Shape(2, 9, 6, 3), seed: 5)
    let c = compare(
      LaplacianPyramid.blur(images, gain: gain), LaplacianPyramid.blurReference(images, gain: gain), tolerance: 1e-5)
    #expect(c.passes, "\(c)")
  }

  @Test("the pyramid of a constant image: detail levels 0, the coarsest level the constant")
  func constantPyramid() {
    let images = Tensor(shape: Shape(1, 32, 32, 2), values: Array(repeating: 0.7, count: 32 * 32 * 2))
    let levels = LaplacianPyramid.levels(of: images, count: 2)
    #expect(levels.map(\.shape) == [Shape(1, 32, 32, 2), Shape(1, 16, 16, 2)])
    #expect(levels[0].values.allSatisfy { abs($0) < 1e-6 })
    #expect(levels[1].values.allSatisfy { abs($0 - 0.7) < 1e-6 })
  }

  @Test("the pyramid adds back up to the image")
  func pyramidReconstructs() {
    let images = randomTensor(Shape(2, 16, 16, 1), seed: 9)
    let levels = LaplacianPyramid.levels(of: images, count: 2)
    let rebuilt = LaplacianPyramid.up(levels[1])
    for i in 0..<rebuilt.count { rebuilt.pointer[i] += levels[0].pointer[i] }
    #expect(compare(rebuilt, images, tolerance: 1e-5).passes)
  }

  @Test("the resolutions stop at 16")
  func resolutions() {
    #expect(MultiScaleSWD.resolutions(height: 64, width: 64) == [64, 32, 16])
    #expect(MultiScaleSWD.resolutions(height: 16, width: 16) == [16])
    #expect(MultiScaleSWD.resolutions(height: 8, width: 8).isEmpty)
  }

  @Test("descriptors: each channel at mean 0 and deviation 1 over the set")
  func descriptorsNormalised() {
    var random = SeededGenerator(seed: 3)
    let level = randomTensor(Shape(4, 12, 10, 3), seed: 2, std: 5)
    for i in stride(from: 1, to: level.count, by: 3) { level.pointer[i] += 40 }  // channel 1 far from 0
    let d = PatchDescriptors(level, perImage: 16, random: &random)
    #expect(d.count == 64 && d.length == 7 * 7 * 3)
    for channel in 0..<3 {
      let xs = stride(from: channel, to: d.values.count, by: 3).map { Double(d.values[$0]) }
      let mean = xs.reduce(0, +) / Double(xs.count)
      let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
      #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4, "channel \(channel): mean \(mean), variance \(variance)")
    }
  }

  @Test("the sorted distance by hand: [3, 1, 2] against [0, 5, 1]")
  func sortedDistanceByHand() {
    var x: [Float] = [3, 1, 2]
    var y: [Float] = [0, 5, 1]
    // sorted 1 2 3 against 0 1 5: |1| + |1| + |−2| = 4.
    let sum = x.withUnsafeMutableBufferPointer { px in
      y.withUnsafeMutableBufferPointer { py in
        SlicedWasserstein.sortedDistance(px.baseAddress!, py.baseAddress!, count: 3)
      }
    }
    #expect(sum == 4)
  }

  @Test("projected distance by hand: two points on a line, and a direction across it")
  func projectedByHand() {
    let a = Tensor(shape: Shape(2, 2), values: [0, 0, 1, 0])
    let b = Tensor(shape: Shape(2, 2), values: [3, 5, 2, 7])
    // Along x: {0, 1} against {3, 2}: sorted, (|0 − 2| + |1 − 3|) / 2 points = 2; along y:
    // {0, 0} against {5, 7}: (5 + 7) / 2 = 6. The mean over both directions: 4.
    let directions = Tensor(shape: Shape(2, 2), values: [1, 0, 0, 1])
    #expect(abs(SlicedWasserstein.projectedDistance(a, b, along: directions) - 4) < 1e-6)
    #expect(abs(SlicedWasserstein.projectedDistanceReference(a, b, along: directions) - 4) < 1e-9)
  }

  @Test("the GEMM-and-parallel-sort path equals the naive projections")
  func projectedMatchesReference() {
    let a = randomTensor(Shape(70, 12), seed: 1)
    let b = randomTensor(Shape(70, 12), seed: 2, std: 2)
    var random = SeededGenerator(seed: 4)
    let directions = SlicedWasserstein.randomDirections(12, 45, random: &random)
    for j in 0..<45 {
      let norm = (0..<12).reduce(Float(0)) { $0 + directions[j * 12 + $1] * directions[j * 12 + $1] }
      #expect(abs(norm - 1) < 1e-5)
    }
    let fast = SlicedWasserstein.projectedDistance(a, b, along: directions)
    let reference = SlicedWasserstein.projectedDistanceReference(a, b, along: directions)
    #expect(abs(fast - reference) <= 1e-5 * reference, "\(fast) vs \(reference)")
  }
}
