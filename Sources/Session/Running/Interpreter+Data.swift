import Foundation
import Tensors

/// `data`: reading a dataset and making it the session's.
extension Interpreter {
  /// Loads `spec` as the session's data; the epoch starts again over it.
  func loadData(_ spec: DataSpec) throws(SessionError) {
    install(try prepareData(spec))
    state.position.restartEpoch()
  }

  /// Data read and decoded but not yet the session's: `load` checks it against the saved
  /// position before anything changes.
  struct PreparedData {
    var dataset: any Dataset
    var seconds: Double
    var cache = CacheUse()
    /// A folder's `FolderListing.fingerprint`; nil for built-in data.
    var listing: String? = nil
  }

  /// What the on-disk cache did for a load: its file, whether the images came from it, why
  /// an existing one was not used (or could not be written), and what went to keep the
  /// cache under its limit.
  struct CacheUse {
    var file: String?
    var hit = false
    var note: String?
    var trimmed: DatasetCache.Trim?
  }

  func prepareData(_ spec: DataSpec) throws(SessionError) -> PreparedData {
    let start = ContinuousClock.now
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let dataset: any Dataset
    var cache = CacheUse()
    var listing: String?
    switch spec.source {
    case .faces(let count):
      try spec.checkMemory(count: count)
      dataset = BuiltinFaces.dataset(spec, count: count, threads: threads)
    case .ring(let count), .grid(let count):
      try spec.checkMemory(count: count)
      dataset = PointDataset(spec: spec)
    case .folder(let path):
      let ranks = state.communicator
      let loaded = try ImageFolderLoader.load(
        spec, path: path, threads: threads, cacheDirectory: cacheDirectory,
        rank: ranks.size > 1 ? (ranks.rank, ranks.size) : nil,
        progress: { report(.loading(done: $0, total: $1)) }, shouldStop: shouldStop)
      if ranks.size > 1 {
        let shard = ImageShard(loaded.dataset, communicator: ranks)
        // Every rank's share may be empty or unreadable; the folder, only when all are.
        guard shard.count > 0 else {
          throw SessionError(
            .noImages(
              path, skipped: loaded.dataset.skipped.count + shard.skippedElsewhere,
              firstErrors: loaded.dataset.skipped.prefix(3).map { "\($0.file): \($0.reason)" }))
        }
        dataset = shard
      } else {
        dataset = loaded.dataset
      }
      cache = CacheUse(file: loaded.cacheFile, hit: loaded.fromCache, note: loaded.cacheNote, trimmed: loaded.trimmed)
      listing = loaded.listing
    }
    return PreparedData(
      dataset: dataset, seconds: (ContinuousClock.now - start).seconds, cache: cache, listing: listing)
  }

  /// Makes `prepared` the session's data, keeping the position in the epoch.
  func install(_ prepared: PreparedData) {
    state.dataset = prepared.dataset
    state.dataListing = prepared.listing
    report(.dataLoaded(dataSummary(prepared.dataset, seconds: prepared.seconds, cache: prepared.cache)))
    checkFit(warnOnly: true)
  }

  /// What `data` and `show data` print about `dataset`.
  func dataSummary(
    _ dataset: any Dataset, seconds: Double?, cache: CacheUse = CacheUse()
  ) -> DataSummary {
    DataSummary(
      spec: dataset.spec, count: dataset.count, sampleShape: dataset.sampleShape, bytes: dataset.bytes,
      skipped: dataset.skipped, seconds: seconds, batchesPerEpoch: state.batchesPerEpoch, batch: state.batch,
      fromCache: cache.hit, cacheFile: cache.file, cacheNote: cache.note,
      cacheTrimmed: cache.trimmed.map { ($0.files, $0.bytes, $0.limit) },
      ranks: dataset is ImageShard ? state.communicator.size : 1,
      skippedElsewhere: (dataset as? ImageShard)?.skippedElsewhere ?? 0)
  }
}

extension SessionError {
  static var missingData: SessionError {
    SessionError(.missing("data", hint: "load some with 'data \"PATH\" size=64' or 'data faces'"))
  }

  static func missingNetwork(_ role: NetworkRole) -> SessionError {
    SessionError(.missing(role.rawValue, hint: "define it with a '\(role.rawValue)' … 'end' block"))
  }
}
