import Foundation
import Layers
import Tensors

/// `eval swd`: the multi-scale sliced Wasserstein distance (`MultiScaleSWD`) between the
/// loaded data and generated images, or the images of a folder.
extension Interpreter {
  /// Images per set when `count` is not given: the data's, at most this many (the paper
  /// used 16,384; 2,048 keeps a score under a minute on two cores).
  static let defaultSWDCount = 2048

  func evaluateSWD(count: Int?, folder: String?, batchStatistics: Bool = false) throws(SessionError) {
    let start = ContinuousClock.now
    guard let dataset = state.dataset else { throw .missingData }
    let shape = dataset.sampleShape
    guard shape.rank == 3, !MultiScaleSWD.resolutions(height: shape[0], width: shape[1]).isEmpty else {
      throw SessionError(
        .invalidValue(
          shape.rank == 1 ? "\(shape[0])-D points" : shape.compact, for: "eval swd data",
          expected: "images of at least 16×16 (the 2-D points have 'sample', which counts the modes covered)"))
    }
    var other: (images: Tensor, compared: SWDReport.Compared)
    var n = min(count ?? Self.defaultSWDCount, dataset.count)
    if let folder {
      guard !batchStatistics else {
        throw SessionError(
          .invalidValue(
            "train", for: "eval swd mode",
            expected: "no mode with a FOLDER: its images are scored as they are (mode is how G draws its samples)"))
      }
      var spec = dataset.spec
      (spec.source, spec.limit, spec.flip, spec.cache) = (.folder(folder), nil, false, false)
      let loaded = try prepareData(spec).dataset
      n = min(n, loaded.count)
      other = (Self.images(n, of: loaded, seed: state.seed &+ 1), .folder(folder))
    } else {
      guard let g = state.viewedGenerator(standing: !batchStatistics) else { throw .missingNetwork(.generator) }
      guard g.outputShape == shape else {
        throw SessionError(
          .invalidValue(g.outputShape.compact, for: "generator output", expected: "the data's \(shape.compact) images"))
      }
      other = (
        try generatedImages(n, by: g, batchStatistics: batchStatistics),
        .generated(step: state.step, averaged: state.emaDecay != nil)
      )
    }
    guard n >= 2 else {
      throw SessionError(.invalidValue("\(n)", for: "count", expected: "at least 2 images in each set"))
    }
    if let count, count > n {
      let source = folder == nil || n == dataset.count ? "the data has \(dataset.count)" : "the folder has \(n)"
      report(.notice("scoring \(n) images in each set, not \(count): \(source)"))
    }
    let real = Self.images(n, of: dataset, seed: state.seed)
    let sides = MultiScaleSWD.resolutions(height: shape[0], width: shape[1])
    report(.evaluating(done: 0, total: sides.count))
    guard
      let distances = MultiScaleSWD().distances(
        real, other.images, seed: state.seed, progress: { report(.evaluating(done: $0, total: $1)) },
        shouldStop: shouldStop)
    else { throw SessionError(.interrupted("scoring \(n) images")) }
    let mean = distances.reduce(0, +) / Double(distances.count)
    if case .generated = other.compared, let last = state.history.indices.last, state.history[last].step == state.step {
      state.history[last].swd = Float(mean)
    }
    report(
      .swd(
        SWDReport(
          levels: Array(zip(sides, distances)), mean: mean, count: n, compared: other.compared,
          seconds: (ContinuousClock.now - start).seconds)))
  }

  /// `n` of `dataset`'s samples [n, H, W, C], a random choice drawn from `seed` (all of
  /// them, shuffled, when n is the dataset's size).
  static func images(_ n: Int, of dataset: any Dataset, seed: UInt64) -> Tensor {
    let images = Tensor(zeros: dataset.sampleShape.batched(n))
    let chosen = RandomSource(seed: seed).permutation(dataset.count).prefix(n)
    dataset.fill(images, with: ArraySlice(chosen))
    return images
  }

  /// `n` images of `g` in inference mode (or with BatchNorm normalising over each 64, its
  /// running statistics restored after), from noise drawn from the session's seed (not
  /// from its streams: scoring changes nothing in the session, and the same G always
  /// scores the same), 64 at a time.
  func generatedImages(_ n: Int, by g: Sequential, batchStatistics: Bool = false) throws(SessionError) -> Tensor {
    let chunk = 64
    if let bytes = NetworkMemory.inferenceBytes(input: g.inputShape, specs: g.specs, count: chunk) {
      try NetworkMemory.check(bytes + Double(n * g.outputShape.count * 4), for: "generating \(n) images to score")
    }
    let noise = RandomSource(seed: state.seed &+ 2)
    let images = Tensor(zeros: g.outputShape.batched(n))
    let size = g.outputShape.count
    for first in stride(from: 0, to: n, by: chunk) {
      if shouldStop() { throw SessionError(.interrupted("generating \(n) images to score")) }
      let m = min(chunk, n - first)
      let z = Tensor(zeros: g.inputShape.batched(m))
      noise.fillNormal(z.buffer, mean: 0, std: 1)
      let out = batchStatistics ? Sampling.forwardWithBatchStatistics(g, z) : g.forward(z, mode: .inference)
      (images.pointer + first * size).update(from: out.pointer, count: m * size)
    }
    return images
  }
}
