import Foundation
import FuzzDriver
import Session

/// Fuzzes reading safetensors files: each input is written as a file and imported into
/// both networks of a small session (Tests/Hostile/safetensors.gan's, one layer of each
/// kind). Every input must end imported or in a `SessionError`; a trap is a bug. A file
/// that imports is exported again and must import again.
///
/// Built with `-DFUZZING` (scripts/fuzz-safetensors) this is a libFuzzer target; otherwise
/// it replays the files or folders of files given as arguments.
enum FuzzSafetensors {
  /// A file of its own per process, in memory when /dev/shm exists.
  static let file: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(base)/ganrepl-fuzz-safetensors-\(getpid()).safetensors"
  }()

  /// The session the inputs are imported into: built once, and never changed by a failed import.
  nonisolated(unsafe) static let interpreter: Interpreter = {
    let interpreter = Interpreter()
    interpreter.cacheDirectory = nil
    let text = (try? String(contentsOfFile: "Tests/Hostile/safetensors.gan", encoding: .utf8)) ?? ""
    do {
      try execute(text, in: interpreter)
    } catch {
      fatalError("Tests/Hostile/safetensors.gan (run from the repository root): \(error)")
    }
    return interpreter
  }()

  static func run(_ input: [UInt8]) {
    _ = FileManager.default.createFile(atPath: file, contents: Data(input))
    for network in ["generator", "discriminator"] {
      do {
        try execute("import \(network) \"\(file)\"", in: interpreter)
        try execute("export \(network) \"\(file)\"\nimport \(network) \"\(file)\"", in: interpreter)
      } catch {
        _ = error.description  // a SessionError: the expected end for most inputs
      }
    }
  }

  static func execute(_ text: String, in interpreter: Interpreter) throws(SessionError) {
    let notebook = try Notebook(text: text, file: "fuzz.gan", variables: [:])
    for command in notebook.commands { _ = try interpreter.execute(command) { _ in } }
  }
}

#if FUZZING
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzSafetensorsOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSafetensors.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
  }

  /// Hands the arguments over to libFuzzer, which calls `fuzzSafetensorsOneInput` on each input.
  @main
  struct Fuzz {
    static func main() { FuzzDriver.run(fuzzSafetensorsOneInput) }
  }
#else
  @main
  struct Replay {
    static func main() {
      var arguments = Array(CommandLine.arguments.dropFirst())
      if arguments.isEmpty { arguments = [".build/fuzz-safetensors/corpus"] }
      FuzzDriver.replay(arguments) { _, bytes, _ in FuzzSafetensors.run([UInt8](bytes)) }
    }
  }
#endif
