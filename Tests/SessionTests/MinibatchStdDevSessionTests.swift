import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// `mbstd` in a session: its shape in D, where it may stand, its options, training with
/// it, save → load → continue, and G's gradient through it.
@Suite("Minibatch standard deviation in a session")
struct MinibatchStdDevSessionTests {
  /// `tinyGAN` (16×16 faces, batch 8) with `mbstd` before D's flatten, groups of 4.
  static let faces = tinyGAN.replacingOccurrences(of: "  flatten\n", with: "  mbstd\n  flatten\n")

  @Test("mbstd in D adds one channel: 4×4×8 → 4×4×9, and reads back as written")
  func definition() throws {
    #expect(Self.faces != tinyGAN)
    let interpreter = Interpreter()
    try run(Self.faces, in: interpreter)
    let d = interpreter.state.networks[.discriminator]!
    let i = d.layers.firstIndex { $0 is MinibatchStdDev }!
    #expect(d.layers[i - 1].outputShape == Shape(4, 4, 8) && d.layers[i].outputShape == Shape(4, 4, 9))
    #expect(interpreter.state.definitions[.discriminator]!.layers[i] == .minibatchStdDev(group: 4))
    let other = Interpreter()
    try run(Self.faces.replacingOccurrences(of: "  mbstd\n", with: "  mbstd group=2\n"), in: other)
    #expect(other.state.definitions[.discriminator]!.layers[i].description == "mbstd group=2")
  }

