import Foundation

/// A saved session's data folder as typed (often relative, so a project folder can move)
/// and as the absolute path it named when saved (so `load` works from another folder).
enum DataFolder {
  /// The absolute path of `spec`'s folder when it was typed relative; nil for an absolute
  /// folder and for other data. `.` components are dropped; `..` are kept, since a link
  /// may stand before them.
  static func absolute(_ spec: DataSpec) -> String? {
    guard case .folder(let folder) = spec.source, !folder.hasPrefix("/") else { return nil }
    let parts = (FileManager.default.currentDirectoryPath + "/" + folder).split(separator: "/")
      .filter { $0 != "." }
    return "/" + parts.joined(separator: "/")
  }

  /// The typed folder and its saved absolute path, when the typed one is relative and not
  /// found from here but the absolute one is; nil otherwise (the typed folder is read, and
  /// a failure says it is relative).
  static func elsewhere(_ spec: DataSpec, savedAs absolute: String?) -> (typed: String, absolute: String)? {
    guard case .folder(let typed) = spec.source, !typed.hasPrefix("/"), let absolute,
      !FileManager.default.fileExists(atPath: typed), FileManager.default.fileExists(atPath: absolute)
    else { return nil }
    return (typed, absolute)
  }
}
