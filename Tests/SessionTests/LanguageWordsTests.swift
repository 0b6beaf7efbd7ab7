import Testing

@testable import Session

/// Each word in one place: numbers checked one way, suggestions worded one way, `param`
/// resolved once, and each command keeping the line it was read from.
@Suite("Language words")
struct LanguageWordsTests {
  /// The message of `parseError(line)` without its `file:line:col: ` prefix.
  func message(_ line: String) -> String {
    let error = parseError(line)
    return String(error.drop { $0 != " " }.dropFirst())
  }

  @Test("a setting's number reads like the same number anywhere else")
  func oneNumberPath() throws {
    let commands = try parse("set batch 8*4\ndata faces batch=8*4\nset seed 2*3")
    guard case .set(.batch(let fromSet), _) = commands[0], case .data(_, let fromData) = commands[1] else {
      Issue.record("\(commands)")
      return
    }
    #expect(fromSet == 32 && fromData == 32)
    guard case .set(.seed(6), _) = commands[2] else { Issue.record("\(commands[2])"); return }
    for value in ["0", "4097", "x", "99999999999*99999999999"] {
      #expect(message("set batch \(value)") == message("data faces batch=\(value)"), "\(value)")
    }
    #expect(
      message("set real-label 1e40")
        == message("optimizer adam lr=1e40").replacingOccurrences(of: "lr", with: "real-label").replacingOccurrences(
          of: "10", with: "1"))
    #expect(message("set real-label 1e40").hasPrefix("error: real-label '1e40' is out of range"))
    #expect(message("set seed -1") == "error: invalid seed '-1': expected a whole number ≥ 0")
  }

  @Test("a suggestion is worded by the error, wherever it is made")
  func suggestions() {
    #expect(message("data facse").hasSuffix("(did you mean 'faces'?)"))
    #expect(message("optimizer adma").hasSuffix("(did you mean 'adam'?)"))
    #expect(message("every 5 stpes sample 4 \"a.png\"").hasSuffix("(did you mean 'steps'?)"))
    #expect(message("set d-loss sun") == "error: invalid d-loss 'sun': expected mean or sum (did you mean 'sum'?)")
    #expect(message("resize") != "no error")
  }

  @Test("show's arguments are named for the user")
  func showArguments() {
    #expect(message("show history 0") == "error: invalid count '0': expected a whole number from 1 to 1000000")
    #expect(message("show data x \"a.png\"") == "error: invalid count 'x': expected a whole number from 1 to 4096")
    #expect(message("show settings 3").hasPrefix("error: unexpected '3'"))
    #expect(parseError("show data 4") == "no error")  // drawn in the terminal
  }

  @Test("param resolves once, in the parser: --set wins, a later param line changes the default")
  func paramOnce() throws {
    let given = try Notebook(
      text: "param x = 1\nparam x = 2\nstep $x", file: "t.gan", variables: ["x": "3"]
    ).commands.map(\.value)
    #expect("\(given)" == "\([Command.param(name: "x", value: "3"), .param(name: "x", value: "3"), .step(count: 3)])")
    let defaults = try parse("param x = 1\nparam x = 2\nstep $x")
    #expect(
      "\(defaults)" == "\([Command.param(name: "x", value: "1"), .param(name: "x", value: "2"), .step(count: 2)])")
    let interpreter = Interpreter(variables: ["x": "3"])
    try run("param x = 1\nparam y = 2", in: interpreter)
    #expect(interpreter.state.variables == ["x": "3", "y": "2"])
  }

  @Test("param NAME=VALUE, as --set writes it, declares the same parameter as param NAME = VALUE")
  func paramWithoutSpaces() throws {
    #expect(
      "\(try parse("param x=1\nparam out=\"a b\"\nstep $x"))"
        == "\([Command.param(name: "x", value: "1"), .param(name: "out", value: "a b"), .step(count: 1)])")
    #expect("\(try parse("param x=1\nstep $x", variables: ["x": "4"]).last!)" == "\(Command.step(count: 4))")
    #expect(parseError("param x=1 2") == "t.gan:1:11: error: unexpected '2'\n  hint: usage: param NAME = VALUE")
    #expect(parseError("param =5").hasPrefix("t.gan:1:7: error: invalid parameter name ''"))
    #expect(parseError("param").hasPrefix("t.gan:1:1: error: missing name"))
    #expect(parseError("param x").hasPrefix("t.gan:1:7: error: missing a value"))
  }

  @Test("a command carries the line it was read from; a block its first line")
  func sourceText() throws {
    let commands = try Notebook(
      text: "set seed 3  # a comment\n\ngenerator init=normal\n  dense 4\nend\n  step 2", file: "t.gan", variables: [:]
    ).commands
    #expect(commands.map(\.source) == ["set seed 3  # a comment", "generator init=normal", "  step 2"])
    #expect(commands.map(\.location.line) == [1, 3, 6])
  }

  /// The words a syntax declares: its positionals' words, down every branch, its
  /// options, and their value words other than true/false.
  static func declaredWords(_ syntax: Syntax) -> Set<String> {
    var words = Set(syntax.options.map(\.name))
    words.formUnion(syntax.options.flatMap(\.choices).filter { $0 != "true" && $0 != "false" })
    var queue = syntax.positionals
    while let positional = queue.popLast() {
      for choice in positional.words() {
        words.insert(choice.word)
        queue += choice.then ?? []
      }
    }
    return words
  }

  @Test("help's usage lines name every word the declarations accept")
  func usageNamesDeclaredWords() {
    // help's topics and set's names are listed by 'help' and 'help settings' themselves;
    // 'optimizer both' is accepted for symmetry and not advertised.
    for entry in CommandTable.entries where entry.name != "help" && entry.name != "set" {
      for word in Self.declaredWords(entry.syntax).subtracting(["both"]) {
        #expect(entry.usage.contains(word), "\(entry.name): '\(word)' missing from '\(entry.usage)'")
      }
    }
    for entry in LayerTable.entries {
      for word in Self.declaredWords(entry.syntax) {
        #expect(entry.usage.contains(word), "\(entry.name): '\(word)' missing from '\(entry.usage)'")
      }
    }
  }

  @Test("commands and layers are looked up the same way, aliases included")
  func tables() {
    #expect(CommandTable.entry(named: "EXIT")?.name == "quit")
    #expect(LayerTable.entry(named: "convt")?.name == "deconv")
    #expect(LayerTable.spellings.contains("lrelu"))
    #expect(CommandTable.names.first == "help")
  }
}
