import Foundation
import Testing

@testable import Session

/// A refused step on 2-D data calls the samples points: D's loss on the real batch going
/// NaN says "real points", as on images it says "real images".
@Suite struct NonFinitePointsTests {
  /// The session's discriminator exported, the kernel of its first dense (`main.K.weight`,
  /// K 0 on the ring, 1 after the faces' flatten) replaced by ±3e38
  /// (finite, so import takes it; any real sample then overflows D's scores), and imported.
  static func overflowingDiscriminator(_ interpreter: Interpreter) throws {
    let folder = temporaryFolder()
    try run("export discriminator \"\(folder)/d.safetensors\"", in: interpreter)
    let (file, _) = try SafetensorsExportTests.read("\(folder)/d.safetensors")
    let first = ["main.0.weight", "main.1.weight"].first { file.entries[$0] != nil }
    let named: [SafeTensors.Named] = file.entries.sorted { $0.key < $1.key }.map { name, entry in
      guard name == first else { return (name, entry.dtype, entry.shape, Array(file.data[entry.bytes])) }
      let huge = (0..<entry.shape.reduce(1, *)).map { Float($0 % 2 == 0 ? 3e38 : -3e38) }
      return (name, entry.dtype, entry.shape, SafeTensors.bytes(huge))
    }
    try Data(SafeTensors.encode(named, metadata: [:])).write(to: URL(fileURLWithPath: "\(folder)/huge.safetensors"))
    try run("import discriminator \"\(folder)/huge.safetensors\"", in: interpreter)
  }

  @Test("D's loss on real points going NaN says points; on images, images", arguments: [true, false])
  func realLoss(points: Bool) throws {
    let interpreter = Interpreter()
    try run(points ? DiagnosisTests.ring : DiagnosisTests.faces, in: interpreter)
    try Self.overflowingDiscriminator(interpreter)
    do {
      try run("step", in: interpreter)
      Issue.record("the step trained on")
    } catch {
      #expect(
        error.message.hasPrefix(
          "the discriminator's loss on real \(points ? "points" : "images") became NaN or infinite at step 1"),
        "\(error.message)")
    }
  }

  @Test("the refused step's hint offers the learning rate 10× lower as typed: 0.01 gives 0.001, not 0.0009999999")
  func tenTimesLower() {
    for (lr, lower) in [
      (0.01, "0.001"), (0.02, "0.002"), (1e-3, "0.0001"), (5e-4, "5e-05"), (1.5e-4, "1.5e-05"), (10, "1.0"),
    ]
      as [(Float, String)]
    {
      let step = NonFiniteStep(
        quantity: .generatorLoss, step: 3, role: .discriminator, largestWeight: nil,
        optimizer: .adam(learningRate: lr, beta1: 0.5, beta2: 0.999, epsilon: 1e-8))
      #expect(step.hint.contains("'optimizer discriminator adam lr=\(lower) "), "\(lr): \(step.hint)")
    }
  }
}
