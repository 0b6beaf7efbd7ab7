import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// `help concepts` and `help TOPIC`: the texts fit a screen, the natural spellings reach
/// them, unknown topics are errors with a suggestion, and Tab offers them.
@Suite("Concepts")
struct ConceptTests {
  @Test("the issue's topics are there, each explained in a screen of at most 80 columns")
  func topicsFitAScreen() {
    let required = [
      "gan", "generator", "discriminator", "losses", "d-of-x", "mode-collapse", "vanishing-gradients", "batchnorm",
      "latent-space", "checkerboard", "label-smoothing", "pacgan", "mbstd", "diagnoses",
    ]
    #expect(Concepts.all.map(\.name) == required)
    for concept in Concepts.all {
      let lines = concept.text.split(separator: "\n", omittingEmptySubsequences: false)
      // The heading line and a blank line come first: 22 + 2 fits a 24-line terminal.
      #expect(lines.count <= 22, "\(concept.name): \(lines.count) lines")
      for line in lines { #expect(line.count <= 80, "\(concept.name): \(line.count) columns: \(line)") }
      #expect(concept.summary.count + concept.name.count <= 70, "\(concept.name): summary too long")
    }
  }

  @Test("the numbers the texts state are what ganrepl computes")
  func numbers() throws {
    let losses = Concept.named("losses")!.text
    #expect(losses.contains("0.693 (ln 2) with d-loss mean, 1.386 (2 ln 2) with d-loss sum"))
    // BCE of a coin toss, and the smoothed floor -0.9 ln 0.9 - 0.1 ln 0.1.
    let coin = Loss.bce.evaluate(
      Tensor(shape: Shape(1), values: [0.5]), target: 1, input: .probabilities, gradient: Tensor(zeros: Shape(1)))
    #expect(String(format: "%.3f", coin) == "0.693")
    let floor = Loss.bce.evaluate(
      Tensor(shape: Shape(1), values: [0.9]), target: 0.9, input: .probabilities, gradient: Tensor(zeros: Shape(1)))
    #expect(String(format: "%.3f", floor) == "0.325")
    #expect(Concept.named("label-smoothing")!.text.contains("≈ 0.325"))
  }

  @Test("help D(x), help \"D(G(z))\", help mode collapse and help concept generator reach their concepts")
  func spellings() throws {
    let cases: [(String, String)] = [
      ("help D(x)", "d-of-x"), ("help \"D(G(z))\"", "d-of-x"), ("help d-of-x", "d-of-x"),
      ("help mode collapse", "mode-collapse"), ("help Mode_Collapse", "mode-collapse"),
      ("help vanishing gradients", "vanishing-gradients"), ("help concept generator", "generator"),
      ("help concepts batchnorm", "batchnorm"), ("help latent space", "latent-space"), ("help gan", "gan"),
    ]
    for (line, name) in cases {
      let commands = try parse(line)
      guard case .concept(let concept) = commands.first else {
        Issue.record("\(line): \(commands)")
        continue
      }
      #expect(concept?.name == name, "\(line)")
    }
    guard case .concept(nil) = try parse("help concepts").first else {
      Issue.record("help concepts should list the concepts")
      return
    }
  }

  @Test("a command or layer of the same name keeps its help, which points to the concept")
  func commandsFirst() throws {
    guard case .help(let topic) = try parse("help generator").first else {
      Issue.record("help generator should be the command's help")
      return
    }
    #expect(topic == "generator")
    let events = try run("help batchnorm", in: Interpreter())
    guard case .help(.command(_, _, let help, _)) = events.first else {
      Issue.record("\(events)")
      return
    }
    #expect(help.hasSuffix("help concept batchnorm"))
  }

  @Test("unknown topics say where and suggest the nearest concept")
  func unknownTopics() {
    #expect(parseError("help colapse").hasPrefix("t.gan:1:6: error: no command or concept 'colapse'"))
    #expect(parseError("help colapse").contains("did you mean 'mode-collapse'?"))
    #expect(parseError("help mode colapse").contains("did you mean 'mode-collapse'?"))
    #expect(parseError("help concept lables").contains("invalid concept 'lables'"))
    #expect(parseError("help concept lables").contains("did you mean 'label-smoothing'?"))
    #expect(parseError("help trian").contains("did you mean 'train'?"))
    #expect(parseError("help train now").hasPrefix("t.gan:1:12: error: unexpected 'now'"))
  }

  @Test("Tab offers the concepts after help, and every concept after help concept")
  func completion() {
    let topics = Completion.candidates(line: "help ", insideBlock: false) ?? []
    for word in ["concepts", "gan", "mode-collapse", "d-of-x", "train", "layers"] {
      #expect(topics.contains(word), "\(word)")
    }
    #expect(topics.filter { $0 == "generator" }.count == 1, "generator offered once")
    let concepts = Completion.candidates(line: "help concept ", insideBlock: false) ?? []
    #expect(concepts == Concepts.all.map(\.name))
  }
}
