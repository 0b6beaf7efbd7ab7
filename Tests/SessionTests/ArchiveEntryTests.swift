import Foundation
import Tensors
import Testing

@testable import Session

/// The one naming scheme of `tensors.bin` (`ArchiveEntry`): the names are the ones sessions
/// were saved with before it existed, and `load` needs every one of them.
@Suite struct ArchiveEntryTests {
  /// Tests/Hostile/base-session.gan up to its training: one of each kind of layer.
  static func baseNetworks() throws -> String {
    let file = (repositoryRoot as NSString).appendingPathComponent("Tests/Hostile/base-session.gan")
    let text = try String(contentsOfFile: file, encoding: .utf8)
    return String(text[..<text.range(of: "\nevery ")!.lowerBound])
  }

  /// A session the code before `ArchiveEntry` saved: the base every hostile session is
  /// made from (scripts/make-hostile-sessions), with its one damage undone.
  static func oldSession() throws -> String {
    let folder = temporaryFolder() + "/old"
    try FileManager.default.copyItem(
      atPath: (SessionArchiveTests.hostile as NSString).appendingPathComponent("batch-zero"), toPath: folder)
    let file = URL(fileURLWithPath: folder + "/session.json")
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
    json["batch"] = 4
    try JSONSerialization.data(withJSONObject: json).write(to: file)
    return folder
  }

  @Test("every tensor keeps the name and the place in tensors.bin it was saved under before")
  func names() throws {
    let interpreter = Interpreter()
    try run(try Self.baseNetworks(), in: interpreter)
    let names = interpreter.archive.tensors.map(\.entry.description)
    var expected: [String] = []
    for (role, weights, buffers) in [
      (
        "generator", ["0.kernel", "0.bias", "2.gamma", "2.beta", "4.kernel", "4.bias"],
        ["2.running_mean", "2.running_var"]
      ),
      ("discriminator", ["0.kernel", "0.bias", "4.kernel", "4.bias"], []),
    ] {
      expected += (weights + buffers).map { "\(role).\($0)" }
      expected += weights.flatMap { ["optimizer.\(role).m.\($0)", "optimizer.\(role).v.\($0)"] }
    }
    expected.append("fixed_noise")
    #expect(names == expected)
    #expect(expected.count == 33)
  }

  @Test("a session saved before the naming scheme loads, and saves again to the very same tensors.bin")
  func oldSessionLoads() throws {
    let old = try Self.oldSession()
    let interpreter = Interpreter()
    try run("load \"\(old)\"", in: interpreter)
    #expect(interpreter.state.step == 2 && interpreter.state.batch == 4)
    #expect(interpreter.state.optimizers[.generator]!.steps == 2)
    let again = temporaryFolder() + "/again"
    try run("save \"\(again)\"", in: interpreter)
    let before = try Data(contentsOf: URL(fileURLWithPath: old + "/tensors.bin"))
    let after = try Data(contentsOf: URL(fileURLWithPath: again + "/tensors.bin"))
    #expect(before.count == after.count && before == after)
  }

  @Test(
    "load needs every entry of every kind, with its shape, and names the one missing",
    arguments: [
      "generator.2.running_var", "optimizer.generator.m.2.gamma", "optimizer.discriminator.v.4.bias", "fixed_noise",
    ]
  )
  func everyEntryNeeded(_ name: String) throws {
    let old = try Self.oldSession()
    let file = old + "/tensors.bin"
    guard case .success(var tensors) = TensorArchive.decode(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
    else { throw CocoaError(.fileReadCorruptFile) }
    let shape = tensors[name]!.shape
    let interpreter = Interpreter()
    try run("set latent 3", in: interpreter)
    func loadError() throws -> String? {
      do {
        try run("load \"\(old)\"", in: interpreter)
        return nil
      } catch {
        return error.message
      }
    }
    tensors[name] = nil
    try Data(TensorArchive.encode(tensors.map { ($0.key, $0.value) })).write(to: URL(fileURLWithPath: file))
    #expect(try loadError() == "\(file): \(name) is missing; the definitions in session.json need it")

    let wrong = Shape(shape.dims + [1])
    tensors[name] = Tensor(zeros: wrong)
    try Data(TensorArchive.encode(tensors.map { ($0.key, $0.value) })).write(to: URL(fileURLWithPath: file))
    #expect(
      try loadError()
        == "\(file): \(name) has shape \(wrong), expected \(shape) from the definitions in session.json")
    #expect(interpreter.state.networks.isEmpty && interpreter.state.latent == 3)
  }
}
