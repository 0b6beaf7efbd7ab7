import Testing

@testable import Session

/// Classic mistakes are named once, by the command that makes them, and never when the
/// setup is right.
@Suite("Classic mistakes")
struct ClassicMistakeTests {
  /// The warnings of each line of `text`, keyed by the line's number.
  static func warnings(_ text: String) throws -> [Int: [String]] {
    let interpreter = Interpreter()
    let notebook = try Notebook(text: text, file: "t.gan", variables: [:])
    var found: [Int: [String]] = [:]
    for command in notebook.commands {
      _ = try interpreter.execute(command) { event in
        if case .warning(let text) = event { found[command.location.line, default: []].append(text) }
      }
    }
    return found
  }

  static let generator = """
    generator
      dense 4*4*8
      reshape 4x4x8
      batchnorm
      relu
      deconv 3 kernel=4 stride=4 padding=same
      tanh
    end
    """

  @Test("a tanh generator with data in 0..1 is named at the line that makes the mismatch, once")
  func tanhWithUnitData() throws {
    // The data comes second: its line makes the mismatch.
    let found = try Self.warnings(
      "set latent 8\n\(Self.generator)\ndata faces count=32 size=16 batch=8\nset seed 2\ndata faces count=32 size=16 batch=8"
    )
    #expect(found.keys.sorted() == [10])
    #expect(found[10]?.count == 1)
    #expect(found[10]?.first?.contains("ends in tanh (values in -1..1) but the data is in 0..1") == true)
    #expect(found[10]?.first?.contains("range=-1..1") == true)
    // The generator comes second.
    let second = try Self.warnings("set latent 8\ndata faces count=32 size=16 batch=8\n\(Self.generator)")
    #expect(second.keys.sorted() == [3])
    // Right: tanh with -1..1, sigmoid with 0..1.
    #expect(
      try Self.warnings("set latent 8\ndata faces count=32 size=16 range=-1..1 batch=8\n\(Self.generator)").isEmpty)
    let sigmoid = Self.generator.replacingOccurrences(of: "tanh", with: "sigmoid")
    #expect(try Self.warnings("set latent 8\ndata faces count=32 size=16 batch=8\n\(sigmoid)").isEmpty)
    let wrong = try Self.warnings("set latent 8\ndata faces count=32 size=16 range=-1..1 batch=8\n\(sigmoid)")
    #expect(wrong[3]?.first?.contains("ends in sigmoid (values in 0..1) but the data is in -1..1") == true)
  }

  @Test("BatchNorm with batch 1: named at 'set batch 1' once, for each network, and what it does")
  func batchNormWithBatchOne() throws {
    let text = """
      data ring count=64 batch=8
      set latent 4
      generator
        dense 16
        batchnorm
        relu
        dense 2
      end
      discriminator
        dense 16
        batchnorm
        relu
        dense 1
        sigmoid
      end
      set batch 1
      step 2
      set batch 1
      set batch 8
      """
    let found = try Self.warnings(text)
    #expect(found.keys.sorted() == [16])
    let lines = found[16] ?? []
    #expect(lines.count == 2)
    #expect(
      lines.contains {
        $0.contains("batch 1 with batchnorm in the discriminator")
          && $0.contains("every loss 0.693, every verdict 0.500")
      })
    #expect(
      lines.contains {
        $0.contains("batch 1 with batchnorm in the generator") && $0.contains("same output for every z")
      })
    #expect(lines.allSatisfy { $0.contains("'set batch 32'") })
  }

  @Test("the claims are true: a dense-then-batchnorm D at batch 1 sits at 0.693 (1.386 summed) and 0.500")
  func batchOneStuck() throws {
    let setup =
      "data ring count=64 batch=1\nset latent 4\ngenerator\ndense 16\nrelu\ndense 2\nend\n"
      + "discriminator\ndense 16\nbatchnorm\nrelu\ndense 1\nsigmoid\nend\n"
    for (reduction, lossD) in [("mean", "0.6931"), ("sum", "1.3863")] {
      let interpreter = Interpreter()
      try run(setup + "set d-loss \(reduction)\nstep 3", in: interpreter)
      for s in interpreter.state.history {
        let shown = String(format: "%.4f %.4f %.3f %.3f %.3f", s.lossD, s.lossG, s.dReal, s.dFake, s.dFakeAfter)
        #expect(shown == "\(lossD) 0.6931 0.500 0.500 0.500", "d-loss \(reduction)")
      }
    }
  }

  @Test("a last batch of one sample meets BatchNorm: named at the data line, with keep-last-batch's fix")
  func lastBatchOfOne() throws {
    let found = try Self.warnings(
      "set latent 8\nset batch 8\n\(Self.generator)\ndata faces count=33 size=16 range=-1..1")
    #expect(found.keys.sorted() == [11])
    #expect(found[11]?.first?.contains("the last batch of each epoch holds 1 sample (33 in batches of 8)") == true)
    #expect(found[11]?.first?.contains("'set keep-last-batch false'") == true)
    #expect(
      try Self.warnings("set latent 8\nset batch 8\n\(Self.generator)\ndata faces count=34 size=16 range=-1..1").isEmpty
    )
  }

  @Test("a learning rate far outside the usual range is named once, for both networks together")
  func learningRate() throws {
    let found = try Self.warnings(
      "optimizer adam lr=0.1 beta1=0.5\noptimizer adam lr=0.1 beta1=0.5\noptimizer generator sgd lr=1e-8\n"
        + "optimizer adam lr=2e-4\noptimizer discriminator adam lr=1e-3")
    #expect(found.keys.sorted() == [1, 3])
    #expect(
      found[1] == [
        "both networks' learning rate 0.1 is far above Adam's usual 1e-4 to 1e-3: expect the losses"
          + " to swing wildly or reach NaN.\n  fix: 'optimizer adam lr=0.0002 beta1=0.5 beta2=0.999 eps=1e-07'"
      ])
    #expect(
      found[3]?.first?.hasPrefix("the generator's learning rate 1e-08 is far below SGD's usual 1e-3 to 0.1") == true)
  }
}

