import Foundation
import Session

/// Fuzzes loading a saved session: each input becomes a session folder, `load` runs on it
/// in a fresh interpreter, and a session that loads takes one training step. Every input
/// must end in a loaded session or a `SessionError`; a trap is a bug.
///
/// Input: `jsonLength:u32le  session.json bytes  tensors.bin bytes` (a short input is all
/// JSON). Built with `-DFUZZING` (scripts/fuzz-session) this is a libFuzzer target;
/// otherwise it replays the files or folders of files given as arguments, and with
/// `--pack DIR` writes the saved session DIR as one input (for seeding the corpus).
enum FuzzSession {
  /// A folder of its own per process, in memory when /dev/shm exists.
  static let folder: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = "\(base)/ganrepl-fuzz-session-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// The two files of one input.
  static func split(_ input: [UInt8]) -> (json: [UInt8], tensors: [UInt8]) {
    guard input.count >= 4 else { return (input, []) }
    let length = Int(input[0]) | Int(input[1]) << 8 | Int(input[2]) << 16 | Int(input[3]) << 24
    let json = Array(input[4..<min(input.count, 4 + length)])
    return (json, Array(input[min(input.count, 4 + length)...]))
  }

  static func pack(json: [UInt8], tensors: [UInt8]) -> [UInt8] {
    let n = UInt32(json.count)
    return [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)] + json + tensors
  }

  /// Data is another harness's business (images, memory estimates): a saved data spec is
  /// shrunk to at most 64 samples of 8×8 so that every input runs in milliseconds. JSON
  /// that does not parse, or has no data, is passed on byte for byte.
  static func shrinkData(_ json: [UInt8]) -> [UInt8] {
    guard var session = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
      var data = session["data"] as? [String: Any]
    else { return json }
    if var source = data["source"] as? [String: Any] {
      for (kind, value) in source {
        guard var fields = value as? [String: Any] else { continue }
        if kind == "folder" { fields["_0"] = "/nonexistent/ganrepl-fuzz" }
        if let count = fields["count"] as? Int { fields["count"] = min(count, 64) }
        source[kind] = fields
      }
      data["source"] = source
    }
    if let size = data["size"] as? Int { data["size"] = min(size, 8) }
    session["data"] = data
    return (try? JSONSerialization.data(withJSONObject: session)).map { [UInt8]($0) } ?? json
  }

  /// One input: load, and when that succeeds and the networks are small, one step.
  static func run(_ input: [UInt8]) {
    let (json, tensors) = split(input)
    let session = "\(folder)/s"
    try? FileManager.default.createDirectory(atPath: session, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: "\(session)/session.json", contents: Data(shrinkData(json)))
    _ = FileManager.default.createFile(atPath: "\(session)/tensors.bin", contents: Data(tensors))
    let interpreter = Interpreter()
    interpreter.cacheDirectory = nil
    do {
      try execute("load \"\(session)\"", in: interpreter)
      if activations(interpreter) <= 1 << 22 { try execute("step 1", in: interpreter) }
    } catch {
      _ = error.description  // a SessionError: the expected end for most inputs
    }
  }

  static func execute(_ line: String, in interpreter: Interpreter) throws(SessionError) {
    let notebook = try Notebook(text: line, file: "fuzz.gan", variables: [:])
    for command in notebook.commands { _ = try interpreter.execute(command) { _ in } }
  }

  /// Floats a training step holds in activations, roughly: batch × the layers' outputs.
  /// The memory estimate before large allocations is issue 8's item 3, not this harness's.
  static func activations(_ interpreter: Interpreter) -> Int {
    var values = 0
    for network in interpreter.state.networks.values {
      for layer in network.layers {
        let (v, overflow) = values.addingReportingOverflow(layer.outputShape.count)
        values = overflow ? .max : v
      }
    }
    let (total, overflow) = values.multipliedReportingOverflow(by: interpreter.state.batch)
    return overflow ? .max : total
  }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSessionOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  FuzzSession.run(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
#else
@main
struct Replay {
  static func main() throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--pack", arguments.count == 3 {
      let json = try Data(contentsOf: URL(fileURLWithPath: arguments[1] + "/session.json"))
      let tensors = try Data(contentsOf: URL(fileURLWithPath: arguments[1] + "/tensors.bin"))
      try Data(FuzzSession.pack(json: [UInt8](json), tensors: [UInt8](tensors))).write(to: URL(fileURLWithPath: arguments[2]))
      return
    }
    if arguments.isEmpty { arguments = [".build/fuzz-session/corpus"] }
    var count = 0
    for argument in arguments {
      var isFolder: ObjCBool = false
      FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder)
      let files = isFolder.boolValue
        ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map { "\(argument)/\($0)" }
        : [argument]
      for file in files {
        guard let bytes = FileManager.default.contents(atPath: file) else { continue }
        FuzzSession.run([UInt8](bytes))
        count += 1
      }
    }
    print("replayed \(count) inputs without a trap")
  }
}
#endif
