import Dispatch
import Foundation

/// Loads a folder of JPEG and PNG files into an `ImageDataset`: listed recursively and
/// sorted (so `limit` and indices are stable), decoded on every core, resized, converted
/// to the requested channels. Unreadable files are skipped and reported, never fatal.
enum ImageFolderLoader {
  static let extensions: Set<String> = ["jpg", "jpeg", "png"]

  /// The image files under `path`, sorted by relative path.
  static func listImages(in path: String) throws(SessionError) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw SessionError(.noSuchPath(path))
    }
    guard isDirectory.boolValue else {
      throw SessionError(.cannotRead(path, reason: "it is a file; give the folder that holds the images"))
    }
    guard let enumerator = FileManager.default.enumerator(atPath: path) else {
      throw SessionError(.cannotRead(path, reason: "the folder cannot be listed"))
    }
    var files: [String] = []
    while let relative = enumerator.nextObject() as? String {
      let ext = (relative as NSString).pathExtension.lowercased()
      if extensions.contains(ext) { files.append(relative) }
    }
    return files.sorted()
  }

  /// Decodes every image in parallel; `progress(done, total)` and `shouldStop` are
  /// called on the calling thread a few times a second.
  static func load(
    _ spec: DataSpec, path: String, threads: Int,
    progress: (Int, Int) -> Void, shouldStop: () -> Bool
  ) throws(SessionError) -> ImageDataset {
    var listed = try listImages(in: path)
    if let limit = spec.limit { listed = Array(listed.prefix(limit)) }
    let files = listed
    guard !files.isEmpty else { throw SessionError(.noImages(path, skipped: 0, firstErrors: [])) }

    let perImage = spec.size * spec.size * spec.channels
    let pixels = SharedPointer(base: UnsafeMutablePointer<UInt8>.allocate(capacity: files.count * perImage))
    defer { pixels.base.deallocate() }
    let work = LoadWork(total: files.count)
    var stopped = false
    parallelFor(files.count, threads: threads, body: { i in
      guard !work.cancelled else { return }
      let file = (path as NSString).appendingPathComponent(files[i])
      switch decode(file, spec) {
      case .success(let image):
        image.pixels.withUnsafeBufferPointer { (pixels.base + i * perImage).update(from: $0.baseAddress!, count: perImage) }
      case .failure(let error):
        work.fail(i, error.message)
      }
      work.finish()
    }, poll: {
      progress(work.done, files.count)
      if !stopped && shouldStop() {
        stopped = true
        work.cancel()
      }
    })
    if stopped { throw SessionError(.interrupted("loading \(path)")) }

    let failed = work.failures
    var kept = [UInt8]()
    kept.reserveCapacity((files.count - failed.count) * perImage)
    for i in 0..<files.count where failed[i] == nil {
      kept.append(contentsOf: UnsafeBufferPointer(start: pixels.base + i * perImage, count: perImage))
    }
    let skipped = failed.keys.sorted().map { (file: files[$0], reason: failed[$0]!) }
    guard kept.count > 0 else {
      throw SessionError(.noImages(path, skipped: skipped.count, firstErrors: skipped.prefix(3).map { "\($0.file): \($0.reason)" }))
    }
    return ImageDataset(spec: spec, count: kept.count / perImage, pixels: kept, skipped: skipped)
  }

  /// One file → size×size×channels bytes.
  static func decode(_ file: String, _ spec: DataSpec) -> Result<DecodedImage, DecodeError> {
    guard let data = FileManager.default.contents(atPath: file) else {
      return .failure(DecodeError(message: "cannot read the file"))
    }
    return DecodedImage.decode([UInt8](data), minSide: spec.size).map {
      $0.converted(toChannels: spec.channels).resized(to: spec.size, mode: spec.resize)
    }
  }
}

/// Counts finished files and collects failures, under one lock.
private final class LoadWork: @unchecked Sendable {
  private let lock = NSLock()
  private let total: Int
  private var finished = 0
  private var stop = false
  private var failed: [Int: String] = [:]

  init(total: Int) { self.total = total }

  var done: Int { lock.withLock { finished } }
  var cancelled: Bool { lock.withLock { stop } }
  var failures: [Int: String] { lock.withLock { failed } }

  func cancel() { lock.withLock { stop = true } }
  func finish() { lock.withLock { finished += 1 } }
  func fail(_ index: Int, _ reason: String) { lock.withLock { failed[index] = reason } }
}