/// `train` that joins an epoch part-way says so.
@Suite("Partial epochs")
struct PartialEpochTests {
  @Test("train after step reports the rest of the epoch as batches a–b of N, then whole epochs")
  func partialEpoch() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 2", in: interpreter)
    let events = try run("train 2 epochs", in: interpreter)
    var reports: [String] = []
    for event in events {
      switch event {
      case .partialEpochFinished(let epoch, let batches, let total, let averages):
        reports.append(
          "epoch \(epoch) batches \(batches.lowerBound)-\(batches.upperBound) of \(total), \(averages.steps) steps")
      case .epochFinished(let epoch, let averages): reports.append("epoch \(epoch), \(averages.steps) steps")
      default: break
      }
    }
    // 40 images in batches of 8: 5 batches an epoch; steps 1–2 were done by 'step'.
    #expect(reports == ["epoch 1 batches 3-5 of 5, 3 steps", "epoch 2, 5 steps"])
  }
}

extension ClassicMistakeTests {
  @Test("a generator that makes another size than the data is named before any discriminator, by either line")
  func generatorAgainstData() throws {
    // Self.generator makes 16×16×3.
    let found = try Self.warnings(
      "set latent 8\ndata faces count=32 size=8 batch=8\n\(Self.generator)\ndata faces count=32 size=16 batch=8"
        + "\ndata faces count=32 size=12 batch=8")
    #expect(found.keys.sorted() == [3, 12], "\(found)")
    #expect(
      found[3]?.first
        == "the generator makes 16×16×3 images but the data is 8×8×3 images: no discriminator can take both (change"
        + " the generator's last layers so that it makes 8×8×3 images, or load the data at the size it makes)")
    #expect(found[12]?.first?.hasPrefix("the generator makes 16×16×3 images but the data is 12×12×3 images") == true)
  }
}
