import TestSupport
import Testing

@testable import Tensors

/// Scratch memory is reused from step to step without being cleared: a kernel that read
/// scratch it had not written would give results that depend on what ran before.
@Suite("Workspace reuse")
struct WorkspacePoisonTests {
  @Test("every conv method and pass gives the same bits with scratch full of NaN, reused after another layer")
  func poisoned() throws {
    let geometries = [
      try ConvGeometry(
        inputHeight: 9, inputWidth: 7, inputChannels: 6, outputChannels: 4, kernel: (3, 3), stride: (1, 1),
        padding: .same),
      try ConvGeometry(
        inputHeight: 10, inputWidth: 12, inputChannels: 16, outputChannels: 8, kernel: (4, 4), stride: (2, 2),
        padding: .explicit(1)),
      try ConvGeometry(
        inputHeight: 8, inputWidth: 8, inputChannels: 3, outputChannels: 5, kernel: (5, 5), stride: (2, 2),
        padding: .same),
    ]
    let shared = Workspace(poisoned: true)
    var methods: Set<ConvMethod> = []
    // Twice over the geometries: the second time the poisoned scratch has held another layer's data.
    for g in geometries + geometries {
      let x = randomTensor(Shape(3, g.inputHeight, g.inputWidth, g.inputChannels), seed: 21)
      let dy = randomTensor(Shape(3, g.outputHeight, g.outputWidth, g.outputChannels), seed: 22)
      let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 23)
      for method in ConvMethod.allCases where method.applies(to: g) {
        methods.insert(method)
        let passes: [(String, Shape, (Tensor, Workspace) -> Void)] = [
          (
            "forward", dy.shape,
            { convForward(input: x, weight: w, geometry: g, output: $0, workspace: $1, method: method) }
          ),
          (
            "backward input", x.shape,
            { convBackwardInput(gradOutput: dy, weight: w, geometry: g, gradInput: $0, workspace: $1, method: method) }
          ),
          (
            "backward weight", w.shape,
            { convBackwardWeight(input: x, gradOutput: dy, geometry: g, gradWeight: $0, workspace: $1, method: method) }
          ),
        ]
        for (name, shape, pass) in passes {
          let (clean, dirty) = (Tensor(zeros: shape), Tensor(zeros: shape))
          pass(clean, Workspace())
          pass(dirty, shared)
          let same = clean.values == dirty.values
          #expect(
            same, "\(method) \(name) \(g): poisoned scratch changed the result: \(compare(dirty, clean, tolerance: 0))")
        }
      }
    }
    #expect(methods == Set(ConvMethod.allCases))
  }
}
