import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// `sn` on layers and `augment`: parsing, errors, training unchanged when off, and
/// save → load → continue equal to never stopping.
@Suite("Recipes: spectral normalisation and augmentation")
struct RecipeTests {
  /// `tinyGAN` with both of D's convolutions and G's first dense spectrally normalised.
  static let normalizedGAN = tinyGAN.replacingOccurrences(of: "padding=same\n", with: "padding=same sn\n")
    .replacingOccurrences(of: "dense 4*4*8\n", with: "dense 4*4*8 sn\n")

  /// Every parameter and buffer of both networks, in order.
  static func tensors(_ interpreter: Interpreter) -> [[Float]] {
    NetworkRole.allCases.flatMap { role in
      let network = interpreter.state.networks[role]!
      return network.namedParameters.map(\.parameter.value.values) + network.namedBuffers.map(\.value.values)
    }
  }

  @Test("sn is a flag on dense, conv and deconv, and written back as one")
  func parsing() throws {
    let interpreter = Interpreter()
    try run(Self.normalizedGAN, in: interpreter)
    let d = interpreter.state.definitions[.discriminator]!.layers
    #expect(d[0] == .spectralNorm(.conv(filters: 8, kernel: 4, stride: 2, padding: .same, bias: true)))
    #expect(d[0].description == "conv 8 kernel=4 stride=2 padding=same sn")
    #expect(
      interpreter.state.networks[.discriminator]!.namedBuffers.map(\.name) == [
        "0.sn_u", "0.sn_v", "2.sn_u", "2.sn_v", "3.running_mean", "3.running_var",
      ])
    #expect(throws: SessionError.self) { try run("generator\n  relu sn\nend", in: Interpreter()) }
  }

  @Test("augment off, never set or set and turned off, trains bit for bit as before")
  func offChangesNothing() throws {
    let plain = Interpreter()
    try run(tinyGAN + "\nstep 3", in: plain)
    let off = Interpreter()
    try run(tinyGAN + "\naugment color cutout\naugment off\nstep 3", in: off)
    #expect(Self.tensors(off) == Self.tensors(plain))
    #expect(withoutTimes(off.state.history) == withoutTimes(plain.state.history))
    let on = Interpreter()
    try run(tinyGAN + "\naugment translation\nstep 3", in: on)
    #expect(Self.tensors(on) != Self.tensors(plain))
  }

  @Test("a session with sn and augment saved mid-run continues exactly, translation's shift with it")
  func saveLoadContinues() throws {
    for (words, shift) in [("", Float(0.125)), (" shift=0.25", 0.25)] {
      let folder = temporaryFolder()
      let recipe = Self.normalizedGAN + "\naugment cutout color translation" + words
      let straight = Interpreter()
      try run(recipe + "\nstep 6", in: straight)
      let first = Interpreter()
      try run(recipe + "\nstep 3\nsave \"\(folder)/run\"", in: first)
      let second = Interpreter()
      try run("load \"\(folder)/run\"\nstep 3", in: second)
      #expect(second.state.augment == [.color, .translation, .cutout])
      #expect(second.state.translationShift == shift)
      #expect(Self.tensors(second) == Self.tensors(straight))
      #expect(withoutTimes(second.state.history) == withoutTimes(straight.state.history))
    }
  }

  @Test(
    "augment translation shift=R: a wider or narrower shift trains otherwise; shift alone or out of range is refused")
  func translationShift() throws {
    let standard = Interpreter()
    try run(tinyGAN + "\naugment translation\nstep 2", in: standard)
    let explicit = Interpreter()
    try run(tinyGAN + "\naugment translation shift=0.125\nstep 2", in: explicit)
    #expect(Self.tensors(explicit) == Self.tensors(standard))
    let wider = Interpreter()
    try run(tinyGAN + "\naugment translation shift=0.25\nstep 2", in: wider)
    #expect(Self.tensors(wider) != Self.tensors(standard))
    #expect(wider.state.augmentWords == "translation shift=0.25")
    try run("augment color", in: wider)  // a new policy starts from DiffAugment's 1/8
    #expect(wider.state.translationShift == 0.125)
    for (line, message) in [
      ("augment translation shift=0.9", "invalid shift '0.9': expected a number from 0.01 to 0.5"),
      (
        "augment color shift=0.1",
        "invalid shift '0.1': expected a shift for translation: 'augment translation shift=0.1'"
      ),
      (
        "augment off shift=0.1",
        "invalid shift '0.1': expected a shift for translation: 'augment translation shift=0.1'"
      ),
      ("augment translation shfit=0.1", "'augment' has no option 'shfit'"),
    ] {
      let e = PackSessionTests.error(tinyGAN + "\naugment translation shift=0.25\n" + line, in: Interpreter())
      #expect(e?.message == message, "\(line): \(String(describing: e))")
    }
  }

  @Test("a translation too short to move the images by a pixel is refused, at once or when training starts")
  func translationTooShort() throws {
    let now = Interpreter()
    try run(tinyGAN + "\naugment color", in: now)
    let e = PackSessionTests.error("augment translation shift=0.03", in: now)
    #expect(
      e?.message == "augment translation shift=0.03 moves 16×16 images by 0 pixels (0.03 × 16 rounds to 0),"
        + " so it would leave every image as it is")
    #expect(
      e?.hint == "write 'augment translation shift=0.0313' or more (one pixel), or leave shift out for"
        + " DiffAugment's 1/8")
    #expect(now.state.augment == [.color])
    try run("augment translation shift=0.0313\nstep 1", in: now)
    #expect(now.state.step == 1)
    for side in [2, 3, 16, 31, 48, 64, 100] {
      let shortest = DiffAugment.shortestShift(side: side)
      #expect(DiffAugment.translationPixels(side: side, shift: shortest) == 1, "\(side)")
      #expect(DiffAugment.translationPixels(side: side, shift: shortest - 0.0001) == 0 || shortest == 0.01, "\(side)")
    }
    let mixed = PackSessionTests.error("augment cutout translation color shift=0.03", in: now)
    #expect(mixed?.hint?.hasPrefix("write 'augment color translation cutout shift=0.0313' or more") == true)
    let later = Interpreter()
    let late = PackSessionTests.error("augment translation shift=0.03\n" + tinyGAN + "\nstep 1", in: later)
    #expect(late?.message.hasPrefix("augment translation shift=0.03 moves 16×16 images by 0 pixels") == true)
    #expect(later.state.step == 0)
  }

  @Test("G's gradient goes back through the augmentation: G's loss by finite differences agrees")
  func generatorGradientThroughAugment() throws {
    try expectGeneratorGradientAgrees(after: tinyGAN + "\naugment translation cutout\nstep 2", minimum: 1e-3)
  }

  @Test("a session saved before augment existed still loads, augment off")
  func olderSessionLoads() throws {
    let folder = temporaryFolder()
    try run(tinyGAN + "\nstep 1\nsave \"\(folder)/run\"", in: Interpreter())
    let file = folder + "/run/session.json"
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
    var random = json["random"] as! [String: Any]
    #expect(random["augment"] != nil && json["augment"] == nil)
    random["augment"] = nil
    json["random"] = random
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
    let loaded = Interpreter()
    try run("augment color\nload \"\(folder)/run\"\nstep 1", in: loaded)
    #expect(loaded.state.augment.isEmpty && loaded.state.step == 2)
  }

  @Test("augment says what is wrong: a misspelt word, and points instead of images")
  func errors() throws {
    let interpreter = Interpreter()
    do {
      try run("augment color colour", in: interpreter)
      Issue.record("accepted 'colour'")
    } catch {
      #expect(error.description.contains("did you mean 'color'?"), "\(error)")
      #expect(error.location?.column == 15)
    }
    try run("data ring count=100 batch=10", in: interpreter)
    #expect(throws: SessionError.self) { try run("augment color", in: interpreter) }
    #expect(interpreter.state.augment.isEmpty)
  }
}
