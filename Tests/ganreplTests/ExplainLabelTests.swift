import Foundation
import Session
import Testing

@testable import ganrepl

/// `explain step` tells the targets the trainer used: with `set real-label 0.9` (one-sided
/// label smoothing) D is taught 0.9 for real images and G is trained towards 0.9.
@Suite("explain step and the label settings")
struct ExplainLabelTests {
  func explained(_ settings: String) throws -> String {
    let interpreter = Interpreter()
    var explanation: StepExplanation?
    let notebook = try Notebook(text: tinyGAN + "\n" + settings + "\nexplain step", file: "t.gan", variables: [:])
    for command in notebook.commands {
      _ = try interpreter.execute(command) { if case .explainedStep(let e) = $0 { explanation = e } }
    }
    // One line of words: the sentences are wrapped at 100 columns.
    return Presenter(timings: false, live: false).explanation(try #require(explanation))
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  @Test("real-label 0.9 and fake-label 0.1: every sentence names the targets in use")
  func smoothed() throws {
    let text = try explained("set real-label 0.9\nset fake-label 0.1")
    #expect(text.contains("D wants it near 0.9."), "\(text)")
    #expect(text.contains("D wants it near 0.1, G near 0.9."), "\(text)")
    #expect(text.contains("against the label 0.9"), "\(text)")
    #expect(text.contains("against 0.1"), "\(text)")
    #expect(text.contains("against the real label 0.9"), "\(text)")
    #expect(!text.contains("near 1") && !text.contains("near 0,"), "\(text)")
  }

  @Test("labels the other way round turn the verdicts round: 0 means real, and G's loss falls as D(G(z)) falls")
  func swapped() throws {
    let text = try explained("set real-label 0\nset fake-label 1")
    #expect(text.contains("(0 means \"real\", 1 \"fake\")"), "\(text)")
    #expect(text.contains("It falls as D(G(z)) falls."), "\(text)")
    let plain = try explained("")
    #expect(plain.contains("(1 means \"real\", 0 \"fake\")") && plain.contains("It falls as D(G(z)) rises."))
  }

  @Test("the default labels read as before: near 1, near 0, G near 1")
  func defaults() throws {
    let text = try explained("")
    #expect(text.contains("D wants it near 1."), "\(text)")
    #expect(text.contains("D wants it near 0, G near 1."), "\(text)")
  }

  @Test("with pack and mbstd in D, the step says what a verdict is over and what the extra channel shows")
  func packAndGroups() throws {
    let text = try explained(
      """
      discriminator
        pack 2
        conv 8 kernel=4 stride=2 padding=same
        leakyrelu 0.2
        mbstd group=2
        conv 8 kernel=4 stride=2 padding=same
        flatten
        dense 1
        sigmoid
      end
      """)
    #expect(text.contains("Packs of 2 (PacGAN): D gave one verdict per 2 consecutive images"), "\(text)")
    #expect(text.contains("means over 4 verdicts on packs"), "\(text)")
    #expect(
      text.contains("Minibatch std (group 2): D saw one feature more, how much each group of 4 images (2 packs)"),
      "\(text)")
    #expect(!(try explained("")).contains("PacGAN"))
  }
}
