import Tensors
import TestSupport
import Testing

@testable import Layers

/// Spectral normalisation: σ against an independent estimate from the kernel written out as
/// the matrix M [OUT, REST], and the exact backward through σ against finite differences.
@Suite("Spectral normalisation")
struct SpectralNormTests {
  static let layers: [(LayerSpec, Shape)] = [
    (.dense(units: 3, bias: true), Shape(5)),
    (.conv(filters: 3, kernel: 3, stride: 2, padding: .same, bias: true), Shape(5, 4, 2)),
    (.deconv(filters: 2, kernel: 4, stride: 2, padding: .explicit(1), bias: false), Shape(3, 3, 3)),
  ]

  static func build(_ spec: LayerSpec, _ input: Shape) throws -> SpectralNorm {
    let layer = try LayerSpec.spectralNorm(spec).makeLayer(
      input: input, initializer: .glorot, random: RandomSource(seed: 5))
    return try #require(layer as? SpectralNorm)
  }

  /// M [OUT, REST] written out from the kernel's axes by name: output channels are the rows.
  static func matrix(_ spec: LayerSpec, kernel: Tensor) -> [[Double]] {
    let d = kernel.shape.dims
    switch spec {
    case .dense:  // [IN, OUT]
      return (0..<d[1]).map { o in (0..<d[0]).map { i in Double(kernel[i * d[1] + o]) } }
    case .conv:  // [KH, KW, IC, OC]
      return (0..<d[3]).map { o in (0..<(d[0] * d[1] * d[2])).map { p in Double(kernel[p * d[3] + o]) } }
    case .deconv:  // [KH, KW, OC, IC]: row oc, column (kh, kw, ic)
      return (0..<d[2]).map { o in
        (0..<(d[0] * d[1])).flatMap { p in (0..<d[3]).map { i in Double(kernel[(p * d[2] + o) * d[3] + i]) } }
      }
    default: preconditionFailure("\(spec) has no kernel")
    }
  }

  /// The largest singular value of `m`: √ of MMᵀ's largest eigenvalue, by 500 iterations in Double.
  static func largestSingularValue(_ m: [[Double]]) -> Double {
    var x = [Double](repeating: 1, count: m.count)
    var lambda = 0.0
    for _ in 0..<500 {
      let mt = (0..<m[0].count).map { c in (0..<m.count).reduce(0.0) { $0 + m[$1][c] * x[$1] } }
      let y = m.map { row in zip(row, mt).reduce(0.0) { $0 + $1.0 * $1.1 } }
      lambda = y.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
      x = y.map { $0 / lambda }
    }
    return lambda.squareRoot()
  }

  @Test("training forwards converge σ to the kernel's largest singular value, output channels as rows")
  func sigmaConverges() throws {
    for (spec, input) in Self.layers {
      let layer = try Self.build(spec, input)
      let x = randomTensor(input.batched(2), seed: 3)
      for _ in 0..<60 { _ = layer.forward(x, mode: .training(RandomSource(seed: 1))) }
      let expected = Self.largestSingularValue(Self.matrix(spec, kernel: layer.kernel.value))
      #expect(abs(Double(layer.sigma) - expected) <= 1e-3 * expected, "\(spec): σ \(layer.sigma), expected \(expected)")
    }
  }

  @Test("inference runs no power iteration: u and v stay as stored")
  func inferenceKeepsVectors() throws {
    let layer = try Self.build(Self.layers[1].0, Self.layers[1].1)
    let x = randomTensor(Self.layers[1].1.batched(2), seed: 3)
    _ = layer.forward(x, mode: .training(RandomSource(seed: 1)))
    let (u, v) = (layer.u.values, layer.v.values)
    _ = layer.forward(x, mode: .inference)
    #expect(layer.u.values == u && layer.v.values == v)
    _ = layer.forward(x, mode: .training(RandomSource(seed: 1)))
    #expect(layer.u.values != u)
  }

  @Test("the output is the plain layer's with W / σ")
  func outputIsNormalised() throws {
    for (spec, input) in Self.layers {
      let layer = try Self.build(spec, input)
      let x = randomTensor(input.batched(2), seed: 3)
      let y = layer.forward(x, mode: .training(RandomSource(seed: 1))).copy()
      let plain = try spec.makeLayer(input: input, initializer: .glorot, random: RandomSource(seed: 9))
      plain.parameters[0].value.assign(layer.kernel.value)
      plain.parameters[0].value.scale(by: 1 / layer.sigma)
      for (p, q) in zip(plain.parameters.dropFirst(), layer.parameters.dropFirst()) { p.value.assign(q.value) }
      #expect(plain.forward(x, mode: .inference).maxAbsDifference(y) < 1e-6, "\(spec)")
    }
  }

  @Test("backward through σ (u and v fixed) matches finite differences")
  func gradients() throws {
    for (spec, input) in Self.layers {
      let layer = try Self.build(spec, input)
      for p in layer.parameters where p.name != "kernel" {
        p.value.add(randomTensor(p.value.shape, seed: 77, std: 0.3))
      }
      let x = randomTensor(input.batched(2), seed: 21)
      // A few power iterations first, so σ is near the top singular value and far from 0.
      for _ in 0..<5 { _ = layer.forward(x, mode: .training(RandomSource(seed: 1))) }
      let failures = gradientCheckFailures(layer: layer, input: x, training: false, step: 1e-3)
      #expect(failures.isEmpty, "\(spec): \(failures.prefix(3).joined(separator: "\n"))")
    }
  }

  @Test("only dense, conv and deconv take sn")
  func onlyKernels() throws {
    #expect(throws: GeometryError.self) {
      try LayerSpec.spectralNorm(.relu).makeLayer(input: Shape(4), initializer: .glorot, random: RandomSource(seed: 1))
    }
    #expect(throws: RuleViolation.self) { try LayerSpec.spectralNorm(.tanh).validate() }
    #expect(throws: RuleViolation.self) {
      try LayerSpec.spectralNorm(.spectralNorm(.dense(units: 2, bias: true))).validate()
    }
    #expect(LayerSpec.spectralNorm(.dense(units: 2, bias: false)).description == "dense 2 bias=false sn")
  }
}
