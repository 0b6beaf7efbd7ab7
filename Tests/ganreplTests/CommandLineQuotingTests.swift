import Session
import Testing

@testable import ganrepl

/// `ganrepl bench data PATH`: a path from the shell becomes a string of the language and
/// must read back as itself.
@Suite("Paths from the command line")
struct CommandLineQuotingTests {
  @Test(
    "a path with quotes, backslashes and dollar signs reads back as itself",
    arguments: [
      "plain/folder", "d$x", "runs/${out}", "a \"quoted\" name", "back\\slash", "$", "trailing\\",
    ])
  func roundTrip(path: String) throws {
    var parser = Parser(file: "<command line>")
    let command = try parser.read("bench data " + Lexer.quoted(path), number: 1, variables: [:])
    guard case .benchData(let spec, _) = command?.value, case .folder(let read) = spec.source else {
      Issue.record("\(String(describing: command))")
      return
    }
    #expect(read == path)
    // The lines ganrepl prints for such a path read back too.
    var again = Parser(file: "<printed>")
    let printed = DataSpec(source: .folder(path)).description
    guard case .data(let spec2, _) = try again.read(printed, number: 1, variables: [:])?.value,
      case .folder(let path2) = spec2.source
    else {
      Issue.record("\(printed)")
      return
    }
    #expect(path2 == path, "\(printed)")
  }
}

extension CommandLineQuotingTests {
  @Test("ganrepl bench data PATH takes its options as --size 32 or as size=32, the path quoted")
  func benchOptions() {
    #expect(
      GanREPL.benchLine(["data", "my faces", "--size", "32", "steps=2"]) == "bench data \"my faces\" size=32 steps=2")
    #expect(GanREPL.benchLine(["dcgan", "--steps=3"]) == "bench dcgan steps=3")
    #expect(GanREPL.benchLine(["data", "a=b"]) == "bench data \"a=b\"")
    #expect(GanREPL.benchLine(["--help"]) == nil)
  }
}
