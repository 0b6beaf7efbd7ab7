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
    let command = try parser.read("bench data " + GanREPL.quoted(path), number: 1, variables: [:])
    guard case .benchData(let spec, _) = command?.value, case .folder(let read) = spec.source else {
      Issue.record("\(String(describing: command))")
      return
    }
    #expect(read == path)
  }
}
