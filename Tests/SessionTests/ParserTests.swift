import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// Parses `text` as a notebook named `t.gan`.
func parse(_ text: String, variables: [String: String] = [:]) throws(SessionError) -> [Command] {
  try Notebook(text: text, file: "t.gan", variables: variables).commands.map(\.value)
}

/// The error parsing `text` throws, as `file:line:col: error: …` text.
func parseError(_ text: String, variables: [String: String] = [:]) -> String {
  do {
    _ = try parse(text, variables: variables)
    return "no error"
  } catch {
    return error.description
  }
}

@Suite("Parser")
struct ParserTests {
  @Test("options may be written key=value or key value")
  func optionForms() throws {
    let a = try parse("generator\nconv 64 kernel=4 stride=2 padding=same\nend")
    let b = try parse("generator\nconv 64 kernel 4 stride 2 padding same\nend")
    guard case .network(_, let da) = a[0], case .network(_, let db) = b[0] else { Issue.record("not networks"); return }
    #expect(da.layers == db.layers)
    #expect(da.layers == [.conv(filters: 64, kernel: 4, stride: 2, padding: .same, bias: true)])
  }

  @Test("layer arguments: products, shapes, PyTorch padding, bias, aliases")
  func layers() throws {
    let commands = try parse(
      """
      generator init=normal std=0.02
        dense 8*8*128
        reshape 8x8x128
        convtranspose 64 kernel=4 stride=2 padding=1 bias=false
        bn
        relu
        lrelu
        tanh
      end
      """)
    guard case .network(.generator, let d) = commands[0] else { Issue.record("not a generator"); return }
    #expect(d.initializer == .normal(std: 0.02))
    #expect(
      d.layers == [
        .dense(units: 8192, bias: true), .reshape(Shape(8, 8, 128)),
        .deconv(filters: 64, kernel: 4, stride: 2, padding: .explicit(1), bias: false),
        .batchNorm(momentum: 0.1, epsilon: 1e-5), .relu, .leakyReLU(slope: 0.2), .tanh,
      ])
    #expect(d.locations.map(\.line) == [2, 3, 4, 5, 6, 7, 8])
  }

  @Test("strings, escapes, comments and parameters")
  func lexing() throws {
    let commands = try parse(
      """
      param run = "runs/a b"   # a comment
      sample 4 "${run}/grid \\"1\\".png"  # another
      save $run
      """)
    guard case .sample(4, let path, false, false) = commands[1], case .save(let saved) = commands[2] else {
      Issue.record("\(commands)")
      return
    }
    #expect(path == "runs/a b/grid \"1\".png")
    #expect(saved == "runs/a b")
  }

  @Test("inside a string $name is a parameter as in a shell, ${name} too, and \\$ a dollar sign")
  func dollarNames() throws {
    let commands = try parse(
      "param out = \"runs\"\nparam my-run = \"a\"\nsave \"$out/x\"\nsave \"$out-2_${my-run}\"\nsave \"\\$out$\"")
    let paths = commands.compactMap { if case .save(let path) = $0 { path } else { nil } }
    #expect(paths == ["runs/x", "runs-2_a", "$out$"])
    // Unquoted too: the name ends where a name's characters do.
    let bare = try parse("param out = \"runs\"\nsave $out/x.png")
    guard case .save(let path) = bare[1] else { Issue.record("\(bare)"); return }
    #expect(path == "runs/x.png")
    #expect(
      parseError("save \"$outt/x\"", variables: ["out": "o"])
        == "t.gan:1:6: error: no parameter named '$outt'\n  hint: did you mean 'out'?")
  }

  @Test("a bad value from a $parameter says where it came from: --set or the param line")
  func parameterValueTraced() {
    #expect(
      parseError("param n = 3\nstep $n", variables: ["n": "abc"])
        == "t.gan:2:6: error: invalid count 'abc': expected a whole number from 1 to 1000000000\n"
        + "  note: 'abc' is $n, given on the command line: --set n=abc")
    #expect(parseError("param n = \"x\"\ndata faces count=$n").hasSuffix("  note: 'x' is $n, from its 'param' line"))
    #expect(!parseError("step x").contains("note:"))
    // In a block too; and not for an error about an option's name.
    #expect(
      parseError("param k = \"abc\"\ngenerator\n  dense $k").hasSuffix("  note: 'abc' is $k, from its 'param' line"))
    #expect(!parseError("param m = \"train\"\nsample 4 mdoe=$m").contains("note:"))
  }

  @Test("--set wins over a notebook's param default")
  func parameterOverride() throws {
    let commands = try parse("param data = \"default\"\ndata $data size=32", variables: ["data": "given"])
    guard case .data(let spec, nil) = commands[1] else { Issue.record("\(commands)"); return }
    #expect(spec.source == .folder("given"))
    #expect(spec.size == 32)
    // A later param line changes the default; it does not change what --set gave.
    let twice = "param n = 3\nparam data = \"a\"\nparam n = 4\nparam data = \"b\"\nset batch $n\ndata $data"
    let changed = try parse(twice, variables: ["data": "given"])
    guard case .set(.batch(let n), _) = changed[4], case .data(let last, nil) = changed[5] else {
      Issue.record("\(changed)")
      return
    }
    #expect(n == 4 && last.source == .folder("given"))
  }

  @Test("at the prompt, param typed again changes the value, unless --set gave it, and says so")
  func parameterAtThePrompt() throws {
    let interpreter = Interpreter(variables: ["out": "given"])
    var parser = Parser(file: "<repl>")
    var notices: [String] = []
    for (i, line) in ["param n = 3", "param n = 4", "param out = \"mine\""].enumerated() {
      let command = try #require(
        try parser.read(line, number: i + 1, variables: interpreter.state.variables, given: interpreter.given))
      try interpreter.execute(command) { if case .notice(let s) = $0 { notices.append(s) } }
    }
    #expect(interpreter.state.variables == ["n": "4", "out": "given"])
    #expect(notices == ["$n = 3", "$n = 4", "$out = given, as --set gave it (a param line gives a default)"])
  }

  @Test("commands and their typed values")
  func commands() throws {
    let commands = try parse(
      """
      set seed 7
      set real-label 0.9
      data faces count=100 size=32 range=-1..1 resize=crop batch=16
      optimizer discriminator adam lr=2e-4 beta1=0.5
      optimizer sgd lr=0.1 momentum=0.9
      loss mse
      train 3 epochs
      train 10 steps
      step
      every 100 sample 16 "g.png"
      every 2 epochs save "runs/x"
      every 50 batches sample 4 "b.png" mode=train
      every off
      show data 9 "real.png"
      summary generator
      """)
    #expect(commands.count == 15)
    if case .set(.seed(7), _) = commands[0] {} else { Issue.record("seed: \(commands[0])") }
    if case .set(.realLabel(0.9), _) = commands[1] {} else { Issue.record("label: \(commands[1])") }
    if case .data(let spec, 16) = commands[2] {
      #expect(spec.source == .faces(count: 100) && spec.range == .symmetric && spec.resize == .crop)
    } else {
      Issue.record("data: \(commands[2])")
    }
    if case .optimizer([.discriminator], .adam(let lr, 0.5, 0.999, 1e-7), _) = commands[3] {
      #expect(lr == 2e-4)
    } else {
      Issue.record("\(commands[3])")
    }
    if case .optimizer(let roles, .sgd(0.1, 0.9), _) = commands[4] {
      #expect(roles == NetworkRole.allCases)
    } else {
      Issue.record("\(commands[4])")
    }
    if case .train(.epochs(3)) = commands[6], case .train(.steps(10)) = commands[7], case .step(1) = commands[8] {
    } else {
      Issue.record("train")
    }
    if case .every(let rule?) = commands[9] {
      #expect(rule.period == .steps(100) && rule.action == .sample(count: 16, path: "g.png", batchStatistics: false))
    } else {
      Issue.record("every")
    }
    if case .every(let rule?) = commands[10] {
      #expect(rule.period == .epochs(2))
    } else {
      Issue.record("every epochs")
    }
    if case .every(let rule?) = commands[11] {
      #expect(rule.period == .batches(50) && rule.action == .sample(count: 4, path: "b.png", batchStatistics: true))
    } else {
      Issue.record("every batches")
    }
    if case .every(nil) = commands[12], case .show(.data(9, "real.png")) = commands[13],
      case .summary([.generator]) = commands[14]
    {
    } else {
      Issue.record("tail")
    }
  }

  @Test("bench: training architectures, or a data folder with its options")
  func bench() throws {
    let commands = try parse("bench\nbench dcgan steps=3\nbench data \"/x y\" size=64 steps=4")
    if case .bench(let archs, 5) = commands[0] {
      #expect(archs == BenchmarkArchitecture.allCases)
    } else {
      Issue.record("\(commands[0])")
    }
    if case .bench([.dcgan], 3) = commands[1] {} else { Issue.record("\(commands[1])") }
    if case .benchData(let spec, 4) = commands[2] {
      #expect(spec.source == .folder("/x y"))
    } else {
      Issue.record("\(commands[2])")
    }
    #expect(parseError("bench data").hasPrefix("t.gan:1:1: error: missing the folder to load"))
  }

  @Test("errors point at the line and column and suggest a fix")
  func errors() {
    #expect(parseError("trian 1 epoch") == "t.gan:1:1: error: unknown command 'trian'\n  hint: did you mean 'train'?")
    #expect(
      parseError("generator\n  conv 64 kernal=4\nend")
        == "t.gan:2:11: error: 'conv' has no option 'kernal'\n  hint: did you mean 'kernel'?")
    #expect(
      parseError("generator\n  convt2 64 kernel=4\nend").hasPrefix(
        "t.gan:2:3: error: unknown layer 'convt2'\n  hint: did you mean 'convt'?"))
    #expect(parseError("generator\n  conv 64 stride=2\nend").hasPrefix("t.gan:2:3: error: missing kernel size"))
    #expect(
      parseError("generator\n  conv 64 kernel=4 padding=5\nend").hasPrefix(
        "t.gan:2:20: error: invalid padding '5': expected 'same', 'valid' or a number from 0 to 3"))
    #expect(
      parseError("generator\n  dense 10\n")
        == "t.gan:1:1: error: 'generator' block is never closed\n  hint: finish the block with a line 'end'")
    #expect(parseError("end") == "t.gan:1:1: error: 'end' without a 'generator' or 'discriminator' block to close")
    #expect(parseError("generator\n  train 1\nend").hasPrefix("t.gan:2:3: error: 'train' is a command, not a layer"))
    #expect(
      parseError("data $dta", variables: ["data": "x"])
        == "t.gan:1:6: error: no parameter named '$dta'\n  hint: did you mean 'data'?")
    #expect(
      parseError("sample 4 \"unterminated")
        == "t.gan:1:10: error: unterminated string\n  hint: close the string with \"")
    #expect(parseError("set bach 8").hasPrefix("t.gan:1:5: error: 'set' has no option 'bach'"))
    #expect(parseError("set batch 0") == "t.gan:1:11: error: invalid batch '0': expected a whole number from 1 to 4096")
    #expect(
      parseError("loss bse").hasPrefix(
        "t.gan:1:6: error: invalid loss 'bse': expected one of 'bce', 'mse', 'hinge' (did you mean 'bce'?)"))
    #expect(
      parseError("train 1 epoch extra")
        == "t.gan:1:15: error: unexpected 'extra'\n  hint: usage: train N [epochs|steps] | train until epoch|step N")
    #expect(
      parseError("generator\nend")
        == "t.gan:1:1: error: the generator has no layers\n  hint: put layers between the block's first line and 'end'")
  }

  @Test("reading line by line (the REPL) gives the same commands as a whole notebook")
  func lineByLine() throws {
    let text = "set seed 3\ngenerator\n  dense 4\n  tanh\nend\nstep 2"
    var parser = Parser(file: "t.gan")
    var commands: [Located<Command>] = []
    for (i, line) in text.split(separator: "\n").enumerated() {
      if let c = try parser.read(String(line), number: i + 1, variables: [:]) { commands.append(c) }
      #expect(parser.isInsideBlock == (1...3).contains(i))
    }
    let whole = try Notebook(text: text, file: "t.gan", variables: [:]).commands
    #expect(commands.map(\.location) == whole.map(\.location))
    #expect("\(commands.map(\.value))" == "\(whole.map(\.value))")
  }

  @Test("completion offers commands, layers inside blocks, and a command's words")
  func completion() {
    #expect(Completion.candidates(line: "", insideBlock: false)?.contains("train") == true)
    #expect(Completion.candidates(line: "", insideBlock: true)?.contains("deconv") == true)
    #expect(Completion.candidates(line: "conv 64 ", insideBlock: true)?.contains("kernel=") == true)
    #expect(Completion.candidates(line: "loss ", insideBlock: false) == ["bce", "mse", "hinge"])
    #expect(Completion.candidates(line: "save \"runs/", insideBlock: false) == nil)
  }

  @Test("a quoted ~ or ~/… is the home folder, everywhere a path is written; other tildes stay")
  func homeFolder() throws {
    #expect(Lexer.home("~/faces.png", home: "/home/ada") == "/home/ada/faces.png")
    #expect(Lexer.home("~", home: "/home/ada") == "/home/ada")
    for kept in ["~ada/x", "runs/~/x", "~x", "./~/x"] { #expect(Lexer.home(kept, home: "/home/ada") == kept) }
    #expect(Lexer.home("~/x", home: nil) == "~/x")
    let home = try #require(getenv("HOME").map { String(cString: $0) })
    let commands = try parse(
      "save \"~/run1\"\nsample 16 \"~/s.png\"\nevery 5 steps save \"~/r\"\nparam out = \"~/o\"\nsave \"${out}/x\"")
    guard case .save(let saved) = commands[0], case .sample(_, let sampled, _, _) = commands[1],
      case .every(let rule?) = commands[2], case .save(let interpolated) = commands[4]
    else { Issue.record("\(commands)"); return }
    #expect(saved == home + "/run1" && sampled == home + "/s.png" && interpolated == home + "/o/x")
    #expect(rule.action == .save(path: home + "/r"))
    guard case .sample(_, let bare?, _, _) = try parse("sample 16 ~/bare.png")[0] else {
      Issue.record("no path"); return
    }
    #expect(bare == home + "/bare.png")
  }

  @Test("an optimiser refuses the other one's options instead of ignoring them")
  func optimizerOptions() throws {
    #expect(
      parseError("optimizer sgd lr=0.1 beta1=0.5")
        == "t.gan:1:22: error: 'optimizer sgd' has no option 'beta1'\n  hint: options: lr, momentum")
    #expect(parseError("optimizer generator adam momentum=0.9").contains("'optimizer adam' has no option 'momentum'"))
    #expect(parseError("optimizer adam ep=1e-8").contains("did you mean 'eps'"))
    #expect(
      try parse("optimizer adam lr=2e-4 beta1=0.5 beta2=0.99 eps=1e-8\noptimizer sgd lr=0.1 momentum=0.9").count == 2)
  }

  @Test("words of errors: 'off' among augmentations, a save's own reason without the generic hint")
  func errorWords() throws {
    let off = parseError("augment off color")
    #expect(off.contains("'off' alone") && !off.contains("did you mean"), "\(off)")
    // save's own refusal says what to do; the system's reasons get the general hint.
    let folder = temporaryFolder()
    FileManager.default.createFile(atPath: folder + "/notes.txt", contents: Data())
    do {
      try run("save \"\(folder)\"", in: Interpreter())
      Issue.record("saved into a folder holding notes.txt")
    } catch {
      #expect(error.message.contains("it holds 'notes.txt'") && error.hint == nil, "\(error)")
    }
    let system = SessionError(.cannotWrite("runs", reason: "permission denied; try again"))
    #expect(system.hint == "check that the folder exists and is writable")
  }

  @Test("show history with a path alone writes every step")
  func historyPathAlone() throws {
    func file(_ text: String) throws -> (Int, String)? {
      guard case .show(.historyFile(let last, let path)) = try parse(text)[0] else { return nil }
      return (last, path)
    }
    #expect(try file("show history \"h.csv\"").map { $0 == (1_000_000, "h.csv") } == true)
    #expect(try file("show history runs/h.csv").map { $0 == (1_000_000, "runs/h.csv") } == true)
    #expect(try file("show history 20 \"h.csv\"").map { $0 == (20, "h.csv") } == true)
    guard case .show(.history(let last)) = try parse("show history 20")[0] else {
      Issue.record("not a listing"); return
    }
    #expect(last == 20)
    // A count from a parameter is a count, as before.
    guard case .show(.history(let n)) = try parse("show history $n", variables: ["n": "3"])[0] else {
      Issue.record("a parameter's count read as a path")
      return
    }
    #expect(n == 3)
  }
}
