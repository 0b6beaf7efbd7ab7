import Foundation
import Layers

/// The safetensors format (Hugging Face's), which PyTorch, JAX and the web runtimes read:
///
///     headerLength:u64le  header:JSON (padded with spaces to a multiple of 8)  data
///     header = { "NAME": {"dtype": "F32", "shape": [a, b], "data_offsets": [begin, end]}, …,
///                "__metadata__": {"KEY": "text", …} }
///
/// Offsets count bytes from the start of the data section; the tensors tile it exactly,
/// with no gap and no overlap. Values are little-endian, row-major. Reading checks all of
/// that and says what is wrong, in words a user can act on; it never trusts a size.
struct SafeTensors {
  /// The element types safetensors defines, with their sizes in bytes.
  enum DType: String, CaseIterable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL
    case F8E4M3 = "F8_E4M3"
    case F8E5M2 = "F8_E5M2"

    var size: Int {
      switch self {
      case .F64, .I64, .U64: 8
      case .F32, .I32, .U32: 4
      case .F16, .BF16, .I16, .U16: 2
      case .I8, .U8, .BOOL, .F8E4M3, .F8E5M2: 1
      }
    }
  }

  /// One tensor: its type, its shape, and its bytes in `SafeTensors.data`.
  struct Entry {
    var dtype: DType
    var shape: [Int]
    var bytes: Range<Int>

    /// `(a, b, c)`, PyTorch's way of writing a shape; `()` for a scalar.
    var shapeText: String { Self.text(shape) }
    static func text(_ shape: [Int]) -> String {
      "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
  }

  /// A tensor to write: `bytes` already little-endian, `shape.product × dtype.size` of them.
  typealias Named = (name: String, dtype: DType, shape: [Int], bytes: [UInt8])

  /// The largest header read: safetensors' own limit (100 MB).
  static let headerLimit = 100_000_000

  var entries: [String: Entry]
  var metadata: [String: String]
  var data: [UInt8]

  /// The file for `tensors`, their bytes in the order given; `metadata` becomes `__metadata__`.
  static func encode(_ tensors: [Named], metadata: [String: String]) -> [UInt8] {
    var header: [String: Any] = [:]
    var offset = 0
    for t in tensors {
      precondition(
        t.bytes.count == t.shape.reduce(1, *) * t.dtype.size, "\(t.name): \(t.bytes.count) bytes for \(t.shape)")
      header[t.name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]]
      offset += t.bytes.count
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    // Keys sorted so that one network always gives the same bytes.
    var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + json.count + offset)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes += $0 }
    bytes += json
    for t in tensors { bytes += t.bytes }
    return bytes
  }

  /// Reads `bytes` as a safetensors file; every size, offset and type is checked first.
  init(decoding bytes: [UInt8]) throws(FormatError) {
    guard bytes.count >= 8 else {
      throw FormatError(
        "is truncated: it has \(bytes.count) byte\(bytes.count == 1 ? "" : "s"), "
          + "and a safetensors file starts with an 8-byte header length")
    }
    let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard length <= UInt64(bytes.count - 8) else {
      throw FormatError(
        "has a header length of \(length) bytes, past the end of the file (\(bytes.count - 8) bytes follow it): "
          + "the file is truncated or is not safetensors")
    }
    guard length <= UInt64(Self.headerLimit) else {
      throw FormatError("has a header of \(length) bytes; safetensors headers are at most \(Self.headerLimit)")
    }
    let headerBytes = Data(bytes[8..<(8 + Int(length))])
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: headerBytes)
    } catch {
      throw FormatError("has a header that " + DecodingError.syntaxProblem(headerBytes))
    }
    guard let header = object as? [String: Any] else {
      throw FormatError("has a header that is not a JSON object of tensors")
    }
    data = Array(bytes[(8 + Int(length))...])
    metadata = try Self.metadata(header["__metadata__"])
    entries = [:]
    for (name, value) in header where name != "__metadata__" {
      entries[name] = try Self.entry(name, value, dataSize: data.count)
    }
    try Self.checkTiling(entries, dataSize: data.count)
  }

  private static func metadata(_ value: Any?) throws(FormatError) -> [String: String] {
    guard let value else { return [:] }
    guard let object = value as? [String: Any] else {
      throw FormatError("has a __metadata__ that is not a JSON object of texts")
    }
    var result: [String: String] = [:]
    for (key, text) in object {
      guard let text = text as? String else {
        throw FormatError("has a __metadata__ value '\(key)' that is not text")
      }
      result[key] = text
    }
    return result
  }

  /// One header entry, its byte count checked against its shape and type.
  private static func entry(_ name: String, _ value: Any, dataSize: Int) throws(FormatError) -> Entry {
    guard let fields = value as? [String: Any] else {
      throw FormatError("has tensor '\(name)' described by something other than a JSON object")
    }
    guard let typeName = fields["dtype"] as? String else {
      throw FormatError("has tensor '\(name)' without a text 'dtype'")
    }
    guard let dtype = DType(rawValue: typeName) else {
      throw FormatError("has tensor '\(name)' of dtype '\(typeName)', which safetensors does not define")
    }
    guard let shape = wholeNumbers(fields["shape"]) else {
      throw FormatError("has tensor '\(name)' without a 'shape' list of sizes (whole numbers ≥ 0)")
    }
    guard let offsets = wholeNumbers(fields["data_offsets"]), offsets.count == 2, offsets[0] <= offsets[1] else {
      throw FormatError("has tensor '\(name)' without 'data_offsets' [begin, end] (whole numbers, begin ≤ end)")
    }
    let needed = Rule.product(shape + [dtype.size], limit: dataSize)
    guard needed == offsets[1] - offsets[0] else {
      throw FormatError(
        "has tensor '\(name)' whose offsets [\(offsets[0]), \(offsets[1])] hold \(offsets[1] - offsets[0]) bytes, "
          + "but \(dtype.rawValue) \(Entry.text(shape)) needs "
          + (needed.map { "\($0)" } ?? "more than the \(dataSize) bytes of data"))
    }
    return Entry(dtype: dtype, shape: shape, bytes: offsets[0]..<offsets[1])
  }

  /// A JSON list of whole numbers ≥ 0.
  private static func wholeNumbers(_ value: Any?) -> [Int]? {
    guard let list = value as? [Any] else { return nil }
    var numbers: [Int] = []
    for item in list {
      // Foundation answers `is Bool` for every 0 and 1: a JSON true is the NSNumber of type "c".
      guard let number = item as? NSNumber, String(cString: number.objCType) != "c", let n = item as? Int, n >= 0
      else { return nil }
      numbers.append(n)
    }
    return numbers
  }

  /// The tensors must cover the data section exactly: no gap, no overlap, nothing past its end.
  private static func checkTiling(_ entries: [String: Entry], dataSize: Int) throws(FormatError) {
    let sorted = entries.sorted { ($0.value.bytes.lowerBound, $0.key) < ($1.value.bytes.lowerBound, $1.key) }
    var end = 0
    var previous: String?
    for (name, entry) in sorted {
      let range = "bytes \(entry.bytes.lowerBound)..<\(entry.bytes.upperBound)"
      if entry.bytes.lowerBound < end, let previous {
        throw FormatError("has tensor '\(name)' (\(range)) overlapping tensor '\(previous)', which ends at \(end)")
      }
      if entry.bytes.lowerBound > end {
        throw FormatError(
          "has a gap of \(entry.bytes.lowerBound - end) bytes in its data before tensor '\(name)' (\(range))")
      }
      guard entry.bytes.upperBound <= dataSize else {
        throw FormatError(
          "has tensor '\(name)' (\(range)) past the end of its data (\(dataSize) bytes): the file is truncated")
      }
      end = entry.bytes.upperBound
      previous = name
    }
    guard end == dataSize else {
      throw FormatError("has \(dataSize - end) bytes after its last tensor that belong to no tensor")
    }
  }

  /// The values of an F32 tensor (the caller checked its dtype).
  func floats(_ entry: Entry) -> [Float] {
    precondition(entry.dtype == .F32, "floats of a \(entry.dtype) tensor")
    var values = [Float](repeating: 0, count: entry.bytes.count / 4)
    values.withUnsafeMutableBytes { target in
      data.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[entry.bytes])) }
    }
    return values
  }

  /// Why bytes are not a usable safetensors file: a sentence that follows the file's name.
  struct FormatError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
  }
}

extension SafeTensors {
  /// `values` as little-endian F32 bytes (the host's: `TensorArchive` stops big-endian builds).
  static func bytes(_ values: [Float]) -> [UInt8] { values.withUnsafeBytes { [UInt8]($0) } }
}
