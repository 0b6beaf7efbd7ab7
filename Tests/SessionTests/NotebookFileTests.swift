import Foundation
import Testing

@testable import Session

/// The notebooks in `notebooks/` and the example in `docs/language.md` stay valid: they
/// parse, and their networks build and fit their data (the data is replaced by built-in
/// samples of the same shape; training, sampling and saving are left out).
@Suite("Shipped notebooks and docs")
struct NotebookFileTests {
  /// Runs `text` with every data command replaced by built-in data of the same shape, and
  /// without the commands that train, write files or benchmark.
  static func check(_ text: String, file: String) throws -> Interpreter {
    let notebook = try Notebook(text: text, file: file, variables: [:])
    let interpreter = Interpreter()
    interpreter.cacheDirectory = nil
    for command in notebook.commands {
      switch command.value {
      case .data(let spec, let batch):
        var builtin = spec
        if !spec.source.isPoints { builtin.source = .faces(count: 8) }
        _ = try interpreter.execute(Located(.data(builtin, batch: batch), at: command.location)) { _ in }
      case .train, .step, .sample, .save, .load, .every, .show, .bench, .benchData: continue
      default: _ = try interpreter.execute(command) { _ in }
      }
    }
    #expect(interpreter.checkFit(warnOnly: true) == nil, "\(file): networks and data do not fit")
    return interpreter
  }

  @Test("every notebook in notebooks/ parses and its networks build on its data")
  func notebooks() throws {
    let folder = repositoryRoot + "/notebooks"
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".gan") }.sorted()
    #expect(files.count >= 5)
    for file in files {
      let interpreter = try Self.check(try String(contentsOfFile: folder + "/" + file, encoding: .utf8), file: file)
      #expect(interpreter.state.networks.count == 2, "\(file)")
    }
  }

  @Test("the complete notebook in docs/language.md runs as written")
  func languageExample() throws {
    let doc = try String(contentsOfFile: repositoryRoot + "/docs/language.md", encoding: .utf8)
    let start = try #require(doc.range(of: "```\n# A complete notebook"))
    let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
    let text = String(doc[doc.index(start.lowerBound, offsetBy: 4)..<end.lowerBound])
    let interpreter = try Self.check(text, file: "language.md")
    #expect(interpreter.state.networks[.generator]?.outputShape == interpreter.state.dataset?.sampleShape)
  }
}
