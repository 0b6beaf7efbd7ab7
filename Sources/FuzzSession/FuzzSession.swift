import Foundation
import FuzzDriver
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
  /// shrunk to at most 64 samples of 8×8, and a folder is one that is not there, so that
  /// every input runs in milliseconds. JSON that does not parse, or has no data, is passed
  /// on byte for byte.
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
    session["dataFolder"] = nil  // used only beside a relative folder, and the folder is absolute now
    return (try? JSONSerialization.data(withJSONObject: session)).map { [UInt8]($0) } ?? json
  }

  /// Each input is tried twice: as the two files it packs, and as edits to a valid saved
  /// session (so that most inputs get past the JSON parser into the checks behind it).
  static func run(_ input: [UInt8]) {
    let (json, tensors) = split(input)
    load(json: json, tensors: tensors)
    if let base, let tree = try? JSONSerialization.jsonObject(with: Data(base.json)) {
      load(json: edited(tree, by: input), tensors: base.tensors)
    }
  }

  /// The session that edit mode changes: Tests/Hostile/fuzz-seeds/image-base, from the
  /// repository root.
  static let base: (json: [UInt8], tensors: [UInt8])? = {
    let folder = "Tests/Hostile/fuzz-seeds/image-base"
    guard let json = FileManager.default.contents(atPath: folder + "/session.json"),
      let tensors = FileManager.default.contents(atPath: folder + "/tensors.bin")
    else { return nil }
    return ([UInt8](json), [UInt8](tensors))
  }()

  /// `tree` changed by the start of `input`, read as up to 16 edits of 11 bytes: which
  /// value (u16, counted over every value in key order), how (u8), 8 bytes for a number.
  static func edited(_ tree: Any, by input: [UInt8]) -> [UInt8] {
    var tree = tree
    var i = 0
    while i + 11 <= min(input.count, 16 * 11) {
      let chunk = Array(input[i..<(i + 11)])
      i += 11
      let all = paths(tree).dropFirst()  // not the whole file
      guard !all.isEmpty else { break }
      let path = all[all.startIndex + (Int(chunk[0]) | Int(chunk[1]) << 8) % all.count]
      let bits = chunk[3...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      let value: Any? =
        switch chunk[2] % 8 {
        case 0: Int64(bitPattern: bits)
        case 1: Int(Int8(bitPattern: chunk[10]))
        case 2: Double(bitPattern: bits).isFinite ? Double(bitPattern: bits) : 1e300
        case 3: nil
        case 4: NSNull()
        case 5: String(decoding: chunk[3...], as: UTF8.self)
        case 6: [Any]()
        default: [String: Any]()
        }
      tree = replacing(tree, at: path[...], with: value)
    }
    guard JSONSerialization.isValidJSONObject(tree) else { return [] }
    return (try? JSONSerialization.data(withJSONObject: tree)).map { [UInt8]($0) } ?? []
  }

  /// Every value's path (keys and indices), containers included, in a fixed order.
  static func paths(_ tree: Any) -> [[Any]] {
    var result: [[Any]] = [[]]
    if let object = tree as? [String: Any] {
      for key in object.keys.sorted() { result += paths(object[key]!).map { [key] + $0 } }
    } else if let array = tree as? [Any] {
      for (k, element) in array.enumerated() { result += paths(element).map { [k] + $0 } }
    }
    return result
  }

  /// `tree` with the value at `path` replaced (nil: removed).
  static func replacing(_ tree: Any, at path: ArraySlice<Any>, with value: Any?) -> Any {
    guard let first = path.first else { return value ?? NSNull() }
    if var object = tree as? [String: Any], let key = first as? String {
      object[key] = path.count == 1 ? value : replacing(object[key] ?? NSNull(), at: path.dropFirst(), with: value)
      return object
    }
    if var array = tree as? [Any], let k = first as? Int, array.indices.contains(k) {
      if path.count == 1 && value == nil {
        array.remove(at: k)
      } else {
        array[k] = replacing(array[k], at: path.dropFirst(), with: value)
      }
      return array
    }
    return tree
  }

  /// Loads the two files, and when that succeeds and the networks are small, takes a step.
  static func load(json: [UInt8], tensors: [UInt8]) {
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
  public func fuzzSessionOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSession.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
  }

  /// Hands the arguments over to libFuzzer, which calls `fuzzSessionOneInput` on each input.
  @main
  struct Fuzz {
    static func main() { FuzzDriver.run(fuzzSessionOneInput) }
  }
#else
  @main
  struct Replay {
    static func main() throws {
      var arguments = Array(CommandLine.arguments.dropFirst())
      if arguments.first == "--pack", arguments.count == 3 {
        let json = try Data(contentsOf: URL(fileURLWithPath: arguments[1] + "/session.json"))
        let tensors = try Data(contentsOf: URL(fileURLWithPath: arguments[1] + "/tensors.bin"))
        try Data(FuzzSession.pack(json: [UInt8](json), tensors: [UInt8](tensors))).write(
          to: URL(fileURLWithPath: arguments[2]))
        return
      }
      if arguments.isEmpty { arguments = [".build/fuzz-session/corpus"] }
      FuzzDriver.replay(arguments) { _, bytes, _ in FuzzSession.run([UInt8](bytes)) }
    }
  }
#endif
