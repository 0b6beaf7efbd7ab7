import Foundation
import Testing

@testable import Session

@Suite("sample, show data and every without a path: pictures for the terminal")
struct InlinePictureCommandTests {
  @Test("the parser accepts the path-less forms, with their options")
  func parsing() throws {
    let commands = try parse(
      """
      sample 16
      sample 4 fresh mode=train
      show data 9
      every 50 steps sample 16
      every 2 batches sample 4 mode=train
      every 1 epoch sample 8 "out/{epoch}.png" mode=train
      """)
    guard case .sample(16, nil, false, false) = commands[0], case .sample(4, nil, true, true) = commands[1],
      case .show(.data(9, nil)) = commands[2],
      case .every(let flip?) = commands[3], case .every(let train?) = commands[4], case .every(let file?) = commands[5]
    else {
      Issue.record("\(commands)")
      return
    }
    #expect(flip == EveryRule(period: .steps(50), action: .sample(count: 16, path: nil, batchStatistics: false)))
    #expect(train == EveryRule(period: .batches(2), action: .sample(count: 4, path: nil, batchStatistics: true)))
    #expect(file.action == .sample(count: 8, path: "out/{epoch}.png", batchStatistics: true))
    #expect("\(flip)" == "every 50 steps: sample 16")
  }

  @Test("what stays wrong says where and what to write")
  func errors() {
    #expect(
      parseError("every 5 steps sample")
        == "t.gan:1:15: error: missing a COUNT to sample\n  hint: usage: every N [steps|batches|epochs] sample COUNT [PATH] | every N [steps|batches|epochs] save PATH | every off [N]"
    )
    #expect(
      parseError("every 5 steps sample 4 mode=fast").contains(
        "expected COUNT (1–4096), an optional PATH and optionally mode=eval|train"))
    #expect(parseError("every 5 steps sample 4 \"a.png\" extra").hasPrefix("t.gan:1:32: error: invalid sample 'extra'"))
    #expect(parseError("sample 4 \"grid.jpg\"").contains("grid.jpg"))
    #expect(parseError("show data 4 \"grid.jpg\"").contains("grid.jpg"))
  }

  @Test("a path-less rule is saved and loaded as one (old rules with a path decode as before)")
  func coding() throws {
    let rule = EveryRule(period: .steps(3), action: .sample(count: 4, path: nil, batchStatistics: false))
    let data = try JSONEncoder().encode(rule)
    #expect(try JSONDecoder().decode(EveryRule.self, from: data) == rule)
    let old = #"{"period":{"steps":{"_0":3}},"action":{"sample":{"count":4,"path":"a.png","batchStatistics":false}}}"#
    let decoded = try JSONDecoder().decode(EveryRule.self, from: Data(old.utf8))
    #expect(decoded.action == .sample(count: 4, path: "a.png", batchStatistics: false))
  }

  @Test("running them reports pictures, not files; an every rule's are flip-book frames")
  func events() throws {
    let interpreter = Interpreter()
    let events = try run(tinyGAN + "\nsample 4\nshow data 2\nevery 2 steps sample 4\ntrain 3 steps\n", in: interpreter)
    let pictures = events.compactMap { event -> InlinePicture? in
      if case .picture(let p) = event { return p }
      return nil
    }
    #expect(pictures.map(\.name) == ["sample-step0", "data-2", "sample-step1", "sample-step3"])
    #expect(pictures.map(\.isFrame) == [false, false, true, true])
    #expect(pictures[0].what == "4 generated images at step 0")
    #expect(pictures[1].what == "2 real images")
    #expect(pictures[0].image.width == pictures[2].image.width && pictures[0].image.channels == 3)
    #expect(!events.contains { if case .wrote = $0 { true } else { false } })
  }
}
