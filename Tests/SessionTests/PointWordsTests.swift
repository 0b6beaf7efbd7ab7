import Foundation
import Testing

@testable import Session

@Suite("points are called points; interpolate and nearest draw in the terminal without a path")
struct PointWordsTests {
  /// The message and hint of the error `text` stops at, run in `interpreter`.
  static func failure(_ text: String, in interpreter: Interpreter = Interpreter()) -> (String, String?) {
    do {
      try run(text, in: interpreter)
    } catch {
      return (error.message, error.hint)
    }
    return ("no error", nil)
  }

  static let ring = """
    data ring count=100 batch=10
    set latent 4
    generator
      dense 8
      relu
      dense 2
    end
    """

  @Test("a ring meeting an image network hears it in plain words, with what to do")
  func pointsMeetImages() {
    let (message, hint) = Self.failure(
      """
      data ring count=100 batch=10
      generator
        dense 4*4*8
        reshape 4x4x8
        deconv 3 kernel=4 stride=2 padding=1
        tanh
      end
      discriminator
        dense 8
        relu
        dense 1
        sigmoid
      end
      step 1
      """)
    #expect(message == "the generator makes 8×8×3 images but the discriminator takes 2-D points")
    #expect(hint?.contains("'dense 2'") == true, "\(hint ?? "")")
    #expect(!message.contains("H×W×C"))
  }

  @Test("interpolate and nearest on points say they draw images and what to use instead")
  func picturesOfPoints() {
    for command in ["interpolate 0 3", "nearest 4"] {
      let (message, hint) = Self.failure(Self.ring + "\n" + command)
      let name = command.split(separator: " ")[0]
      #expect(message == "'\(name)' draws images, but the generator makes 2-D points")
      #expect(hint?.contains("'sample 1024'") == true)
    }
  }

  @Test("a batch larger than the ring counts points")
  func batchOfPoints() {
    let (message, _) = Self.failure(
      Self.ring
        + "\nset batch 500\nset keep-last-batch false\ndiscriminator\n  dense 8\n  relu\n  dense 1\n  sigmoid\nend\nstep 1"
    )
    #expect(message.contains("the number of points"), "\(message)")
  }

  @Test("interpolate and nearest parse without a path and report pictures for the terminal")
  func inlineWalkAndNearest() throws {
    let commands = try parse("interpolate 0 5\ninterpolate 1 2 steps=4\nnearest 3\nnearest 2 \"nn.png\"")
    guard case .interpolate(0, 5, 8, nil) = commands[0], case .interpolate(1, 2, 4, nil) = commands[1],
      case .nearest(3, nil) = commands[2], case .nearest(2, "nn.png") = commands[3]
    else {
      Issue.record("\(commands)")
      return
    }
    let events = try run(tinyGAN + "\ninterpolate 0 3 steps=4\nnearest 2", in: Interpreter())
    let pictures = events.compactMap { event -> InlinePicture? in
      if case .picture(let p) = event { return p }
      return nil
    }
    #expect(pictures.map(\.name) == ["walk", "nearest"])
    #expect(pictures.first?.what.hasPrefix("4 images from fixed noise 0 to 3") == true)
    #expect(pictures.allSatisfy { !$0.isFrame && $0.content == .images })
  }
}

extension PointWordsTests {
  @Test("a conv first layer on points, or points sampled over images, say what is wrong in plain words")
  func convOnPointsAndPointsOverImages() {
    let (_, hint) = Self.failure(
      "data ring count=100 batch=10\ndiscriminator\n  conv 8 kernel=3\n  flatten\n  dense 1\nend")
    #expect(hint?.hasPrefix("its input is 2-D points, not images") == true, "\(hint ?? "")")
    let (message, overImages) = Self.failure(
      "data faces count=8 size=8 batch=4\nset latent 4\ngenerator\n  dense 8\n  relu\n  dense 2\nend\nsample 4")
    #expect(message == "no 2-D data to draw the generated points over yet")
    #expect(overImages?.contains("'data ring'") == true)
  }
}
