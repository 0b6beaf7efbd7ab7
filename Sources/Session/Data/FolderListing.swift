import Foundation
import Tensors

/// An image file found under a dataset folder.
struct ListedFile: Hashable, Sendable {
  /// Path relative to the folder, `/`-separated.
  var path: String
  var size: Int
  /// Modification time in nanoseconds since the epoch.
  var modified: Int
}

/// Lists the image files (.jpg, .jpeg, .png, any case) under a folder, recursively,
/// following symbolic links but visiting each directory once; sorted by relative path
/// (bytewise) so indices and `limit` are stable. readdir, then fstatat relative to the
/// directory on two threads, and byte-level name checks: 202,599 files take about 0.2 s.
enum FolderListing {
  /// The names and sizes of `files`, hashed: the same folder gives the same text wherever
  /// it was moved or copied (modification times are left out), and another set of images
  /// another one. Saved with a session, so `load` can say when the images changed.
  static func fingerprint(_ files: [ListedFile]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(files.count * 24)
    for f in files {
      bytes += f.path.utf8
      bytes.append(0)
      withUnsafeBytes(of: Int64(f.size).littleEndian) { bytes += $0 }
    }
    guard !bytes.isEmpty else { return "0" }
    return String(bytes.withUnsafeBytes { FastHash.hash($0.baseAddress!, count: $0.count) }, radix: 16)
  }

  static func images(in folder: String) throws(SessionError) -> [ListedFile] {
    var info = stat()
    guard stat(folder, &info) == 0 else { throw SessionError(.noSuchPath(folder)) }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw SessionError(.cannotRead(folder, reason: "it is a file; give the folder that holds the images"))
    }
    var found: [(path: [UInt8], size: Int, modified: Int)] = []
    var visited: Set<[UInt64]> = [[UInt64(info.st_dev), UInt64(info.st_ino)]]
    var pending: [[UInt8]] = [[]]
    while let relative = pending.popLast() {
      let directory = relative.isEmpty ? folder : folder + "/" + String(decoding: relative, as: UTF8.self)
      guard let handle = opendir(directory) else {
        if relative.isEmpty { throw SessionError(.cannotRead(folder, reason: String(cString: strerror(errno)))) }
        continue
      }
      defer { closedir(handle) }
      // Names first, then their stat calls on all threads.
      var names: [[CChar]] = []
      while let entry = readdir(handle) {
        let type = entry.pointee.d_type
        withUnsafePointer(to: entry.pointee.d_name) {
          $0.withMemoryRebound(to: CChar.self, capacity: 256) { cName in
            let name = UnsafeRawBufferPointer(start: cName, count: strlen(cName))
            if name.elementsEqual([0x2E]) || name.elementsEqual([0x2E, 0x2E]) { return }
            if type == DT_DIR || type == DT_LNK || type == DT_UNKNOWN || (type == DT_REG && isImageName(name)) {
              names.append(Array(UnsafeBufferPointer(start: cName, count: name.count + 1)))
            }
          }
        }
      }
      let stats = SendablePointer(UnsafeMutablePointer<stat>.allocate(capacity: max(names.count, 1)))
      let ok = SendablePointer(UnsafeMutablePointer<Bool>.allocate(capacity: max(names.count, 1)))
      defer {
        stats.pointer.deallocate()
        ok.pointer.deallocate()
      }
      let descriptor = dirfd(handle)
      let shared = names
      parallelFor(
        names.count, threads: 2,
        body: { i in
          ok.pointer[i] =
            shared[i].withUnsafeBufferPointer { fstatat(descriptor, $0.baseAddress!, stats.pointer + i, 0) } == 0
        })
      for (i, cName) in names.enumerated() where ok.pointer[i] {
        let s = stats.pointer[i]
        let name = cName.dropLast().map { UInt8(bitPattern: $0) }
        let path = relative.isEmpty ? name : relative + [0x2F] + name
        if s.st_mode & S_IFMT == S_IFDIR {
          if visited.insert([UInt64(s.st_dev), UInt64(s.st_ino)]).inserted { pending.append(path) }
        } else if s.st_mode & S_IFMT == S_IFREG && name.withUnsafeBytes({ isImageName($0) }) {
          found.append((path, Int(s.st_size), Int(s.st_mtim.tv_sec) * 1_000_000_000 + Int(s.st_mtim.tv_nsec)))
        }
      }
    }
    found.sort { a, b in
      a.path.withUnsafeBufferPointer { x in
        b.path.withUnsafeBufferPointer { y in
          let common = min(x.count, y.count)
          let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
          return order != 0 ? order < 0 : x.count < y.count
        }
      }
    }
    return found.map {
      ListedFile(path: String(decoding: $0.path, as: UTF8.self), size: $0.size, modified: $0.modified)
    }
  }

  /// Ends in .jpg, .jpeg or .png, in any case, with something before the dot.
  private static func isImageName(_ name: UnsafeRawBufferPointer) -> Bool {
    func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
    for ext in ["jpg", "jpeg", "png"] {
      let e = Array(ext.utf8)
      guard name.count > e.count + 1, name[name.count - e.count - 1] == 0x2E else { continue }
      if zip(name.suffix(e.count), e).allSatisfy({ lower($0) == $1 }) { return true }
    }
    return false
  }
}
