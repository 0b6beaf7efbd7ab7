import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where a file will be written, checked before it is: each folder above it that exists is
/// a folder, the deepest of them can be written in (missing ones are created then), and the
/// name is not a folder's. `save` checks its folder the same way (`SaveFolder`), and a
/// notebook checks every path it writes before its first line runs, so that a run is not
/// lost at its last line.
enum WriteTarget {
  /// Checks that a file can be written at `path`. A `{step}`-style placeholder stands for a
  /// name not known yet: the folders before it are checked.
  static func checkFile(_ path: String) throws(SessionError) {
    try checkPlaceholders(path)
    let fixed = fixedPart(of: path)
    try checkWritable(above: parentFolder(of: fixed), for: path)
    guard fixed == path else { return }
    var info = stat()
    if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
      throw SessionError(.cannotWrite(path, reason: "it is a folder; give a file name", advised: true))
    }
  }

  /// Checks that the folders above a target (`folder`, the target's parent) are folders and
  /// that the deepest one that exists can be written in.
  static func checkWritable(above folder: String, for given: String) throws(SessionError) {
    let folder = folder.isEmpty ? "." : folder
    try SaveFolder.checkFolders(above: folder, for: given)
    var existing = folder
    while !existing.isEmpty && existing != "." && access(existing, F_OK) != 0 { existing = parentFolder(of: existing) }
    if existing.isEmpty { existing = "." }
    guard access(existing, W_OK | X_OK) == 0 else {
      throw SessionError(.cannotWrite(given, reason: FileProblem.text(errno, existing)))
    }
    try probe(existing, for: given)
  }

  /// Creates and removes a file in `folder`: `access` speaks for the permission bits
  /// alone, and a folder such as `/proc` passes them (for root, every folder does) but
  /// takes no new file.
  static func probe(_ folder: String, for given: String) throws(SessionError) {
    var template = Array((folder + "/.ganrepl-probe-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      let code = errno
      let reason =
        code == ENOENT || code == EACCES || code == EPERM
        ? "'\(folder)' takes no new files" + (code == ENOENT ? " (a system folder)" : " (permission denied)")
        : FileProblem.text(code, folder)
      throw SessionError(.cannotWrite(given, reason: reason))
    }
    close(fd)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
  }

  /// Refuses a `{…}` other than `{epoch}`, `{step}` and `{index}`: a typo (`{setp}`) would
  /// name every file the same, each replacing the last.
  static func checkPlaceholders(_ path: String) throws(SessionError) {
    var rest = path
    for known in ["{epoch}", "{step}", "{index}"] { rest = rest.replacingOccurrences(of: known, with: "") }
    guard let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) else { return }
    let word = rest[open...].prefix { $0 != "}" } + (rest[open...].contains("}") ? "}" : "")
    throw SessionError(
      .cannotWrite(
        path, reason: "'\(word)' is no placeholder; a path takes {epoch}, {step} and {index}", advised: true))
  }

  /// `path` up to the folder that holds its first `{…}` placeholder, or all of it.
  static func fixedPart(of path: String) -> String {
    guard let brace = path.firstIndex(of: "{") else { return path }
    let head = String(path[..<brace])
    return head.contains("/") ? String(head[...head.lastIndex(of: "/")!]) + "_" : "_"
  }
}
