import Foundation
import Tensors
import Testing

@testable import Session

/// G's loss by central differences against the gradient `step g` computes, in G's first
/// kernel at its largest entry, from a session saved after `recipe`: the check for anything
/// that stands between G's output and D's verdict (augmentation, packing). The analytic
/// gradient must exceed `minimum`, so the check compares something.
func expectGeneratorGradientAgrees(
  after recipe: String, minimum: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
  let folder = temporaryFolder()
  try run(recipe + "\nsave \"\(folder)/run\"", in: Interpreter())
  /// `step g` from the saved session with G's first kernel nudged at `index`: G's loss
  /// (before its update) and the kernel's gradient.
  func generatorStep(nudging index: Int, by h: Float) throws -> (loss: Double, gradient: Tensor) {
    let interpreter = Interpreter()
    try run("load \"\(folder)/run\"", in: interpreter)
    let kernel = interpreter.state.networks[.generator]!.namedParameters[0].parameter
    kernel.value[index] += h
    try run("step g", in: interpreter)
    return (Double(interpreter.state.history.last!.lossG), kernel.gradient.copy())
  }
  let gradient = try generatorStep(nudging: 0, by: 0).gradient
  let i = (0..<gradient.count).max { abs(gradient[$0]) < abs(gradient[$1]) }!
  let h: Float = 1e-3
  let numeric = (try generatorStep(nudging: i, by: h).loss - generatorStep(nudging: i, by: -h).loss) / Double(2 * h)
  let analytic = Double(gradient[i])
  #expect(abs(analytic) > minimum, sourceLocation: sourceLocation)
  #expect(
    abs(numeric - analytic) <= 0.05 * abs(analytic), "analytic \(analytic), numeric \(numeric)",
    sourceLocation: sourceLocation)
}
