import Layers
import Tensors

/// What `sample` and `show data` draw: generated samples, and real ones for comparison.
enum Sampling {
  /// `count` samples from the generator, from the fixed noise (or fresh noise): a grid of
  /// images, or for 2-D points a scatter plot over the real ones with the modes they cover.
  /// Generated in inference mode (BatchNorm's running statistics, no dropout), or with
  /// `batchStatistics` BatchNorm normalising over these samples (the running statistics
  /// are left as they were).
  static func generated(_ count: Int, fresh: Bool, batchStatistics: Bool, in state: SessionState) throws(SessionError)
    -> Picture
  {
    guard let g = state.viewedGenerator(standing: !batchStatistics), let fixed = state.fixedNoise else {
      throw .missingNetwork(.generator)
    }
    if let bytes = NetworkMemory.inferenceBytes(input: g.inputShape, specs: g.specs, count: count) {
      try NetworkMemory.check(bytes, for: "sampling \(count) \(g.outputShape == Shape(2) ? "points" : "images")")
    }
    let z = Tensor(zeros: g.inputShape.batched(count))
    if fresh {
      state.random[.samples].fillNormal(z.buffer, mean: 0, std: 1)
    } else {
      z.pointer.update(from: fixed.pointer, count: z.count)
    }
    let images: Tensor
    if batchStatistics {
      images = forwardWithBatchStatistics(g, z)
    } else {
      images = g.forward(z, mode: .inference)
    }
    if let points = state.dataset as? PointDataset, images.shape.sample == Shape(2) {
      let real = Tensor(zeros: Shape(min(count, points.count), 2))
      points.fill(real, with: Array(0..<real.shape[0])[...])
      let c = points.coverage(images)
      let what =
        "\(count) generated points at step \(state.step): modes covered \(c.covered) of \(c.modes), "
        + "\(Int((c.nearFraction * 100).rounded()))% of points within 3σ of a mode"
      if let force = DiscriminatorField(state)?.forcePlot(
        real: real, generated: images, extent: points.extent, step: state.step)
      {
        return Picture(image: force.draw(), what: what, content: .plot, legend: force.legend)
      }
      return Picture(
        image: ScatterPlot.draw(real: real, generated: images, extent: points.extent), what: what, content: .plot)
    }
    if images.shape.sample == Shape(2) {
      throw SessionError(
        .missing(
          "2-D data to draw the generated points over",
          hint: "the generator makes 2-D points: load 'data ring' or 'data grid', or end the generator in an image"))
    }
    guard images.shape.rank == 4 else {
      throw SessionError(.cannotDraw(command: "sample", makes: g.outputShape, drawable: "images or 2-D points"))
    }
    let range =
      (state.dataset?.spec.source.isPoints == false ? state.dataset?.spec.range : nil)
      ?? (g.specs.last == .tanh ? .symmetric : .unit)
    return .grid(
      images, range: range,
      what: "\(count) generated image\(count == 1 ? "" : "s") at step \(state.step)"
        + (state.emaDecay != nil ? ", moving average" : ""))
  }

  /// The first `count` samples of `dataset` as the networks see them: a grid of images, or
  /// a scatter plot of points.
  static func real(_ count: Int, of dataset: any Dataset) -> Picture {
    let n = min(count, dataset.count)
    let samples = Tensor(zeros: dataset.sampleShape.batched(n))
    dataset.fill(samples, with: Array(0..<n)[...])
    if let points = dataset as? PointDataset {
      return Picture(
        image: ScatterPlot.draw(real: samples, generated: Tensor(zeros: Shape(0, 2)), extent: points.extent),
        what: "\(n) real points", content: .plot)
    }
    return .grid(samples, range: dataset.spec.range, what: "\(n) real images")
  }
}

extension Sampling {
  /// `g`'s output for `z` with BatchNorm normalising over this batch (as PyTorch's DCGAN
  /// example draws its samples); the running statistics are put back as they were.
  static func forwardWithBatchStatistics(_ g: Sequential, _ z: Tensor) -> Tensor {
    let saved = g.namedBuffers.map { $0.value.copy() }
    let images = g.forward(z, mode: .training(RandomSource(seed: 0)))
    for (buffer, value) in zip(g.namedBuffers, saved) { buffer.value.assign(value) }
    return images
  }
}
