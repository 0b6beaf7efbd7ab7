import Foundation
import Layers
import Tensors

/// What `bench data` measured.
public struct DataBenchmarkReport: Sendable {
  public var spec: DataSpec
  public var files: Int
  public var images: Int
  public var skipped: Int
  /// Decoding the folder with no cache, and reading it back from the cache just written.
  public var coldSeconds: Double
  public var cachedSeconds: Double
  /// Peak resident memory of the process right after the cold load, and at the end.
  public var peakAfterLoad: Int
  public var peakAtEnd: Int
  public var bytes: Int
  /// Training steps of the tutorial's networks on this data (the first, which builds the
  /// workspaces, not counted; none for other images than 64×64×3), and the time spent
  /// waiting for batches in them.
  public var steps: Int
  public var stepSeconds: Double
  public var dataWaitSeconds: Double

  public var filesPerSecond: Double { Double(files) / coldSeconds }
  /// Seconds of the cold load per file, and what CelebA's 202,599 files would take at that pace.
  public var secondsPerFile: Double { coldSeconds / Double(max(files, 1)) }
  public static let celebAFiles = 202_599
  public var celebASeconds: Double { secondsPerFile * Double(Self.celebAFiles) }
  /// Seconds per measured training step, and the share of step time spent waiting for
  /// data, in percent.
  public var secondsPerStep: Double { stepSeconds / Double(max(steps, 1)) }
  public var dataWaitPercent: Double { 100 * dataWaitSeconds / max(stepSeconds, 1e-9) }
}

extension Interpreter {
  /// Loads `spec`'s folder cold (into a fresh, temporary cache), then again from that
  /// cache, then trains the tutorial's networks on it for `steps` steps while measuring
  /// how long each step waits for its batch. The current session is not touched.
  public func benchmarkData(_ spec: DataSpec, steps: Int) throws(SessionError) -> DataBenchmarkReport {
    guard case .folder(let path) = spec.source else {
      throw SessionError(.invalidValue("\(spec.source)", for: "bench data", expected: "a folder of images"))
    }
    // The training part runs the tutorial's networks, which take 64×64×3 images alone.
    let trains = spec.channels == 3 && spec.size == 64
    resetPeakResident()
    let portable = BLAS.fixedOrder  // the tutorial's step on OpenBLAS, as `bench` times it
    BLAS.fixedOrder = false
    defer { BLAS.fixedOrder = portable }
    let cache = NSTemporaryDirectory() + "ganrepl-bench-cache-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let report = self.report
    var start = monotonicSeconds()
    report(.notice("bench data: loading \(path) without a cache"))
    // The cold load's dataset is dropped before the cached one is mapped.
    func loadCold() throws(SessionError) -> (Int, Int, Int, Int) {
      let cold = try ImageFolderLoader.load(
        spec, path: path, threads: threads, cacheDirectory: cache,
        progress: { report(.loading(done: $0, total: $1)) }, shouldStop: shouldStop)
      return (cold.files, cold.dataset.count, cold.dataset.skipped.count, cold.dataset.bytes)
    }
    let (files, images, skipped, bytes) = try loadCold()
    let coldSeconds = monotonicSeconds() - start
    let peakAfterLoad = peakResidentBytes()
    start = monotonicSeconds()
    let cached = try ImageFolderLoader.load(
      spec, path: path, threads: threads, cacheDirectory: cache, progress: { _, _ in }, shouldStop: shouldStop)
    let cachedSeconds = monotonicSeconds() - start
    guard cached.fromCache else {
      throw SessionError(
        .cannotRead(cache, reason: "the cache just written was not used: \(cached.cacheNote ?? "unknown")"))
    }

    let (stepSeconds, waited) = trains ? try trainTutorial(on: cached.dataset, steps: steps) : (0, 0)
    return DataBenchmarkReport(
      spec: spec, files: files, images: images, skipped: skipped,
      coldSeconds: coldSeconds, cachedSeconds: cachedSeconds, peakAfterLoad: peakAfterLoad,
      peakAtEnd: peakResidentBytes(), bytes: bytes, steps: trains ? max(steps - 1, 0) : 0,
      stepSeconds: stepSeconds, dataWaitSeconds: waited)
  }

  /// Trains the tutorial's networks on `dataset` for `steps` steps in shuffled epochs,
  /// each batch prepared in the background while the step before computes, as `train`
  /// does. Returns the seconds of the steps after the first (which builds workspaces) and
  /// how long they waited for their batches.
  private func trainTutorial(on dataset: any Dataset, steps: Int) throws(SessionError) -> (Double, Double) {
    let recipe = NetworkRecipe.tutorial
    let trainer = try recipe.makeTrainer()
    let random = RandomStreams(seed: 1)
    let feeder = BatchFeeder()
    let batchesPerEpoch = EpochPosition.batches(of: dataset.count, batch: recipe.batch, keepLast: true)
    func key(_ step: Int) -> BatchKey {
      BatchKey(epoch: 1 + step / batchesPerEpoch, index: step % batchesPerEpoch, size: recipe.batch)
    }
    func mirror(_ key: BatchKey) -> Mirroring? {
      dataset.spec.flip ? Mirroring(seed: 1, epoch: key.epoch, first: key.index * key.size) : nil
    }
    var order: [Int] = []
    var stepSeconds = 0.0
    var waited = 0.0
    for i in 0..<steps {
      if shouldStop() { throw SessionError(.interrupted("benchmarking")) }
      report(.notice("bench data: training step \(i + 1) of \(steps)"))
      let start = monotonicSeconds()
      let current = key(i)
      if current.index == 0 { order = random[.shuffle].permutation(dataset.count) }
      let (real, wait) = feeder.batch(current, order: order, dataset: dataset, mirror: mirror(current))
      if current.index + 1 < batchesPerEpoch {
        feeder.prefetch(key(i + 1), order: order, dataset: dataset, mirror: mirror(key(i + 1)))
      }
      _ = try trainer.step(real: real, noiseSource: random[.noise], dropout: random[.dropout], step: i + 1)
      if i > 0 {  // the first step includes building workspaces
        stepSeconds += monotonicSeconds() - start
        waited += wait
      }
    }
    return (stepSeconds, waited)
  }
}

/// The process's peak resident memory so far, in bytes.
func peakResidentBytes() -> Int {
  // Linux's VmHWM, which `resetPeakResident` can lower; else the process's peak.
  if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
    let kib = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
  {
    return kib * 1024
  }
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return usage.ru_maxrss * 1024
}

/// Starts the peak over from the memory resident now (Linux: `5` to /proc/self/clear_refs),
/// so that a second `bench` in one session reports its own peak, not the first one's.
func resetPeakResident() {
  let fd = open("/proc/self/clear_refs", O_WRONLY)
  guard fd >= 0 else { return }
  _ = write(fd, "5", 1)
  close(fd)
}
