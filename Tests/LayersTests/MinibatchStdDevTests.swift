import Foundation
import Layers
import Tensors
import TestSupport
import Testing

/// `mbstd`: the appended channel against a direct evaluation of its formula in `Double`,
/// the groups a batch splits into, and its gradient against finite differences.
@Suite("Minibatch standard deviation (mbstd)")
struct MinibatchStdDevTests {
  /// y [N, P, C + 1] from x [N, P, C]: the input copied, then σ of each sample's group,
  /// evaluated straight from the definition (groups of `group`, the last one to the end).
  static func reference(_ x: Tensor, group: Int) -> [Float] {
    let n = x.shape[0]
    let c = x.shape.dims.last!
    let f = x.count / n
    let p = f / c
    let count = max(1, n / group)
    var y: [Float] = []
    for k in 0..<count {
      let rows = k * group..<(k == count - 1 ? n : (k + 1) * group)
      let m = Double(rows.count)
      var total = 0.0
      for j in 0..<f {
        let mean = rows.reduce(0.0) { $0 + Double(x[$1 * f + j]) } / m
        let variance = rows.reduce(0.0) { $0 + pow(Double(x[$1 * f + j]) - mean, 2) } / m
        total += (variance + 1e-8).squareRoot()
      }
      let sigma = Float(total / Double(f))
      for i in rows {
        for q in 0..<p { y += (0..<c).map { x[i * f + q * c + $0] } + [sigma] }
      }
    }
    return y
  }

  @Test("the output is the input and one channel more, σ of each sample's group, for any batch")
  func forwardMatchesReference() throws {
    let cases: [(input: Shape, group: Int, batch: Int)] = [
      (Shape(3, 2, 4), 4, 8), (Shape(3, 2, 4), 4, 11), (Shape(2, 2, 3), 4, 3), (Shape(5), 2, 6),
      (Shape(1, 1, 2), 1, 3), (Shape(4, 4, 8), 3, 9),
    ]
    for (input, group, batch) in cases {
      let layer = try LayerSpec.minibatchStdDev(group: group).makeLayer(
        input: input, initializer: .glorot, random: RandomSource(seed: 1))
      let x = randomTensor(input.batched(batch), seed: 3)
      var dims = input.dims
      dims[dims.count - 1] += 1
      #expect(layer.outputShape == Shape(dims))
      for mode in [Mode.inference, .training(RandomSource(seed: 2))] {
        let y = layer.forward(x, mode: mode)
        #expect(y.shape == Shape(dims).batched(batch), "\(input) group \(group) batch \(batch)")
        let expected = Self.reference(x, group: group)
        let worst = zip(y.values, expected).map { abs($0 - $1) / max(abs($1), 1) }.max()!
        #expect(worst < 1e-5, "\(input) group \(group) batch \(batch): worst relative error \(worst)")
      }
    }
  }

  @Test("groups: consecutive rows, the remainder joins the last; a batch below the group is one group")
  func groups() {
    #expect(MinibatchStdDev.groups(8, of: 4) == [0..<4, 4..<8])
    #expect(MinibatchStdDev.groups(11, of: 4) == [0..<4, 4..<11])
    #expect(MinibatchStdDev.groups(3, of: 4) == [0..<3])
    #expect(MinibatchStdDev.groups(2, of: 1) == [0..<1, 1..<2])
  }

  @Test("identical samples in a group give σ = √ε; the channel grows with their spread")
  func collapsedGroup() throws {
    let layer = try LayerSpec.minibatchStdDev(group: 4).makeLayer(
      input: Shape(2, 2, 1), initializer: .glorot, random: RandomSource(seed: 1))
    let same = Tensor(shape: Shape(4, 2, 2, 1), values: (0..<4).flatMap { _ in [0.5, -1, 2, 0] })
    let y = layer.forward(same, mode: .inference)
    #expect(abs(y[1] - 1e-4) < 1e-6, "σ of four copies: \(y[1])")
    let spread = Tensor(shape: Shape(4, 2, 2, 1), values: (0..<16).map { Float($0 % 4 == 0 ? $0 / 4 : 0) })
    // The first value takes 0, 1, 2, 3 across the group (σ √1.25), the others stay 0 (σ √ε).
    let sigma = layer.forward(spread, mode: .inference)[1]
    #expect(abs(sigma - (Float(1.25).squareRoot() + 3e-4) / 4) < 1e-5, "\(sigma)")
  }

  @Test("gradient check: images and vectors, a remainder group, a batch that is one group")
  func gradients() throws {
    try GradientCheckTests.expectGradients(.minibatchStdDev(group: 4), input: Shape(3, 2, 2), batch: 6)
    try GradientCheckTests.expectGradients(.minibatchStdDev(group: 2), input: Shape(5), batch: 4)
    try GradientCheckTests.expectGradients(.minibatchStdDev(group: 3), input: Shape(2, 2, 3), batch: 3, training: false)
  }

  /// The σ path alone: an objective that reads only the appended channel, checked to a
  /// relative tolerance of the largest gradient (the general check's floor of 1 would hide it).
  @Test("the gradient through σ alone agrees with finite differences")
  func gradientThroughSigma() throws {
    let input = Shape(2, 3, 2)
    let batch = 7
    let layer = try LayerSpec.minibatchStdDev(group: 3).makeLayer(
      input: input, initializer: .glorot, random: RandomSource(seed: 1))
    let x = randomTensor(input.batched(batch), seed: 8)
    let y0 = layer.forward(x, mode: .inference)
    let r = randomTensor(y0.shape, seed: 9)
    let c = input.dims.last! + 1
    for i in 0..<r.count where i % c != c - 1 { r[i] = 0 }
    let analytic = layer.backwardInput(r).copy()
    let largest = analytic.values.map(abs).max()!
    #expect(largest > 0.05, "the σ path carries a gradient: \(largest)")
    for i in 0..<x.count {
      let saved = x[i]
      x[i] = saved + 1e-2
      let plus = layer.forward(x, mode: .inference).dot(r)
      x[i] = saved - 1e-2
      let minus = layer.forward(x, mode: .inference).dot(r)
      x[i] = saved
      let numeric = (plus - minus) / 2e-2
      #expect(abs(Double(analytic[i]) - numeric) <= 2e-3 * Double(largest), "x[\(i)]: \(analytic[i]) vs \(numeric)")
    }
  }
}
