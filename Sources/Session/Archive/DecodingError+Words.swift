import Foundation

extension DecodingError {
  /// The JSON path of the value that failed (`networks.generator.definition.layers[3]`),
  /// or nil for the whole file.
  var field: String? {
    let path = context.codingPath
    guard !path.isEmpty else { return nil }
    var text = ""
    for key in path {
      if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return text
  }

  /// What was wrong, to follow the field: "has no 'latent'", "is text, expected a whole
  /// number"; for JSON that does not parse, where it breaks in `json`.
  func reason(in json: Data) -> String {
    switch self {
    case .keyNotFound(let key, _):
      return "has no '\(key.stringValue)'"
    case .valueNotFound(let type, _):
      return "is null, expected \(Self.words(for: type))"
    case .typeMismatch(let type, let context):
      if context.debugDescription.hasPrefix("Invalid number of keys") {
        return "is not \(Self.words(for: type)) (an object with one key naming its kind)"
      }
      return "is \(Self.found(context.debugDescription)), expected \(Self.words(for: type))"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty { return Self.syntaxProblem(json) }
      return "is not a valid value (\(context.debugDescription))"
    @unknown default:
      return "cannot be read"
    }
  }

  private var context: Context {
    switch self {
    case .keyNotFound(_, let c), .valueNotFound(_, let c), .typeMismatch(_, let c), .dataCorrupted(let c): c
    @unknown default: Context(codingPath: [], debugDescription: "")
    }
  }

  /// Swift's type names as a user would say them.
  private static func words(for type: Any.Type) -> String {
    switch "\(type)" {
    case "Int", "UInt64", "Int32", "UInt32": "a whole number"
    case "Float", "Double": "a number"
    case "String": "text"
    case "Bool": "true or false"
    case "LayerSpec": "a known layer"
    case "Padding": "a padding (same, valid or explicit)"
    case "OptimizerSpec": "a known optimiser (adam or sgd)"
    case "Initializer": "a known initializer (glorot or normal)"
    case "Period": "a period (steps, batches or epochs)"
    case "PeriodicAction": "an action (sample or save)"
    case "Source": "a data source (folder, faces, ring or grid)"
    case let name where name.hasPrefix("Array"): "a list"
    case let name where name.hasPrefix("Dictionary") || name.hasPrefix("Keyed"): "an object"
    case let name: "a \(name)"
    }
  }

  /// "a string" from Foundation's "Expected to decode Int but found a string instead."
  private static func found(_ description: String) -> String {
    guard let range = description.range(of: "but found ") else { return "the wrong kind of value" }
    let rest = description[range.upperBound...].replacingOccurrences(of: " instead.", with: "")
    switch rest {
    case "a string": return "text"
    case "a dictionary": return "an object"
    case "an array": return "a list"
    case "a number": return "a number"
    case "bool", "a bool": return "true or false"
    default: return rest
    }
  }

  /// Where `json` stops being JSON, as a line and column when the parser says where.
  static func syntaxProblem(_ json: Data) -> String {
    if json.isEmpty { return "is empty" }
    do {
      _ = try JSONSerialization.jsonObject(with: json)
      // Foundation says no more than "not valid JSON" of a number that parses but does not fit.
      return "holds a number its field cannot take: a fraction where a whole number belongs,"
        + " a negative one where none may be, or one too large"
    } catch {
      let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
      guard let range = detail.range(of: "character "),
        let offset = Int(detail[range.upperBound...].prefix(while: \.isNumber))
      else {
        return detail.contains("end of file") ? "is not valid JSON: it ends early" : "is not valid JSON"
      }
      let before = json.prefix(offset)
      let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
      let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
      return "is not valid JSON: unexpected text at line \(line), column \(column)"
    }
  }
}
