import CImageCodecs
import Dispatch
import Foundation
import Tensors

/// Loads a folder of JPEG and PNG files into an `ImageDataset`: listed recursively and
/// sorted (so `limit` and indices are stable), decoded on every core straight into one
/// buffer, resized, converted to the requested channels, and cached on disk (see
/// `DatasetCache`). Unreadable files are skipped and reported, never fatal.
enum ImageFolderLoader {
  /// How a load went.
  struct Report {
    var dataset: ImageDataset
    /// The cache file used or written, if any.
    var cacheFile: String?
    var fromCache: Bool
    /// Why an existing cache was not used, or why writing one failed.
    var cacheNote: String?
    /// What went to keep the cache under its limit when this load wrote a new file.
    var trimmed: DatasetCache.Trim? = nil
    /// Files listed (before skipping unreadable ones).
    var files: Int
    /// The listed files' `FolderListing.fingerprint`, before they were shared among ranks.
    var listing: String
  }

  /// `progress(done, total)` and `shouldStop` are called on the calling thread a few times
  /// a second while decoding. `cacheDirectory` nil turns the cache off. `rank` (under
  /// mpirun) loads and caches only that rank's share of the files (`ImageShard`). A new
  /// cache file trims the cache to `cacheLimit` bytes (`DatasetCache.limit()`).
  static func load(
    _ spec: DataSpec, path: String, threads: Int, cacheDirectory: String?, rank: (index: Int, of: Int)? = nil,
    cacheLimit: Int = DatasetCache.limit(), progress: (Int, Int) -> Void, shouldStop: () -> Bool
  ) throws(SessionError) -> Report {
    var listed = try FolderListing.images(in: path)
    if let limit = spec.limit { listed = Array(listed.prefix(limit)) }
    let listing = FolderListing.fingerprint(listed)  // the whole folder's, the same on every rank
    if let rank {
      let part = BatchShare(global: listed.count, rank: rank.index, ranks: rank.of)
      listed = Array(listed[part.offset..<part.offset + part.count])
    }
    // A rank's share may hold no file, or none readable: whether the folder has images is
    // the ranks' sum (`Interpreter.prepareData`).
    guard !listed.isEmpty || rank != nil else { throw SessionError(.noImages(path, skipped: 0, firstErrors: [])) }

    let key = DatasetCache.key(files: listed, spec: spec)
    let cacheFile =
      spec.cache ? cacheDirectory.map { DatasetCache.file(in: $0, folder: path, spec: spec, rank: rank) } : nil
    var note: String?
    if cacheFile != nil, let cacheDirectory {
      let swept = DatasetCache.sweepStranded(in: cacheDirectory)
      if !swept.isEmpty {
        note = "removed \(swept.count) unfinished cache file\(swept.count == 1 ? "" : "s") left by an ended load"
      }
    }
    if let cacheFile {
      switch DatasetCache.read(cacheFile, key: key, spec: spec) {
      case .success(let dataset):
        DatasetCache.touch(cacheFile)
        return Report(dataset: dataset, cacheFile: cacheFile, fromCache: true, files: listed.count, listing: listing)
      case .failure(.absent): break
      case .failure(let miss): note = "rebuilt the cache: \(miss)"
      }
    }

    // Decode straight into the new cache file where its space can be reserved; else into
    // memory, and write the cache afterwards.
    try spec.checkMemory(count: listed.count)
    let payload = listed.count * spec.size * spec.size * spec.channels  // checked just above
    let writer = cacheFile.flatMap { DatasetCache.Writer.mapped($0, payloadBytes: payload) }
    let store = writer?.store ?? PixelStore(count: payload)
    let dataset = try decode(
      listed, into: store, folder: path, spec: spec, threads: threads, allowEmpty: rank != nil, progress: progress,
      shouldStop: shouldStop)
    var trimmed: DatasetCache.Trim?
    if let cacheFile {
      do {
        if let writer {
          try writer.finish(dataset, key: key, folder: path)
        } else {
          try DatasetCache.write(dataset, key: key, folder: path, to: cacheFile)
        }
      } catch {
        note = "could not write the cache \(cacheFile): \(error)"
      }
      if let cacheDirectory {
        trimmed = DatasetCache.trim(cacheDirectory, limit: cacheLimit, keeping: cacheFile)
      }
    }
    return Report(
      dataset: dataset, cacheFile: cacheFile, fromCache: false, cacheNote: note, trimmed: trimmed, files: listed.count,
      listing: listing)
  }

  /// Decodes `files` in parallel into `store` (room for all of them), then moves the good
  /// images together.
  private static func decode(
    _ files: [ListedFile], into store: PixelStore, folder: String, spec: DataSpec, threads: Int, allowEmpty: Bool,
    progress: (Int, Int) -> Void, shouldStop: () -> Bool
  ) throws(SessionError) -> ImageDataset {
    let perImage = spec.size * spec.size * spec.channels
    let target = SendablePointer(store.pointer)
    let work = LoadWork()
    var stopped = false
    parallelFor(
      files.count, threads: threads,
      body: { i in
        guard !work.cancelled else { return }
        var message = [CChar](repeating: 0, count: 256)
        let status = gr_load_file(
          folder + "/" + files[i].path, Int32(spec.size), Int32(spec.channels), spec.resize == .crop ? 1 : 0,
          target.pointer + i * perImage, &message, message.count)
        if status != 0 { work.fail(i, String(cString: message)) }
        work.finish()
      },
      poll: {
        progress(work.done, files.count)
        if !stopped && shouldStop() {
          stopped = true
          work.cancel()
        }
      })
    if stopped { throw SessionError(.interrupted("loading \(folder)")) }

    let failed = work.failures
    var kept = 0
    for i in 0..<files.count where failed[i] == nil {
      if kept != i { (store.pointer + kept * perImage).update(from: store.pointer + i * perImage, count: perImage) }
      kept += 1
    }
    let skipped = failed.keys.sorted().map { (file: files[$0].path, reason: failed[$0]!) }
    guard kept > 0 || allowEmpty else {
      throw SessionError(
        .noImages(folder, skipped: skipped.count, firstErrors: skipped.prefix(3).map { "\($0.file): \($0.reason)" }))
    }
    return ImageDataset(spec: spec, count: kept, store: store, skipped: skipped)
  }

}

/// Counts finished files and collects failures, under one lock.
private final class LoadWork: @unchecked Sendable {
  private let lock = NSLock()
  private var finished = 0
  private var stop = false
  private var failed: [Int: String] = [:]

  var done: Int { lock.withLock { finished } }
  var cancelled: Bool { lock.withLock { stop } }
  var failures: [Int: String] { lock.withLock { failed } }

  func cancel() { lock.withLock { stop = true } }
  func finish() { lock.withLock { finished += 1 } }
  func fail(_ index: Int, _ reason: String) { lock.withLock { failed[index] = reason } }
}
