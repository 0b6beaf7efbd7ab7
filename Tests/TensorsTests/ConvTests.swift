import TestSupport
import Testing

@testable import Tensors

/// Every convolution method (columns, shifted, Winograd) that applies to a geometry, against
/// the direct loops of `ConvReference`, over a grid of geometries (`convCases`), with a
/// roomy workspace and with one so small that every pass runs in many chunks.
/// Tolerance 1e-4 scaled: BLAS and the transforms sum in a different order.
@Suite("Convolution kernels")
struct ConvTests {
  static let cases = convCases()
  /// A workspace so small that every layer is processed in several chunks.
  static func tinyWorkspace() -> Workspace { Workspace(chunkFloats: 64) }

  @Test("the grid covers DCGAN's geometries and many others, and every method")
  func gridIsLarge() {
    #expect(Self.cases.count > 300)
    for method in ConvMethod.allCases {
      #expect(Self.cases.filter { method.applies(to: $0.geometry) }.count >= 20, "\(method)")
    }
  }

  /// (case, method) for every method that applies to every case.
  static var methodCases: [(ConvCase, ConvMethod)] {
    cases.flatMap { c in ConvMethod.allCases.filter { $0.applies(to: c.geometry) }.map { (c, $0) } }
  }

  @Test("forward matches the reference")
  func forward() {
    for (c, method) in Self.methodCases {
      let g = c.geometry
      let x = randomTensor(Shape(c.batch, g.inputHeight, g.inputWidth, g.inputChannels), seed: 1)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 2)
      let expected = ConvReference.forward(input: x, kernel: w, geometry: g)
      for workspace in [Workspace(), Self.tinyWorkspace()] {
        let y = Tensor(zeros: expected.shape)
        convForward(input: x, weight: w, geometry: g, output: y, workspace: workspace, method: method)
        let result = compare(y, expected, tolerance: 1e-4)
        #expect(result.passes, "\(method) \(c): \(result)")
      }
    }
  }

  @Test("backward input matches the reference and accumulates")
  func backwardInput() {
    for (c, method) in Self.methodCases {
      let g = c.geometry
      let dy = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 4)
      let expected = ConvReference.backwardInput(gradOutput: dy, kernel: w, geometry: g)
      for workspace in [Workspace(), Self.tinyWorkspace()] {
        let dx = Tensor(shape: expected.shape, repeating: 1)
        convBackwardInput(gradOutput: dy, weight: w, geometry: g, gradInput: dx, workspace: workspace, method: method)
        dx.add(Tensor(shape: dx.shape, repeating: 1), scaledBy: -1)
        let result = compare(dx, expected, tolerance: 1e-4)
        #expect(result.passes, "\(method) \(c): \(result)")
      }
    }
  }

  @Test("backward weight matches the reference and accumulates")
  func backwardWeight() {
    for (c, method) in Self.methodCases {
      let g = c.geometry
      let x = randomTensor(Shape(c.batch, g.inputHeight, g.inputWidth, g.inputChannels), seed: 5)
      let dy = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 6)
      let expected = ConvReference.backwardKernel(input: x, gradOutput: dy, geometry: g)
      for workspace in [Workspace(), Self.tinyWorkspace()] {
        let dw = Tensor(shape: expected.shape, repeating: 1)
        convBackwardWeight(input: x, gradOutput: dy, geometry: g, gradWeight: dw, workspace: workspace, method: method)
        dw.add(Tensor(shape: dw.shape, repeating: 1), scaledBy: -1)
        let result = compare(dw, expected, tolerance: 1e-4)
        #expect(result.passes, "\(method) \(c): \(result)")
      }
    }
  }

  @Test("the transposed convolution (backward input) matches the scatter-form reference")
  func transposedMatchesScatter() {
    for (c, method) in Self.methodCases {
      let g = c.geometry
      let x = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 7)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 8)
      let expected = ConvReference.transposedForward(input: x, kernel: w, geometry: g)
      let y = Tensor(zeros: expected.shape)
      convBackwardInput(gradOutput: x, weight: w, geometry: g, gradInput: y, workspace: Workspace(), method: method)
      let result = compare(y, expected, tolerance: 1e-4)
      #expect(result.passes, "\(method) \(c): \(result)")
    }
  }

  @Test("adjoint identities: ⟨conv x, y⟩ = ⟨x, convᵀ y⟩ and ⟨im2col x, c⟩ = ⟨x, col2im c⟩")
  func adjoints() {
    for c in Self.cases {
      let g = c.geometry
      let x = randomTensor(Shape(c.batch, g.inputHeight, g.inputWidth, g.inputChannels), seed: 9)
      let y = randomTensor(Shape(c.batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 10)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 11)
      let convX = Tensor(zeros: y.shape)
      convForward(input: x, weight: w, geometry: g, output: convX, workspace: Workspace())
      let convTY = Tensor(zeros: x.shape)
      convBackwardInput(gradOutput: y, weight: w, geometry: g, gradInput: convTY, workspace: Workspace())
      let (lhs, rhs) = (convX.dot(y), x.dot(convTY))
      #expect(abs(lhs - rhs) <= 1e-4 * max(abs(lhs), 1), "\(c): \(lhs) vs \(rhs)")

      let rows = c.batch * g.positionsPerImage
      let columns = Tensor(zeros: Shape(rows, g.patchSize))
      im2col(image: x.pointer, geometry: g, rows: 0..<rows, columns: columns.pointer)
      let cols = randomTensor(columns.shape, seed: 12)
      let back = Tensor(zeros: x.shape)
      col2im(columns: cols.pointer, geometry: g, rows: 0..<rows, accumulatingInto: back.pointer)
      let (l2, r2) = (columns.dot(cols), x.dot(back))
      #expect(abs(l2 - r2) <= 1e-4 * max(abs(l2), 1), "\(c): \(l2) vs \(r2)")
    }
  }

  /// Each pass runs twice under a `ParallelProbe`: once on 1 thread, once asking for 3 (so
  /// the split happens whatever `BLAS.threads` is). The 3-thread pass must really be split
  /// and must give the 1-thread one's bits (`GEMMSplit` cuts by size, not by threads; cut
  /// by threads, the weight gradient differed in the 5th digit); the 1-thread path is held to
  /// `ConvReference` by the tests above, far cheaper than the reference here. Which threads
  /// then run the parts is Dispatch's choice (with the cores busy the caller may run them
  /// all, as seen once under a full `swift test`), so it is not asserted. Layers are sized
  /// so every pass splits.
  @Test("layers large enough to split the work across threads really split it, and match one thread")
  func threaded() {
    var methods: Set<ConvMethod> = []
    let geometries = [
      try! ConvGeometry(
        inputHeight: 16, inputWidth: 16, inputChannels: 16, outputChannels: 8, kernel: (3, 3), stride: (1, 1),
        padding: .same),
      try! ConvGeometry(
        inputHeight: 32, inputWidth: 30, inputChannels: 32, outputChannels: 64, kernel: (4, 4), stride: (2, 2),
        padding: .explicit(1)),
    ]
    for g in geometries {
      // 16 images: F(4×4, 2×2)'s backward input then has 256 tiles per phase, enough to split.
      let x = randomTensor(Shape(16, g.inputHeight, g.inputWidth, g.inputChannels), seed: 13)
      let dy = randomTensor(Shape(16, g.outputHeight, g.outputWidth, g.outputChannels), seed: 14)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 15)
      for method in ConvMethod.allCases where method.applies(to: g) {
        methods.insert(method)
        let passes: [(String, Shape, (Tensor) -> Void)] = [
          (
            "forward", dy.shape,
            { convForward(input: x, weight: w, geometry: g, output: $0, workspace: Workspace(), method: method) }
          ),
          (
            "backward input", x.shape,
            {
              convBackwardInput(
                gradOutput: dy, weight: w, geometry: g, gradInput: $0, workspace: Workspace(), method: method)
            }
          ),
          (
            "backward weight", w.shape,
            {
              convBackwardWeight(
                input: x, gradOutput: dy, geometry: g, gradWeight: $0, workspace: Workspace(), method: method)
            }
          ),
        ]
        for (name, shape, pass) in passes {
          let (one, three) = (Tensor(zeros: shape), Tensor(zeros: shape))
          ParallelProbe.$current.withValue(ParallelProbe(threads: 1)) { pass(one) }
          let probe = ParallelProbe(threads: 3)
          ParallelProbe.$current.withValue(probe) { pass(three) }
          #expect(probe.largestSplit >= 2, "\(method) \(name) \(g): never split")
          let same = three.values == one.values
          #expect(same, "\(method) \(name) \(g): 3 threads differ from 1: \(compare(three, one, tolerance: 0))")
        }
      }
    }
    #expect(methods == Set(ConvMethod.allCases))
  }
}