  @Test("mbstd in the generator, or with a group of 0 or 1, is refused at its line")
  func refused() throws {
    let generator = Interpreter()
    let e = PackSessionTests.error(
      "data ring count=64\ngenerator\n  dense 8\n  mbstd\n  dense 2\nend", in: generator)
    #expect(e?.message == "'mbstd' belongs in the discriminator, not the generator")
    #expect(e?.hint?.contains("help concept mbstd") == true, "\(String(describing: e?.hint))")
    #expect(e?.location?.line == 4, "\(String(describing: e))")
    #expect(generator.state.networks[.generator] == nil)
    for group in [0, 1] {  // a group of one sample has nothing to compare
      let e = PackSessionTests.error(Self.faces.replacingOccurrences(of: "  mbstd\n", with: "  mbstd group=\(group)\n"))
      #expect(
        e?.message == "invalid group '\(group)': expected a whole number from 2 to 4096", "\(String(describing: e))")
    }
  }

  @Test("step, step d and step g train with it; a session saved mid-run continues exactly")
  func trainsAndContinues() throws {
    let interpreter = Interpreter()
    try run(Self.faces + "\nstep 2\nstep d\nstep g", in: interpreter)
    #expect(interpreter.state.history.map(\.kind) == [.full, .full, .discriminator, .generator])
    #expect(interpreter.state.history.allSatisfy { $0.lossD.isFinite && $0.lossG.isFinite })
    let folder = temporaryFolder()
    let straight = Interpreter()
    try run(Self.faces + "\nstep 4", in: straight)
    try run(Self.faces + "\nstep 2\nsave \"\(folder)/run\"", in: Interpreter())
    let second = Interpreter()
    try run("load \"\(folder)/run\"\nstep 2", in: second)
    #expect(second.state.definitions[.discriminator]!.layers == straight.state.definitions[.discriminator]!.layers)
    #expect(RecipeTests.tensors(second) == RecipeTests.tensors(straight))
    #expect(withoutTimes(second.state.history) == withoutTimes(straight.state.history))
  }

  @Test("export refuses a D with mbstd, naming it, and exports the generator, and samples without scores")
  func export() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(Self.faces, in: interpreter)
    let e = PackSessionTests.error("export discriminator \"\(folder)/d.safetensors\"", in: interpreter)
    #expect(e?.message.contains("'mbstd'") == true, "\(String(describing: e))")
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/d.safetensors"))
    try run("export generator \"\(folder)/g.safetensors\"", in: interpreter)
    #expect(FileManager.default.fileExists(atPath: "\(folder)/g.safetensors"))
    try run("export samples 3 \"\(folder)/s.safetensors\"", in: interpreter)
    #expect(try SafetensorsExportTests.read("\(folder)/s.safetensors").0.entries["scores"] == nil)
  }

  @Test("G's gradient through a D with mbstd: G's loss by finite differences agrees")
  func generatorGradient() throws {
    try expectGeneratorGradientAgrees(after: Self.faces + "\nstep 3", minimum: 1e-3)
  }

  @Test(
    "D's field on the toys: with mbstd its verdict at x is its verdict on a group of copies of x, whatever the grid")
  func field() throws {
    let toy = PackSessionTests.packedToy.replacingOccurrences(of: "  pack 2\n", with: "")
      .replacingOccurrences(of: "  dense 1\n", with: "  mbstd group=4\n  dense 1\n")
    let interpreter = Interpreter()
    try run(toy + "\nstep 2", in: interpreter)
    let field = try #require(DiscriminatorField(interpreter.state))
    #expect(field.copies == 4)
    let d = interpreter.state.networks[.discriminator]!
    /// -log D on a group of 4 copies of (x, y): G's loss for one point, its group collapsed onto it.
    func verdict(_ x: Float, _ y: Float) -> Float {
      let group = Tensor(zeros: Shape(4, 2))
      for i in 0..<4 { (group[2 * i], group[2 * i + 1]) = (x, y) }
      return d.forward(group, mode: .inference)[0]
    }
    // The cell at row 0, column 0 has its centre at (−2.25, 2.25) on a 4×4 grid, (−2.625,
    // 2.625) on an 8×8 one: the same verdict as on its own, beside any other cells.
    #expect(abs(field.verdicts(extent: 3, resolution: 4)[0] - verdict(-2.25, 2.25)) < 1e-6)
    #expect(abs(field.verdicts(extent: 3, resolution: 8)[0] - verdict(-2.625, 2.625)) < 1e-6)
    #expect(abs(field.verdicts(extent: 3, resolution: 8)[9] - verdict(-1.875, 1.875)) < 1e-6)
    // The push is −∂(−log D)/∂x with every copy moving together.
    let points = Tensor(zeros: Shape(3, 2))
    for i in 0..<6 { points[i] = Float(i) * 0.3 - 1 }
    let push = field.push(on: points)
    let h: Float = 2e-3
    for i in 0..<3 {
      let (x, y) = (points[2 * i], points[2 * i + 1])
      let dx = (-log(verdict(x + h, y)) + log(verdict(x - h, y))) / (2 * h)
      let dy = (-log(verdict(x, y + h)) + log(verdict(x, y - h))) / (2 * h)
      #expect(abs(push[2 * i] + dx) < 2e-3 + 2e-2 * abs(dx), "point \(i): \(push[2 * i]) against \(-dx)")
      #expect(abs(push[2 * i + 1] + dy) < 2e-3 + 2e-2 * abs(dy), "point \(i): \(push[2 * i + 1]) against \(-dy)")
    }
    let packed = PackSessionTests.packedToy.replacingOccurrences(
      of: "  dense 1\n", with: "  mbstd group=3\n  dense 1\n")
    let both = Interpreter()
    try run(packed + "\nstep 1", in: both)
    #expect(DiscriminatorField(both.state)?.copies == 6)  // pack 2, then groups of 3 packs
    // Groups whose multiple is past the field's batch (or overflows): one point per forward,
    // itself one group of copies all the same.
    let huge = toy.replacingOccurrences(of: "  mbstd group=4\n", with: "  mbstd group=4093\n  mbstd group=4091\n")
    let large = Interpreter()
    try run(huge + "\nstep 1", in: large)
    let wide = try #require(DiscriminatorField(large.state))
    #expect(wide.layout.copies == 1 && wide.layout.perForward == 1)
    let alone = Tensor(zeros: Shape(1, 2))
    (alone[0], alone[1]) = (-2.25, 2.25)
    let single = large.state.networks[.discriminator]!.forward(alone, mode: .inference)[0]
    #expect(abs(wide.verdicts(extent: 3, resolution: 4)[0] - single) < 1e-6)
  }
}
