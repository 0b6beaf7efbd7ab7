import Foundation

extension DatasetCache {
  /// Removes the temporary files that loads ended by a crash or a signal left in
  /// `directory` (a CelebA load leaves 2.3 GB), and returns their names.
  ///
  /// Only files ganrepl makes, told by a name no user would choose,
  /// `HEX.gdata.partial-PID-XXXXXX`, and only when no process owns them: the pid is not
  /// running and the writer's `flock` is free (the lock also covers a writer in another
  /// pid namespace sharing the folder, whose pid means nothing here). Files named
  /// `HEX.gdata.partial-XXXXXX` by versions before the pid was in the name, which took no
  /// lock, go only when untouched for a day.
  @discardableResult
  static func sweepStranded(in directory: String, now: Date = Date()) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var removed: [String] = []
    for name in names {
      guard let owner = strandedOwner(name) else { continue }
      let path = directory + "/" + name
      if let pid = owner {
        guard processHasEnded(pid) else { continue }
      } else {
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
          now.timeIntervalSince(modified) > 24 * 3600
        else { continue }
      }
      let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
      guard fd >= 0 else { continue }
      if flock(fd, LOCK_EX | LOCK_NB) == 0 && unlink(path) == 0 { removed.append(name) }
      close(fd)
    }
    return removed.sorted()
  }

  /// For a name `Writer.create` makes: .some(pid), or .some(nil) for the older form
  /// without a pid; nil for any other name.
  static func strandedOwner(_ name: String) -> Int32?? {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(\.isHexDigit), parts[1] == "gdata",
      parts[2].hasPrefix("partial-")
    else { return nil }
    let fields = parts[2].dropFirst("partial-".count).split(separator: "-", omittingEmptySubsequences: false)
    func isRandom(_ s: Substring) -> Bool {
      s.count == 6 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
    if fields.count == 1 && isRandom(fields[0]) { return .some(nil) }
    guard fields.count == 2, isRandom(fields[1]), let pid = Int32(fields[0]), pid > 0 else { return nil }
    return .some(pid)
  }
}
