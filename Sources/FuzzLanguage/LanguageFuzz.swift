import Foundation
import FuzzDriver
import Layers
import Session
import Tensors

/// Fuzzes the notebook language: every input must end in commands or a `SessionError`,
/// never a trap. Built with libFuzzer by `scripts/fuzz-language`; without `-DFUZZING` it
/// replays files or folders of inputs (a corpus, a crash) and says how many it ran.
///
/// Each input is read as a whole notebook (lexer, parser, binder, `param`, the `--set`
/// check, with `$x` and `$path` given), then run in a fresh interpreter that already has
/// 64 ring points at batch 8, so the interpreter's own checks (shapes, fits, memory,
/// missing pieces) run too. Training is kept to a step on tiny data: commands that would
/// be slow or touch files outside the working folder are skipped or made small (see
/// `cheap`): image data becomes 8 built-in faces of at most 16×16, networks and training runs that would
/// need more than 64 MB are skipped, and so are step counts over 2, bench, save, load,
/// threads, and samples of more than 16 or outside the scratch folder.
enum LanguageFuzz {
  static let variables = ["x": "8", "path": "out.png"]
  /// What a network or a run may need before it is skipped: 64 MB.
  static let byteBudget = 64.0 * 1024 * 1024

  /// How the input ended: nil when every command ran, else the error (replay prints it).
  @discardableResult
  static func run(_ data: Data) -> SessionError? {
    let text = String(decoding: data, as: UTF8.self)
    let notebook: Notebook
    do {
      notebook = try Notebook(text: text, file: "fuzz.gan", variables: variables)
    } catch {
      _ = error.description
      return error
    }
    // Exercised, not obeyed: most inputs do not use $x, and should still run.
    _ = try? notebook.checkParameters(given: variables.keys)
    let interpreter = Interpreter(variables: variables)
    interpreter.cacheDirectory = nil
    do {
      var seed = Parser(file: "seed")
      _ = try interpreter.execute(try seed.read("data ring count=64 batch=8", number: 1, variables: [:])!) { _ in }
      for command in notebook.commands {
        guard let cheap = cheap(command.value, interpreter.state) else { continue }
        if case .quit = try interpreter.execute(Located(cheap, at: command.location), report: { _ in }) { return nil }
      }
    } catch {
      _ = error.description
      return error
    }
    return nil
  }

  /// `command` if running it is quick and stays in the working folder, or a quick stand-in
  /// (image data becomes at most 8 built-in faces, at most 16×16), or nil to skip it.
  static func cheap(_ command: Command, _ state: SessionState) -> Command? {
    if case .data(var spec, let batch) = command, !spec.source.isPoints {
      // Drawing faces in a debug build costs ~count·size²: 8 faces of at most 16 pixels.
      spec.size = min(spec.size, 16)
      if case .faces(let count) = spec.source {
        spec.source = .faces(count: min(count, 8))
      } else {
        spec.source = .faces(count: 8)
      }
      return .data(spec, batch: batch)
    }
    return quick(command, state) ? command : nil
  }

