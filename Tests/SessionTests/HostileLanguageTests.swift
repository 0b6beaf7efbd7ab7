import Layers
import Tensors
import Testing

@testable import Session

/// The language's classes of hostile input, over every command and layer rather than one
/// line each (the lines are in Tests/Hostile/notebooks).
@Suite("Hostile language")
struct HostileLanguageTests {
  static let hostileValues = [
    "99999999999*99999999999", "4294967296*4294967296", "99999999999999999999", "-9223372036854775808",
    "9223372036854775807*2", "1e40", "-1e40", "nan", "inf", "0", "-1", "*", "8**8", "a\0b",
    String(repeating: "7", count: 5000),
  ]

  /// Every option and positional of every command and layer, given each hostile value: the
  /// line ends in a command or a `SessionError` (a trap would end the test run), and the
  /// message is one short line of printable text and its hints.
  @Test("every argument of every command and layer takes hostile numbers without a trap")
  func everyArgument() {
    var lines: [String] = []
    for entry in CommandTable.entries where entry.name != "generator" && entry.name != "discriminator" {
      for value in Self.hostileValues {
        lines.append("\(entry.name) \(value)")
        lines.append("\(entry.name) \(value) \(value)")
        for option in entry.syntax.options { lines.append("\(entry.name) \(option.name)=\(value)") }
      }
    }
    for entry in LayerTable.entries {
      for value in Self.hostileValues {
        lines.append("generator\n\(entry.name) \(value)\nend")
        for option in entry.syntax.options { lines.append("generator\n\(entry.name) 8 \(option.name)=\(value)\nend") }
      }
    }
    for value in Self.hostileValues {
      lines.append("generator\nreshape \(value)x\(value)x\(value)\nend")
      lines.append("data ring count=\(value)")
      lines.append("every \(value) steps sample \(value) \"a.png\"")
    }
    for line in lines {
      let message = parseError(line)
      guard message != "no error" else { continue }
      #expect(!message.contains("\0"), "\(line): \(message)")
      #expect(message.split(separator: "\n").allSatisfy { $0.count <= 400 }, "\(line): \(message.prefix(500))")
    }
  }

  @Test("products are checked: an overflow is 'too large', in range is the product")
  func checkedProducts() {
    #expect(
      parseError("generator\ndense 99999999999*99999999999\nend")
        == "t.gan:2:7: error: units '99999999999*99999999999' is too large (overflows)\n"
        + "  hint: expected a whole number from 1 to 16777216"
    )
    #expect(
      parseError("step 4294967296*4294967296")
        == "t.gan:1:6: error: count '4294967296*4294967296' is too large (overflows)\n"
        + "  hint: expected a whole number from 1 to 1000000000"
    )
    #expect(parseError("every 4294967296*4294967296 sample 4 \"a.png\"").contains("is too large (overflows)"))
    #expect((try? parse("step 2*3*4")).map { "\($0)" } == "\([Command.step(count: 24)])")
  }

  @Test("a shape's element count is checked, and inference stops before counts could wrap")
  func shapeCounts() throws {
    #expect(Shape(1 << 40, 1 << 40).checkedCount == nil)
    #expect(Shape(8, 8, 128).checkedCount == 8192)
    #expect(throws: GeometryError.self) {
      try LayerSpec.deconv(filters: 65536, kernel: 64, stride: 64, padding: .valid, bias: true).outputShape(
        for: Shape(64, 64, 3))
    }
    #expect(throws: GeometryError.self) {
      try LayerSpec.reshape(Shape(1 << 24, 1 << 24, 1 << 24)).outputShape(for: Shape(64))
    }
  }

  @Test("flags take true or false, the same for every flag")
  func flagValues() throws {
    for (line, on) in [
      ("data faces flip", true), ("data faces flip=true", true), ("data faces flip=false", false),
      ("data faces", false),
    ] {
      guard case .data(let spec, _) = try parse(line)[0] else { Issue.record("\(line)"); continue }
      #expect(spec.flip == on, "\(line)")
    }
    for (line, on) in [
      ("sample 4 \"a.png\" fresh", true), ("sample 4 \"a.png\" fresh=false", false),
      ("sample 4 \"a.png\" fresh=yes", true),
    ] {
      guard case .sample(_, _, let fresh, _) = try parse(line)[0] else { Issue.record("\(line)"); continue }
      #expect(fresh == on, "\(line)")
    }
    #expect(
      parseError("sample 4 \"a.png\" fresh=2").hasPrefix("t.gan:1:18: error: invalid fresh '2': 'fresh' is a flag"))
  }

  @Test("messages escape control characters and cut long input")
  func shownText() {
    #expect(
      parseError("sample 4 \"a\u{1}b\"")
        == "t.gan:1:10: error: cannot write a grid as 'a\\u{1}b': grids are PNG images\n  hint: end the path in .png")
    let long = String(repeating: "z", count: 100_000)
    #expect(
      parseError(long)
        == "t.gan:1:1: error: unknown command '\(String(repeating: "z", count: 40))…'\n"
        + "  hint: type 'help' for the list of commands"
    )
  }

  @Test("--set names a parameter the notebook declares or uses, or is an error with a suggestion")
  func setNames() throws {
    let notebook = try Notebook(
      text: "param epochs = 3\nsample 4 \"${out}/a.png\"", file: "t.gan", variables: ["out": "o"])
    try notebook.checkParameters(given: ["epochs", "out"])
    #expect(throws: SessionError.self) { try notebook.checkParameters(given: ["epochz"]) }
    do {
      try notebook.checkParameters(given: ["epochz"])
    } catch {
      #expect(
        error.description
          == "error: --set epochz: the notebook has no parameter 'epochz'\n  hint: did you mean 'epochs'?")
    }
  }

  @Test("the memory estimate counts weights four times, outputs once and the largest gradient twice")
  func memoryEstimate() {
    // dense 3 on 4 inputs: 15 parameters; outputs 3 per sample, then tanh 3 more; the
    // largest tensor backward hands along is the input, 4 per sample.
    let bytes = NetworkMemory.trainingBytes(input: Shape(4), specs: [.dense(units: 3, bias: true), .tanh], batch: 10)
    #expect(bytes == Double(4 * (4 * 15 + 10 * (3 + 3) + 2 * 10 * 4)))
    #expect(
      NetworkMemory.trainingBytes(
        input: Shape(4), specs: [.conv(filters: 1, kernel: 3, stride: 1, padding: .valid, bias: true)], batch: 1) == nil
    )
  }

  @Test("a network larger than the machine is refused before it is built")
  func networkTooLarge() throws {
    let interpreter = Interpreter()
    #expect(throws: SessionError.self) { try run("generator\ndense 16777216\ndense 16777216\nend", in: interpreter) }
    #expect(interpreter.state.networks[.generator] == nil)
  }
}
