import Layers
import Tensors
import TestSupport
import Testing

/// PacGAN's `pack M`: the packing against an element-by-element reference, its gradient,
/// and a packed discriminator's gradient, loss included, against finite differences.
@Suite("Pack (PacGAN)")
struct PackTests {
  /// y[k, p, j, c] = x[k·m + j, p, c], one element at a time.
  static func referencePack(_ x: Tensor, m: Int) -> [Float] {
    let n = x.shape[0]
    let c = x.shape.dims.last!
    let positions = x.count / n / c
    var y = [Float](repeating: .nan, count: x.count)
    for k in 0..<(n / m) {
      for p in 0..<positions {
        for j in 0..<m {
          for ch in 0..<c { y[((k * positions + p) * m + j) * c + ch] = x[((k * m + j) * positions + p) * c + ch] }
        }
      }
    }
    return y
  }

  @Test("packing points and images equals the reference; the output shape is [N/M, …, M·C]")
  func forwardMatchesReference() throws {
    let cases: [(input: Shape, m: Int, batch: Int)] = [
      (Shape(2), 2, 8), (Shape(5), 3, 6), (Shape(3, 2, 3), 2, 4), (Shape(2, 3, 1), 4, 8), (Shape(1, 1, 2), 1, 3),
    ]
    for (input, m, batch) in cases {
      let layer = try LayerSpec.pack(m).makeLayer(input: input, initializer: .glorot, random: RandomSource(seed: 1))
      let x = randomTensor(input.batched(batch), seed: 3)
      let y = layer.forward(x, mode: .inference)
      var dims = input.dims
      dims[dims.count - 1] *= m
      #expect(y.shape == Shape(dims).batched(batch / m), "\(input) pack \(m)")
      #expect(y.values == Self.referencePack(x, m: m), "\(input) pack \(m)")
      #expect(layer.backwardInput(y).values == x.values, "unpacking undoes packing: \(input) pack \(m)")
    }
  }

  @Test("gradient check: points and images, packs of 2 and 3")
  func gradients() throws {
    try GradientCheckTests.expectGradients(.pack(2), input: Shape(3), batch: 4)
    try GradientCheckTests.expectGradients(.pack(3), input: Shape(2, 3, 2), batch: 6)
  }

  @Test("a packed discriminator's BCE loss: input and weight gradients agree with finite differences")
  func packedDiscriminatorGradient() throws {
    for (input, batch) in [(Shape(2), 8), (Shape(4, 4, 1), 4)] {
      let d = try Sequential(
        input: input, specs: [.pack(2), .flatten, .dense(units: 6, bias: true), .tanh, .dense(units: 1, bias: true)],
        initializer: .glorot, random: RandomSource(seed: 4))
      let x = randomTensor(input.batched(batch), seed: 9)
      /// Mean BCE from logits against label 0.9, one label per pack; its gradient into `gradient`.
      func loss(_ gradient: Tensor? = nil) -> Double {
        let scores = d.forward(x, mode: .inference)
        let g = gradient ?? Tensor(zeros: scores.shape)
        return Loss.bce.evaluate(scores, target: 0.9, input: .logits, gradient: g)
      }
      d.zeroGradients()
      let gradScores = Tensor(zeros: Shape(batch / 2, 1))
      _ = loss(gradScores)
      #expect(d.forward(x, mode: .inference).shape == Shape(batch / 2, 1), "one verdict per pack")
      let gradInput = d.backward(gradScores)!.copy()
      let kernel = d.namedParameters[0].parameter
      for (name, values, analytic) in [("input", x, gradInput), ("kernel", kernel.value, kernel.gradient.copy())] {
        for i in stride(from: 0, to: values.count, by: max(1, values.count / 40)) {
          let saved = values[i]
          let h: Float = 1e-2
          values[i] = saved + h
          let plus = loss()
          values[i] = saved - h
          let minus = loss()
          values[i] = saved
          let numeric = (plus - minus) / Double(2 * h)
          let a = Double(analytic[i])
          #expect(
            abs(a - numeric) <= 1e-2 * max(abs(a), abs(numeric), 1e-2), "\(input) \(name)[\(i)]: \(a) vs \(numeric)")
        }
      }
    }
  }

  @Test("samplesPerOutput multiplies a network's packs")
  func samplesPerOutput() throws {
    func network(_ specs: [LayerSpec]) throws -> Sequential {
      try Sequential(input: Shape(2), specs: specs, initializer: .glorot, random: RandomSource(seed: 1))
    }
    #expect(try network([.dense(units: 1, bias: true)]).samplesPerOutput == 1)
    #expect(try network([.pack(2), .dense(units: 3, bias: true), .pack(3)]).samplesPerOutput == 6)
  }
}
