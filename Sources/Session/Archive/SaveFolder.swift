import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where `save` writes, and how it writes without losing or taking anything.
///
/// The new save is written into a staging folder beside the target, named
/// `.NAME.ganrepl-saving-PID-XXXXXX` (made by `mkdtemp`, so unique, hidden, and in a form no
/// user picks), then swapped with the target in one step (`renameat2(RENAME_EXCHANGE)`;
/// two renames where the file system lacks it). The old save ends up in the staging folder,
/// and only the two files ganrepl wrote there are removed. A crash at any point leaves the
/// old save or the new one under the target's name; a later save of the same name sweeps
/// staging folders whose process is dead. Nothing without ganrepl's name is ever removed.
struct SaveFolder {
  /// The files a saved session holds: the only names `save` ever removes.
  static let files = [SessionArchive.sessionFile, SessionArchive.tensorsFile]
  static let stagingMarker = ".ganrepl-saving-"
  static let previousMarker = ".ganrepl-previous-"

  /// The target as given, without trailing slashes.
  let path: String
  let parent: String
  let name: String

  /// Checks that `path` can hold a saved session: a name is given, the folders above it are
  /// folders, and the target is absent, empty, or a saved session holding only ganrepl's files.
  init(_ given: String) throws(SessionError) {
    try WriteTarget.checkPlaceholders(given)
    let path = withoutTrailingSlashes(given)
    guard !path.isEmpty else {
      throw SessionError(
        .cannotWrite("\"\"", reason: "the name is empty; give a folder name, such as save \"run1\"", advised: true))
    }
    let name = (path as NSString).lastPathComponent
    guard path != "/", name != ".", name != ".." else {
      throw SessionError(
        .cannotWrite(
          given, reason: "give a name for a new folder, such as \"\(path == "/" ? "" : path + "/")run1\"", advised: true
        ))
    }
    self.path = path
    self.name = name
    let parent = parentFolder(of: path)
    self.parent = parent.isEmpty ? "." : parent
    try WriteTarget.checkWritable(above: self.parent, for: given)
    try checkTarget()
  }

  /// Each existing folder above the target must be a folder (missing ones are created).
  static func checkFolders(above parent: String, for given: String) throws(SessionError) {
    var prefix = parent.hasPrefix("/") ? "/" : ""
    for component in parent.split(separator: "/") {
      prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
      var info = stat()
      if stat(prefix, &info) != 0 {
        if errno == ENOENT { return }
        throw SessionError(.cannotWrite(given, reason: FileProblem.text(errno, prefix)))
      }
      guard info.st_mode & S_IFMT == S_IFDIR else {
        throw SessionError(.cannotWrite(given, reason: "'\(prefix)' is a file, not a folder"))
      }
    }
  }

