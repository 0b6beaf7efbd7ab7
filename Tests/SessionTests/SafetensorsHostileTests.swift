import Foundation
import Testing

@testable import Session

/// Damaged safetensors files (Tests/Hostile/safetensors, made by
/// scripts/make-hostile-safetensors) give the message in NAME.expected when imported into
/// Tests/Hostile/safetensors.gan's generator, and change nothing: not a weight, not a
/// running statistic, not the optimiser's state.
@Suite struct SafetensorsHostileTests {
  static let hostile = (repositoryRoot as NSString).appendingPathComponent("Tests/Hostile/safetensors")

  static var hostileNames: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: hostile)) ?? [])
      .filter { $0.hasSuffix(".safetensors") }.map { String($0.dropLast(".safetensors".count)) }.sorted()
  }

  /// The session the files are imported into, trained one step so that the optimiser has state.
  static func session() throws -> Interpreter {
    let interpreter = Interpreter()
    let gan = (repositoryRoot as NSString).appendingPathComponent("Tests/Hostile/safetensors.gan")
    try run(try String(contentsOfFile: gan, encoding: .utf8), in: interpreter)
    try run("data faces count=8 size=8 channels=1 batch=4\nstep 1", in: interpreter)
    return interpreter
  }

  /// Every value of the generator's weights, buffers and optimiser state, bit for bit.
  static func snapshot(_ interpreter: Interpreter) -> [[UInt32]] {
    let g = interpreter.state.networks[.generator]!
    let o = interpreter.state.optimizers[.generator]!
    let tensors =
      g.namedParameters.map(\.parameter.value) + g.namedBuffers.map(\.value) + o.firstMoments
      + o.secondMoments
    return tensors.map { t in (0..<t.count).map { t.pointer[$0].bitPattern } } + [[UInt32(o.steps)]]
  }

  @Test("every hostile safetensors file gives its expected message and changes nothing", arguments: hostileNames)
  func hostileFile(_ name: String) throws {
    let interpreter = try Self.session()
    let before = Self.snapshot(interpreter)
    let file = (Self.hostile as NSString).appendingPathComponent(name + ".safetensors")
    var message: String?
    do {
      try run("import generator \"\(file)\"", in: interpreter)
    } catch {
      var e = error
      e.location = nil
      message = e.description.replacingOccurrences(
        of: (Self.hostile as NSString).deletingLastPathComponent + "/", with: "")
    }
    let expectedFile = (Self.hostile as NSString).appendingPathComponent(name + ".expected")
    if ProcessInfo.processInfo.environment["GANREPL_RECORD"] != nil, let message {
      try (message + "\n").write(toFile: expectedFile, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOfFile: expectedFile, encoding: .utf8)
    #expect(message.map { $0 + "\n" } == expected, "\(name)")
    #expect(Self.snapshot(interpreter) == before, "\(name) changed the generator")
  }
}
