import Testing

@testable import Session

/// An error about a value that came from a `$parameter` names it, when the line is read
/// and when it runs, since the line as written shows only `$name`.
struct ParameterNoteTests {
  func failure(_ text: String, variables: [String: String] = [:]) -> String {
    do {
      try run(text, in: Interpreter(variables: variables))
      return "no error"
    } catch {
      return error.description
    }
  }

  @Test("a folder not found names the --set that gave it")
  func runtimeFromCommandLine() {
    let error = failure("param data = \"faces\"\ndata $data size=16", variables: ["data": "/no/such/ganrepl-folder"])
    #expect(error.hasPrefix("t.gan:2:1: error: no such file or folder: /no/such/ganrepl-folder"))
    #expect(
      error.hasSuffix(
        "\n  note: '/no/such/ganrepl-folder' is $data, given on the command line: --set data=/no/such/ganrepl-folder"))
  }

  @Test("a file not found inside a string names its param line")
  func runtimeFromParamLine() {
    let error = failure("param name = \"no-such-session\"\nload \"$name.ganrepl\"")
    #expect(error.contains("no such file or folder"))
    #expect(error.hasSuffix("\n  note: 'no-such-session' is $name, from its 'param' line"))
  }

  @Test("an error that does not show the value gets no note")
  func unrelatedError() {
    let error = failure("param n = 2\nstep $n")
    #expect(error.contains("error: "))
    #expect(!error.contains("note:"))
  }

  @Test("a value counts only as a whole word or a path's start")
  func wholeValues() {
    func use(_ value: String) -> ParameterUse { ParameterUse(name: "p", value: value, fromCommandLine: false) }
    #expect(use("5").appears(in: "invalid count 5"))
    #expect(!use("5").appears(in: "invalid count 15"))
    #expect(!use("5").appears(in: "invalid count 51"))
    #expect(use("out").appears(in: "cannot write out/s.png: 'out' does not exist"))
    #expect(!use("out").appears(in: "cannot write output/s.png"))
    #expect(use("x.ganrepl").appears(in: "no such file: x.ganrepl."))
    #expect(!use("").appears(in: "anything"))
  }
}

extension ParameterNoteTests {
  @Test(
    "an unquoted word with $name or ${name} past its start has them replaced, as in a string; a $ before no name stays")
  func parametersInsideBareWords() throws {
    let commands = try parse(
      "param n = \"abc\"\nsave out/$n\nsave out/${n}-2/x\nsave a$\nsave a$1")
    let paths = commands.compactMap { if case .save(let path) = $0 { path } else { nil } }
    #expect(paths == ["out/abc", "out/abc-2/x", "a$", "a$1"])
    let both = try parse("param n = \"abc\"\nparam out = \"o\"\nsave $out/$n\nsave ${n}0")
    #expect(both.compactMap { if case .save(let path) = $0 { path } else { nil } } == ["o/abc", "abc0"])
    // A value made of a parameter and more is not the parameter's: no note claims it is.
    #expect(!parseError("param n = 3\nstep ${n}x", variables: ["n": "a"]).contains("note:"))
    #expect(parseError("save out/$nn", variables: ["n": "x"]).contains("no parameter named '$nn'"))
  }
}

extension ParameterNoteTests {
  @Test("a $name used above its param line: the note names the line that declares it")
  func declaredBelow() {
    #expect(
      parseError("sample 4 \"o/$n.png\"\nstep\nparam n = \"a\"").hasSuffix(
        "\n  note: 'param n' is on line 3, below this one: a parameter is read from its line on; move it up"))
    #expect(!parseError("sample 4 \"o/$n.png\"\nparam m = 1").contains("note:"))
  }
}
