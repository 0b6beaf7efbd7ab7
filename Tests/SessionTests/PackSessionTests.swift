import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// `pack M` in a session: where it may stand, the batches it refuses, images packed by
/// channels, save → load → continue, G's gradient through the packing, and D's field on
/// the toys.
@Suite("Pack in a session (PacGAN)")
struct PackSessionTests {
  /// A small 2-D GAN on the grid whose D judges points in pairs.
  static let packedToy = """
    set seed 5
    data grid count=400 batch=32
    set latent 3
    generator
      dense 24
      batchnorm
      leakyrelu 0.1
      dense 2
    end
    discriminator
      pack 2
      dense 16
      leakyrelu 0.2
      dense 1
      sigmoid
    end
    """

  /// `tinyGAN` (16×16 faces, batch 8) with D judging images in pairs, stacked by channels.
  static let packedFaces = tinyGAN.replacingOccurrences(of: "discriminator\n", with: "discriminator\n  pack 2\n")

  static func error(_ text: String, in interpreter: Interpreter = Interpreter()) -> SessionError? {
    do {
      try run(text, in: interpreter)
      return nil
    } catch {
      return error
    }
  }

  @Test("pack in D: its input stays the sample's, the next layer sees M samples side by side")
  func definition() throws {
    let points = Interpreter()
    try run(Self.packedToy, in: points)
    let d = points.state.networks[.discriminator]!
    #expect(d.inputShape == Shape(2) && d.layers[0].outputShape == Shape(4) && d.samplesPerOutput == 2)
    #expect(points.state.definitions[.discriminator]!.layers[0].description == "pack 2")
    let faces = Interpreter()
    try run(Self.packedFaces, in: faces)
    #expect(faces.state.networks[.discriminator]!.layers[0].outputShape == Shape(16, 16, 6))
  }

  @Test("pack in the generator is refused at its line, and the generator is not defined")
  func notInGenerator() throws {
    let interpreter = Interpreter()
    let e = Self.error("data ring count=64\ngenerator\n  dense 8\n  pack 2\n  dense 2\nend", in: interpreter)
    #expect(e?.message == "'pack' belongs in the discriminator, not the generator")
    #expect(e?.location?.line == 4, "\(String(describing: e))")
    #expect(interpreter.state.networks[.generator] == nil)
  }

  @Test("a batch that does not split into packs is refused before any step, with batches to try")
  func batchMustSplit() throws {
    let interpreter = Interpreter()
    try run(Self.packedToy + "\nset batch 33", in: interpreter)
    let before = interpreter.state.networks[.discriminator]!.namedParameters.map(\.parameter.value.values)
    let e = Self.error("train 2 steps", in: interpreter)
    #expect(
      e?.message
        == "invalid batch '33': expected a multiple of 2, the discriminator's pack: 'set batch 32' or 'set batch 34'")
    #expect(interpreter.state.step == 0)
    #expect(interpreter.state.networks[.discriminator]!.namedParameters.map(\.parameter.value.values) == before)
    #expect(Self.error("step g", in: interpreter) != nil)
    try run("set batch 34\nstep 1", in: interpreter)
    #expect(interpreter.state.step == 1)
  }

  @Test("a kept last batch must split into packs too")
  func lastBatchMustSplit() throws {
    let interpreter = Interpreter()
    // 401 points in batches of 32 leave 17.
    try run(Self.packedToy.replacingOccurrences(of: "count=400", with: "count=401"), in: interpreter)
    let e = Self.error("set keep-last-batch true\nstep 1", in: interpreter)
    #expect(e?.message.contains("(401 samples leave 17)") == true, "\(String(describing: e))")
    #expect(interpreter.state.step == 0)
    try run("set keep-last-batch false\nstep 1", in: interpreter)
    #expect(interpreter.state.step == 1)
  }

  @Test("step d, step g and full steps train with one verdict per pack; points and images")
  func halves() throws {
    for recipe in [Self.packedToy, Self.packedFaces] {
      let interpreter = Interpreter()
      try run(recipe + "\nstep 2\nstep d\nstep g", in: interpreter)
      let history = interpreter.state.history
      #expect(history.map(\.kind) == [.full, .full, .discriminator, .generator])
      #expect(history.allSatisfy { $0.lossD.isFinite && $0.lossG.isFinite })
    }
  }

  @Test("a session with a packed D saved mid-run continues exactly")
  func saveLoadContinues() throws {
    for recipe in [Self.packedToy, Self.packedFaces] {
      let folder = temporaryFolder()
      let straight = Interpreter()
      try run(recipe + "\nstep 4", in: straight)
      try run(recipe + "\nstep 2\nsave \"\(folder)/run\"", in: Interpreter())
      let second = Interpreter()
      try run("load \"\(folder)/run\"\nstep 2", in: second)
      #expect(second.state.definitions[.discriminator]!.layers[0] == .pack(2))
      #expect(RecipeTests.tensors(second) == RecipeTests.tensors(straight))
      #expect(withoutTimes(second.state.history) == withoutTimes(straight.state.history))
    }
  }

  @Test("export samples with a packed D writes z and G(z) for any count, and no scores (D judges packs)")
  func exportSamples() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(Self.packedFaces + "\nstep 1\nexport samples 3 \"\(folder)/s.safetensors\"", in: interpreter)
    let (file, _) = try SafetensorsExportTests.read("\(folder)/s.safetensors")
    #expect(file.entries["images"]?.shape.first == 3)
    #expect(file.entries["z"]?.shape.first == 3)
    #expect(file.entries["scores"] == nil)
  }

  @Test("G's gradient through a packed D: G's loss by finite differences agrees")
  func generatorGradientThroughPack() throws {
    try expectGeneratorGradientAgrees(after: Self.packedToy + "\nstep 3", minimum: 1e-4)
  }

  @Test("D's field on the toys: a packed D's verdict at x is its verdict on a pack of copies of x")
  func field() throws {
    let interpreter = Interpreter()
    try run(Self.packedToy + "\nstep 2", in: interpreter)
    let field = DiscriminatorField(interpreter.state)!
    let verdicts = field.verdicts(extent: 3, resolution: 4)
    #expect(verdicts.count == 16)
    // The cell at row 0, column 0 has its centre at (−2.25, 2.25).
    let pair = Tensor(zeros: Shape(2, 2))
    (pair[0], pair[1], pair[2], pair[3]) = (-2.25, 2.25, -2.25, 2.25)
    let d = interpreter.state.networks[.discriminator]!
    #expect(abs(d.forward(pair, mode: .inference)[0] - verdicts[0]) < 1e-6)
    let points = Tensor(zeros: Shape(3, 2))
    for i in 0..<6 { points[i] = Float(i) * 0.3 - 1 }
    #expect(field.push(on: points).shape == Shape(3, 2))
  }
}