  private func checkTarget() throws(SessionError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { return }
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(errno, path)))
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw SessionError(
        .cannotWrite(path, reason: "it is a file, not a saved session folder; choose another name", advised: true))
    }
    let entries: [String]
    do {
      entries = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(error, path)))
    }
    if let foreign = entries.sorted().first(where: { !Self.files.contains($0) }) {
      // ganrepl's own picture or export there: say so, not that ganrepl did not write it.
      let ours = OwnFile.isGanrepls(path + "/" + foreign)
      throw SessionError(
        .cannotWrite(
          path,
          reason: ours
            ? "it holds '\(foreign)', which ganrepl wrote there, but a saved session's folder holds only its own"
              + " two files; write pictures and exports beside it, or save the session under another name"
            : "it holds '\(foreign)', which ganrepl did not write; choose another name, or move it away",
          advised: true))
    }
    if !entries.isEmpty && !entries.contains("session.json") {
      throw SessionError(
        .cannotWrite(path, reason: "it is not a saved ganrepl session; choose another name", advised: true))
    }
    // The old save's files are removed from it once it is swapped out.
    guard entries.isEmpty || access(path, W_OK | X_OK) == 0 else {
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(errno, path)))
    }
  }

  /// Writes `contents` (file name → bytes) as the target folder, swapping it in whole.
  func write(_ contents: [(name: String, bytes: [UInt8])]) throws(SessionError) {
    if parent != "." {
      do {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      } catch {
        throw SessionError(.cannotWrite(path, reason: FileProblem.text(error, parent)))
      }
    }
    sweep()
    var template = Array("\(parent)/.\(name)\(Self.stagingMarker)\(getpid())-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(errno, parent)))
    }
    let staging = String(cString: made)
    // mkdtemp makes the folder private (0700); a saved session gets the usual permissions.
    let mask = umask(0)
    umask(mask)
    chmod(staging, 0o777 & ~mask)
    do throws(SessionError) {
      for (file, bytes) in contents { try Self.writeFile(staging + "/" + file, bytes, for: path) }
      try swapIn(staging)
    } catch {
      Self.removeOwn(staging)
      throw error
    }
    Self.removeOwn(staging)
  }

  /// Puts `staging` at the target's name; afterwards `staging` holds the old save, if any.
  private func swapIn(_ staging: String) throws(SessionError) {
    if rename(staging, path) == 0 { return }  // no target, or an empty one
    guard errno == ENOTEMPTY || errno == EEXIST else {
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(errno, path)))
    }
    switch FileProblem.exchange(staging, path) {
    case 0: return
    case let code where code != EINVAL && code != ENOSYS && code != ENOTSUP:
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(code, path)))
    default: break
    }
    // No atomic exchange here: move the old save aside under our own name, then the new in.
    var template = Array("\(parent)/.\(name)\(Self.previousMarker)\(getpid())-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(errno, parent)))
    }
    let previous = String(cString: made)
    guard rename(path, previous) == 0 else {
      let code = errno
      rmdir(previous)
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(code, path)))
    }
    guard rename(staging, path) == 0 else {
      let code = errno
      rename(previous, path)
      throw SessionError(.cannotWrite(path, reason: FileProblem.text(code, path)))
    }
    rmdir(staging)
    rename(previous, staging)
  }

  /// Removes staging folders of this target left by a save that died: only folders with
  /// ganrepl's marker whose process is gone, and in them only ganrepl's files. An old save
  /// stranded between two renames goes back to the target's name if that is free.
  private func sweep() {
    Self.sweepStaging(in: parent)
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
    for entry in entries.sorted() {
      for marker in [Self.stagingMarker, Self.previousMarker] {
        let prefix = ".\(name)\(marker)"
        guard entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count).prefix(while: { $0 != "-" })),
          processHasEnded(pid)
        else { continue }
        let folder = "\(parent)/\(entry)"
        if marker == Self.previousMarker, access(path, F_OK) != 0, rename(folder, path) == 0 { continue }
        Self.removeOwn(folder)
      }
    }
  }

  /// Removes the staging folders in `parent`, of any name, that a process which has ended
  /// left (a kill -9 during a save): a half-written save, hidden, as large as a whole one.
  /// `save` sweeps its folder's parent, and `load` the loaded folder's. On a disk several
  /// machines share, a live save elsewhere has a process id this machine does not know,
  /// so only folders untouched for an hour are taken (a save writes for seconds).
  static func sweepStaging(in parent: String) {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
    let hourAgo = time(nil) - 3600
    for entry in entries.sorted() where entry.hasPrefix(".") {
      var info = stat()
      guard let marker = entry.range(of: stagingMarker),
        let pid = Int32(entry[marker.upperBound...].prefix(while: { $0 != "-" })), processHasEnded(pid),
        stat("\(parent)/\(entry)", &info) == 0, info.st_mtim.tv_sec < hourAgo
      else { continue }
      removeOwn("\(parent)/\(entry)")
    }
  }

  /// Removes ganrepl's files from `folder`, then the folder if that left it empty.
  private static func removeOwn(_ folder: String) {
    for file in files { unlink(folder + "/" + file) }
    rmdir(folder)
  }

  /// Writes `bytes` to a new file and flushes it to the disk.
  private static func writeFile(_ file: String, _ bytes: [UInt8], for target: String) throws(SessionError) {
    let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SessionError(.cannotWrite(target, reason: FileProblem.text(errno, target))) }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw SessionError(.cannotWrite(target, reason: FileProblem.text(errno, target))) }
      written += n
    }
    guard fsync(fd) == 0 else { throw SessionError(.cannotWrite(target, reason: FileProblem.text(errno, target))) }
  }
}

/// System errors in plain words.
enum FileProblem {
  /// `errno` as words: "no space left on the disk", "permission denied (run1)".
  static func text(_ code: Int32, _ path: String) -> String {
    switch code {
    case ENOSPC: return "the disk is full"
    case EDQUOT: return "the disk quota is used up"
    case EACCES, EPERM: return "permission denied for '\(path)'"
    case EROFS: return "'\(path)' is on a read-only disk"
    case ENOENT: return "'\(path)' does not exist"
    case ENOTDIR: return "a part of '\(path)' is a file, not a folder"
    case EISDIR: return "'\(path)' is a folder"
    case ENAMETOOLONG: return "the name '\(path)' is too long"
    default:
      let words = String(cString: strerror(code))
      return (words.prefix(1).lowercased() + words.dropFirst()) + " ('\(path)')"
    }
  }

  /// A Foundation error as words: its POSIX code when it has one.
  static func text(_ error: any Error, _ path: String) -> String {
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return text(Int32(ns.code), path) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return text(Int32(underlying.code), path)
    }
    switch CocoaError.Code(rawValue: ns.code) {
    case .fileNoSuchFile, .fileReadNoSuchFile: return text(ENOENT, path)
    case .fileWriteNoPermission, .fileReadNoPermission: return text(EACCES, path)
    case .fileWriteOutOfSpace: return text(ENOSPC, path)
    case .fileWriteVolumeReadOnly: return text(EROFS, path)
    case .fileWriteFileExists: return "'\(path)' already exists"
    default: return "'\(path)' could not be used (\(ns.localizedDescription))"
    }
  }

  private typealias Renameat2 =
    @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

  /// glibc's `renameat2`, which Swift's Glibc module does not declare; nil before glibc 2.28.
  private static let renameat2: Renameat2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
    .map { unsafeBitCast($0, to: Renameat2.self) }

  /// Swaps two paths in one step (`RENAME_EXCHANGE`); 0, or the errno (ENOSYS without it).
  static func exchange(_ a: String, _ b: String) -> Int32 {
    guard let renameat2 else { return ENOSYS }
    let renameExchange: UInt32 = 2
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 ? 0 : errno
  }
}
