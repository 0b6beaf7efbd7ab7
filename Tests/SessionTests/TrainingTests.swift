import Foundation
import Layers
import Tensors
import TestSupport
import Testing

@testable import Session

@Suite("Training")
struct TrainingTests {
  @Test("save mid-epoch, load in a fresh session, and train on: the same numbers as never stopping")
  func saveLoadContinues() throws {
    let folder = temporaryFolder()
    // 40 images in batches of 8: 5 steps per epoch; stop at step 7 (mid-epoch 2).
    let straight = Interpreter()
    try run(tinyGAN + "\nstep 12", in: straight)

    let first = Interpreter()
    try run(tinyGAN + "\nstep 7\nsave \"\(folder)/run\"", in: first)
    let second = Interpreter()
    try run("load \"\(folder)/run\"\nstep 5", in: second)

    #expect(withoutTimes(second.state.history) == withoutTimes(straight.state.history))
    #expect(second.state.history.count == 12)
    for role in NetworkRole.allCases {
      let a = straight.state.networks[role]!.namedParameters
      let b = second.state.networks[role]!.namedParameters
      for (x, y) in zip(a, b) {
        #expect(x.parameter.value.values == y.parameter.value.values, "\(role).\(x.name)")
      }
      let bufferA = straight.state.networks[role]!.namedBuffers.map(\.value.values)
      let bufferB = second.state.networks[role]!.namedBuffers.map(\.value.values)
      #expect(bufferA == bufferB, "\(role) buffers")
    }
    #expect(second.state.step == 12 && second.state.epoch == 3 && second.state.batchInEpoch == 2)
  }

  @Test("losses move: the discriminator learns to tell the built-in faces from noise")
  func discriminatorLearns() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\noptimizer discriminator adam lr=2e-3 beta1=0.5\nstep 25", in: interpreter)
    let history = interpreter.state.history
    #expect(history.count == 25)
    let early = history.prefix(3).map(\.lossD).reduce(0, +) / 3
    let late = history.suffix(3).map(\.lossD).reduce(0, +) / 3
    #expect(late < early, "D loss \(early) → \(late)")
    #expect(history.allSatisfy { $0.lossD.isFinite && $0.lossG.isFinite })
  }

  @Test("train N epochs finishes the current epoch first; batch rules fire when the batch index is a multiple of N")
  func epochsAndRules() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(
      tinyGAN
        + "\nstep 2\nevery 2 batches sample 4 \"\(folder)/s{epoch}_{index}.png\""
        + "\nevery 1 epoch save \"\(folder)/e{epoch}\"\ntrain 1 epoch",
      in: interpreter)
    #expect(interpreter.state.step == 5 && interpreter.state.epoch == 2)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    // Batches 3, 4, 5 of epoch 1 have indices 2, 3, 4: samples at 2 and 4; a save at the epoch's end.
    #expect(files == ["e1", "s1_2.png", "s1_4.png"])
  }

  @Test("step rules count the session's steps across epochs: after steps 1, N + 1, 2N + 1, …")
  func stepRules() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nevery 3 steps sample 1 \"\(folder)/s{step}.png\"\nstep 8", in: interpreter)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["s1.png", "s4.png", "s7.png"])
  }

  @Test("loading data of another shape mid-training is caught at the next step, not a crash")
  func dataChangesShape() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1\ndata faces count=8 size=8", in: interpreter)
    do {
      try run("step", in: interpreter)
      Issue.record("no error")
    } catch {
      #expect(error.message == "the data is 8×8×3 images but the discriminator takes 16×16×3 images")
    }
    try run("data faces count=16 size=16 range=-1..1\nstep", in: interpreter)
    #expect(interpreter.state.step == 2)
  }

  @Test("redefining a trained network is refused, so training is never thrown away by accident")
  func redefineRefused() throws {
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 1", in: interpreter)
    #expect(throws: SessionError.self) { try run("generator\n dense 10\nend", in: interpreter) }
    try run("reset\ngenerator\n dense 768\n reshape 16x16x3\n tanh\nend", in: interpreter)
    #expect(interpreter.state.step == 0)
  }

  @Test("errors name what is missing and keep the session")
  func missingPieces() throws {
    let interpreter = Interpreter()
    do {
      try run("step", in: interpreter)
      Issue.record("no error")
    } catch {
      #expect(
        error.description
          == "t.gan:1:1: error: no data yet\n  hint: load some with 'data \"PATH\" size=64' or 'data faces'")
    }
    do {
      try run("data faces count=8 size=16\ngenerator\n dense 10\n deconv 3 kernel=4 stride=2\nend", in: interpreter)
      Issue.record("no error")
    } catch {
      #expect(
        error.description.hasPrefix(
          "t.gan:4:2: error: generator layer 1 (deconv 3 kernel=4 stride=2 padding=valid) cannot take input 10:"))
    }
    #expect(interpreter.state.dataset?.count == 8)
  }

  @Test("the tutorial notebook's networks have 404,801 and 3,979,651 parameters")
  func tutorialNotebook() throws {
    let text = try String(contentsOfFile: repositoryRoot + "/notebooks/celeba.gan", encoding: .utf8)
    let notebook = try Notebook(text: text, file: "celeba.gan", variables: ["data": "unused"])
    let interpreter = Interpreter()
    try run("data faces count=4 size=64", in: interpreter)
    var totals: [NetworkRole: Int] = [:]
    for command in notebook.commands {
      switch command.value {
      case .data, .train, .every, .sample: continue
      default: _ = try interpreter.execute(command) { if case .summary(let s) = $0 { totals[s.role] = s.total } }
      }
    }
    #expect(totals[.discriminator] == 404_801)
    #expect(totals[.generator] == 3_979_651)
    #expect(interpreter.state.latent == 128 && interpreter.state.batch == 32)
    if case .adam(let lr, 0.9, 0.999, 1e-7) = interpreter.state.optimizerSpecs[.generator]! {
      #expect(lr == 1e-4)
    } else {
      Issue.record("optimizer")
    }
  }

  @Test("sample writes a PNG grid; a failed write leaves no partial file")
  func sampling() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nsample 9 \"\(folder)/deep/er/grid.png\"", in: interpreter)
    let data = try #require(FileManager.default.contents(atPath: folder + "/deep/er/grid.png"))
    guard case .success(let image) = DecodedImage.decode([UInt8](data)) else { Issue.record("not a PNG"); return }
    #expect(image.width == 3 * 18 + 2 && image.height == 3 * 18 + 2 && image.channels == 3)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/deep/er") == ["grid.png"])
    #expect(throws: SessionError.self) { try run("sample 4 \"/proc/nope/grid.png\"", in: interpreter) }

    // The PNG is written whole, then renamed over a folder that is in the way: the rename
    // fails, and the folder must hold no `.blocked.png.partial` afterwards.
    try FileManager.default.createDirectory(atPath: folder + "/blocked.png", withIntermediateDirectories: false)
    try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/blocked.png/inside"))
    #expect(throws: SessionError.self) { try run("sample 4 \"\(folder)/blocked.png\"", in: interpreter) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["blocked.png", "deep"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/blocked.png") == ["inside"])
  }
}

/// Step statistics with the wall-clock times zeroed, for comparing runs.
func withoutTimes(_ history: [StepStats]) -> [StepStats] {
  history.map {
    var s = $0
    s.seconds = 0
    s.dataWait = 0
    return s
  }
}
