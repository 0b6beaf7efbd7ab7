import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reading the files of a saved session, with errors that name the file.
enum SavedFiles {
  /// `path` must be a folder.
  static func checkFolder(_ path: String) throws(SessionError) {
    guard !path.isEmpty else {
      throw SessionError(.cannotRead("\"\"", reason: "the name is empty; give the folder of a saved session"))
    }
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { throw SessionError(.noSuchPath(path)) }
      throw SessionError(.cannotRead(path, reason: FileProblem.text(errno, path)))
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw SessionError(
        .badArchive(path, reason: "it is a file; a saved session is a folder holding session.json and tensors.bin"))
    }
  }

  /// The bytes of `file`, a regular file inside the saved session `folder`.
  static func read(_ file: String, in folder: String) throws(SessionError) -> [UInt8] {
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == ENOENT {
        throw SessionError(.badArchive(folder, reason: "it has no \((file as NSString).lastPathComponent)"))
      }
      throw SessionError(.cannotRead(file, reason: FileProblem.text(errno, file)))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw SessionError(.cannotRead(file, reason: FileProblem.text(errno, file))) }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw SessionError(.badSavedFile(file, field: nil, reason: "is not a regular file"))
    }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else { throw SessionError(.cannotRead(file, reason: FileProblem.text(errno, file))) }
      if n == 0 { bytes.removeLast(bytes.count - done) }
      done += n
    }
    return bytes
  }

  /// The session in `file`, each value checked by `validate()`, and what it needs from
  /// `tensors.bin`. Errors name the file and the JSON path of the value.
  static func readSession(_ file: String, in folder: String) throws(SessionError) -> (SavedSession, SavedSession.Needs)
  {
    let json = Data(try read(file, in: folder))
    let saved: SavedSession
    do {
      saved = try JSONDecoder().decode(SavedSession.self, from: json)
    } catch let error as DecodingError {
      throw SessionError(.badSavedFile(file, field: error.field, reason: error.reason(in: json)))
    } catch {
      throw SessionError(.badSavedFile(file, field: nil, reason: "cannot be read (\(error.localizedDescription))"))
    }
    guard saved.format == SavedSession.format else {
      throw SessionError(
        .badSavedFile(file, field: "format", reason: "is '\(saved.format)', expected '\(SavedSession.format)'"))
    }
    guard (1...SavedSession.version).contains(saved.version) else {
      throw SessionError(
        .badSavedFile(
          file, field: "version",
          reason: "is \(saved.version); this ganrepl reads version \(SavedSession.version)"
            + (saved.version > SavedSession.version ? " (the session was saved by a newer ganrepl)" : "")))
    }
    do {
      return (saved, try saved.validate())
    } catch {
      throw SessionError(
        .badSavedFile(file, field: error.field, reason: "is \(error.value), expected \(error.expected)"))
    }
  }
}
