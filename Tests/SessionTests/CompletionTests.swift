import Testing

@testable import Session

/// Tab completion reads the same declarations as the binder, so what it offers parses.
@Suite("Completion")
struct CompletionTests {
  /// Whether `line` parses, or fails only for want of more words: a prefix of a command.
  static func acceptsPrefix(_ line: String, insideBlock: Bool) -> Bool {
    let text = insideBlock ? "generator\n\(line)\nend" : line
    do {
      _ = try Notebook(text: text, file: "t.gan", variables: [:])
      return true
    } catch {
      switch error.kind {
      case .missingArgument: return true
      // A layer may be complete but not yet legal (`conv 8` before its kernel): parsed.
      case .network, .emptyNetwork: return insideBlock
      default: return false
      }
    }
  }

  /// Every word completion offers after `prefix` (itself accepted), followed down to
  /// `depth` more words: each must leave a line the parser accepts (or only asks more of).
  /// Option keys are followed by their value words when they have some.
  static func check(_ prefix: String, insideBlock: Bool, depth: Int, failures: inout [String]) {
    guard acceptsPrefix(String(prefix.dropLast()), insideBlock: insideBlock) else { return }
    for candidate in Completion.candidates(line: prefix, insideBlock: insideBlock) ?? [] {
      if candidate.hasSuffix("=") {
        for value in Completion.candidates(line: prefix + candidate, insideBlock: insideBlock) ?? [] {
          let line = prefix + candidate + value
          if !acceptsPrefix(line, insideBlock: insideBlock) { failures.append(line) }
        }
        continue
      }
      let line = prefix + candidate
      if !acceptsPrefix(line, insideBlock: insideBlock) {
        failures.append(line)
      } else if depth > 0 {
        check(line + " ", insideBlock: insideBlock, depth: depth - 1, failures: &failures)
      }
    }
  }

  @Test("for each command and layer, every completion candidate parses")
  func candidatesParse() {
    var failures: [String] = []
    for entry in CommandTable.entries where entry.name != "generator" && entry.name != "discriminator" {
      Self.check(entry.name + " ", insideBlock: false, depth: 3, failures: &failures)
      // After a number or a path, where the declarations say what follows.
      Self.check(entry.name + " 4 ", insideBlock: false, depth: 2, failures: &failures)
      Self.check(entry.name + " \"runs/x.png\" ", insideBlock: false, depth: 1, failures: &failures)
    }
    for entry in LayerTable.entries {
      Self.check(entry.name + " ", insideBlock: true, depth: 1, failures: &failures)
      Self.check(entry.name + " 8 ", insideBlock: true, depth: 1, failures: &failures)
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test("a command's words come from its declaration, in the place they parse")
  func declaredWords() {
    #expect(Completion.candidates(line: "data ", insideBlock: false)?.prefix(3) == ["faces", "ring", "grid"])
    // crop and squash are values of resize=, never bare words.
    #expect(Completion.candidates(line: "data \"x\" ", insideBlock: false)?.contains("crop") == false)
    #expect(Completion.candidates(line: "data \"x\" resize=", insideBlock: false) == ["squash", "crop"])
    #expect(Completion.candidates(line: "data \"x\" resize ", insideBlock: false) == ["squash", "crop"])
    // Toy points take only count and batch; a given option is not offered again.
    #expect(Completion.candidates(line: "data ring ", insideBlock: false) == ["batch=", "count="])
    #expect(Completion.candidates(line: "data ring count=8 ", insideBlock: false) == ["batch="])
    // A source is offered only if the options already given apply to it.
    #expect(Completion.candidates(line: "data flip ", insideBlock: false)?.prefix(1) == ["faces"])
    #expect(
      Completion.candidates(line: "show ", insideBlock: false) == [
        "data", "settings", "history", "params", "gradients", "diagnoses", "every", "generator", "discriminator",
      ])
    #expect(Completion.candidates(line: "show settings ", insideBlock: false) == [])
    #expect(Completion.candidates(line: "set d-loss ", insideBlock: false) == ["mean", "sum"])
    #expect(Completion.candidates(line: "optimizer generator ", insideBlock: false)?.prefix(2) == ["adam", "sgd"])
    #expect(Completion.candidates(line: "optimizer sgd ", insideBlock: false) == ["lr=", "momentum="])
    #expect(Completion.candidates(line: "every 5 steps ", insideBlock: false) == ["sample", "save"])
    #expect(Completion.candidates(line: "help ", insideBlock: false)?.contains("deconv") == true)
    #expect(Completion.candidates(line: "conv 8 padding=", insideBlock: true) == ["same", "valid"])
    // A comment or a parameter being typed is no trouble.
    #expect(Completion.candidates(line: "#", insideBlock: false) == CommandTable.names)
    #expect(Completion.candidates(line: "train $", insideBlock: false) == [])
    #expect(Completion.candidates(line: "data $unset ", insideBlock: false)?.contains("size=") == true)
  }
}
