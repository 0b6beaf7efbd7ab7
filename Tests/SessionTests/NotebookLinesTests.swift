import Testing

@testable import Session

/// A notebook's text splits into the lines an editor shows, whatever the line endings.
@Suite("Notebook line endings")
struct NotebookLinesTests {
  @Test("LF, CRLF, lone CR and mixtures give the same lines; a byte-order mark is dropped")
  func endings() {
    let expected = ["set seed 1", "", "data faces", ""]
    for text in [
      "set seed 1\n\ndata faces\n", "set seed 1\r\n\r\ndata faces\r\n", "set seed 1\r\rdata faces\r",
      "set seed 1\r\n\ndata faces\r", "\u{FEFF}set seed 1\n\ndata faces\n",
    ] {
      #expect(Notebook.lines(of: text) == expected, "\(Array(text.unicodeScalars))")
    }
    #expect(Notebook.lines(of: "") == [""])
    #expect(Notebook.lines(of: "a\u{FEFF}b") == ["a\u{FEFF}b"], "only a leading mark is dropped")
  }

  @Test("a CRLF notebook parses line by line, with errors on the right line")
  func crlfNotebook() throws {
    let notebook = try Notebook(text: "set seed 1\r\ndata faces\r\nstep 2\r\n", file: "w.gan", variables: [:])
    #expect(notebook.commands.map(\.location.line) == [1, 2, 3])
    #expect(throws: SessionError.self) { try Notebook(text: "set seed 1\r\ntrian\r\n", file: "w.gan", variables: [:]) }
    do {
      _ = try Notebook(text: "set seed 1\r\ntrian\r\n", file: "w.gan", variables: [:])
    } catch {
      #expect(error.location?.line == 2)
    }
  }
}
