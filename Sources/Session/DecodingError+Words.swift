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

  /// What was wrong, to follow the field: "is missing", "is text, expected a whole number".
  var reason: String {
    switch self {
    case .keyNotFound(let key, _):
      return "has no '\(key.stringValue)'"
    case .valueNotFound(let type, _):
      return "is null, expected \(Self.words(for: type))"
    case .typeMismatch(let type, _):
      return "expected \(Self.words(for: type))"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty {
        let detail = (context.underlyingError as NSError?).map(Self.jsonProblem) ?? ""
        return "is not valid JSON" + (detail.isEmpty ? "" : " (\(detail))")
      }
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
    switch type {
    case is Int.Type, is UInt64.Type, is Int32.Type, is UInt32.Type: return "a whole number"
    case is Float.Type, is Double.Type: return "a number"
    case is String.Type: return "text"
    case is Bool.Type: return "true or false"
    default:
      let name = "\(type)"
      if name.hasPrefix("Array") { return "a list" }
      if name.hasPrefix("Dictionary") || name.contains("Keyed") { return "an object" }
      return "a value of another kind"
    }
  }

  /// The parser's own words about where the JSON broke, when it gives them.
  private static func jsonProblem(_ error: NSError) -> String {
    let detail = (error.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
    return String(detail.prefix(200))
  }
}