  /// Whether running `command` is quick and stays in the working folder.
  static func quick(_ command: Command, _ state: SessionState) -> Bool {
    switch command {
    case .help, .param, .loss, .optimizer, .summary, .reset, .quit, .concept: return true
    case .set(let setting, _):
      switch setting {
      case .threads: return false
      case .latent(let n):
        // A new latent size builds the generator again, for the larger input.
        guard let g = state.definitions[.generator] else { return true }
        let bytes = NetworkMemory.trainingBytes(
          input: generatorInput(g.layers, latent: n), specs: g.layers, batch: state.batch)
        return (bytes ?? 0) <= byteBudget
      default: return true
      }
    case .data: return true  // points; images were replaced by `cheap`
    case .network(let role, let definition):
      let input: Shape
      if role == .generator {
        input = generatorInput(definition.layers, latent: state.latent)
      } else {
        guard let shape = state.dataset?.sampleShape ?? state.networks[.generator]?.outputShape else { return true }
        input = shape
      }
      let bytes = NetworkMemory.trainingBytes(input: input, specs: definition.layers, batch: state.batch) ?? 0
      return bytes <= byteBudget
    case .step(let count): return count <= 2 && trainingFits(state)
    case .train(.steps(let count)): return count <= 2 && trainingFits(state)
    case .train(.untilStep(let n)): return n - state.step <= 2 && trainingFits(state)
    case .train(.untilEpoch(let n)):
      return n == state.epoch && state.batchesPerEpoch - state.batchInEpoch <= 2 && trainingFits(state)
    case .train(.epochs(let count)):
      return count == 1 && state.batchesPerEpoch - state.batchInEpoch <= 2 && trainingFits(state)
    case .every(let rule):
      guard let rule else { return true }
      if case .sample(let count, let path, _) = rule.action { return count <= 16 && path.map(local) ?? true }
      return false
    case .sample(let count, let path, _, _): return count <= 16 && path.map(local) ?? true
    case .show(.data(let count, let path)): return count <= 16 && path.map(local) ?? true
    case .show(.historyFile(_, let path)): return local(path)
    case .show: return true
    case .save, .load, .bench, .benchData: return false
    case .sampleFrame(let count, _): return count <= 16
    case .plot(let path): return local(path)
    case .interpolate(_, _, let steps, let path): return steps <= 16 && path.map(local) ?? true
    case .nearest(let count, let path): return count <= 4 && path.map(local) ?? true
    case .stepOnly(_, let count): return count <= 2 && trainingFits(state)
    case .explainStep: return trainingFits(state)
    case .export(.samples(let count), let path): return count <= 16 && local(path)
    case .export(.network, let path), .importWeights(_, let path): return local(path)
    case .everyOff: return true
    case .evaluate(let count, let folder, _): return (count ?? Int.max) <= 16 && folder == nil
    case .augment: return true
    case .record(let path): return path.map(local) ?? true
    }
  }

  /// As `Interpreter.generatorInput`: z as a vector, or 1×1×latent before a convolution.
  static func generatorInput(_ layers: [LayerSpec], latent: Int) -> Shape {
    switch layers.first?.unnormalized {
    case .conv, .deconv: Shape(1, 1, latent)
    default: Shape(latent)
    }
  }

  static func trainingFits(_ state: SessionState) -> Bool {
    let bytes = state.networks.values.map {
      NetworkMemory.trainingBytes(input: $0.inputShape, specs: $0.specs, batch: state.batch) ?? 0
    }
    return bytes.reduce(0, +) <= byteBudget
  }

  static func local(_ path: String) -> Bool { !path.hasPrefix("/") && !path.contains("..") && !path.hasPrefix("~") }
}

#if FUZZING
  /// One input; libFuzzer's library refers to this name even when driven from here.
  @_cdecl("LLVMFuzzerTestOneInput")
  func fuzzLanguageOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    _ = scratchFolder  // after libFuzzer has read its paths, which may be relative
    _ = LanguageFuzz.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
  }

  let scratchFolder: Void = LanguageFuzz.enterScratchFolder()

  @main
  struct FuzzLanguageInputs {
    static func main() { FuzzDriver.run(fuzzLanguageOne) }
  }
#else
  @main
  struct ReplayLanguageInputs {
    static func main() {
      let paths = CommandLine.arguments.dropFirst().map { URL(fileURLWithPath: $0).path }
      LanguageFuzz.enterScratchFolder()
      FuzzDriver.replay(paths) { file, data, named in
        let outcome = LanguageFuzz.run(data).map { "\($0)".split(separator: "\n")[0] } ?? "ran"
        if paths.count == 1 || named { print("\(file): \(outcome)") }
      }
    }
  }
#endif

extension LanguageFuzz {
  /// Samples land in a fresh temporary folder, not beside the corpus.
  static func enterScratchFolder() {
    let folder = NSTemporaryDirectory() + "ganrepl-fuzz-language-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    _ = FileManager.default.changeCurrentDirectoryPath(folder)
  }
}
