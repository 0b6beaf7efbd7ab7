import Testing

/// `help` topics at a real terminal: Tab completes a concept's name from readline, and the
/// explanation follows.
@Suite(
  "Concepts at a terminal", .enabled(if: pseudoTerminalsAvailable, "no pseudo-terminal (/dev/ptmx) on this machine"))
struct ConceptTerminalTests {
  @Test("help mode-<Tab> completes to mode-collapse, and Enter explains it")
  func tabCompletesConcept() throws {
    let terminal = try PseudoTerminal()
    var at = 0
    #expect(terminal.waitFor("ganrepl> ", after: &at))
    terminal.send("help mode-\t")
    #expect(terminal.waitFor("help mode-collapse ", after: &at, seconds: 5), "\(terminal.screenText)")
    terminal.send("\r")
    #expect(terminal.waitFor("mode-collapse: G makes only a few kinds of output", after: &at), "\(terminal.screenText)")
    #expect(terminal.waitFor("modes covered 5 of 8", after: &at), "\(terminal.screenText)")
  }
}
