import Layers
import Tensors

/// The two forces on a 2-D toy, as GAN Lab shows them: what D says at every place of the
/// plane, and which way G's loss pushes each generated point. Both run D in inference mode
/// (BatchNorm's running statistics, no dropout) and leave its weights and gradients alone.
struct DiscriminatorField {
  /// D [N, 2] → [N, 1], a probability that the point is real.
  let discriminator: Sequential
  /// G's loss ℓ(D(x), realLabel): what G is trained to make small.
  let loss: Loss
  let realLabel: Float

  /// D's verdicts on a `resolution` × `resolution` grid of cells over the square
  /// [−extent, extent]², at each cell's centre; row 0 is the top (y near +extent), column 0
  /// the left. Clamped to [0, 1]; under `loss hinge`, whose D gives raw scores, σ(score), the
  /// D(x) that training shows. Returns resolution² values, row after row.
  func verdicts(extent: Float, resolution: Int) -> [Float] {
    let cell = 2 * extent / Float(resolution)
    let cells = resolution * resolution
    var verdicts: [Float] = []
    verdicts.reserveCapacity(cells)
    let (copies, perForward) = layout
    for first in stride(from: 0, to: cells, by: perForward) {
      let count = min(perForward, cells - first)
      let points = Tensor(zeros: Shape(count, 2))
      for i in 0..<count {
        let (row, column) = (first + i).quotientAndRemainder(dividingBy: resolution)
        points[2 * i] = -extent + (Float(column) + 0.5) * cell
        points[2 * i + 1] = extent - (Float(row) + 0.5) * cell
      }
      let scores = discriminator.forward(copied(points, copies), mode: .inference)
      for score in perPoint(scores, points: count) {
        verdicts.append(loss == .hinge ? sigmoid(score) : min(max(score, 0), 1))
      }
    }
    return verdicts
  }

  /// The push on each generated point `points` [N, 2]: −∂ℓ_i/∂x_i [N, 2], the direction in
  /// which point i's own generator loss ℓ(D(x_i), realLabel) falls fastest, i.e. the
  /// gradient that flows from D back into G for that sample (not divided by N).
  func push(on points: Tensor) -> Tensor {
    precondition(points.shape.rank == 2 && points.shape[1] == 2, "push on points \(points.shape), not [N, 2]")
    // As in training: BCE after a final sigmoid is taken from the logits (exact, no log 0).
    let fused = loss == .bce && discriminator.specs.last == .sigmoid
    let scoreEnd = discriminator.layers.count - (fused ? 1 : 0)
    let n = points.shape[0]
    let push = Tensor(zeros: points.shape)
    let (copies, perForward) = layout
    for first in stride(from: 0, to: n, by: perForward) {
      let count = min(perForward, n - first)
      let chunk = Tensor(zeros: Shape(count, 2))
      chunk.pointer.update(from: points.pointer + 2 * first, count: 2 * count)
      let scores = discriminator.forward(copied(chunk, copies), mode: .inference, through: scoreEnd)
      let gradScores = Tensor(zeros: scores.shape)
      _ = loss.evaluate(
        scores, target: realLabel, input: fused ? .logits : .probabilities, gradient: gradScores, generator: true)
      gradScores.scale(by: -Float(count))
      let grad = summedOverCopies(
        discriminator.backward(gradScores, from: scoreEnd, parameterGradients: false, inputGradient: true)!, copies)
      withExtendedLifetime(grad) { (push.pointer + 2 * first).update(from: grad.pointer, count: 2 * count) }
    }
    return push
  }

  /// Rows D sees at once while drawing the heat map: this many points, or fewer with copies.
  static let batch = 4096
  /// Cells on a side of the heat map: 4 pixels each on the 512-pixel plot.
  static let resolution = 128
  /// Arrows drawn at most, on evenly spaced fakes, so that they stay apart.
  static let arrows = 64
}

extension DiscriminatorField {
  /// The session's discriminator and G's loss, when D takes 2-D points.
  init?(_ state: SessionState) {
    guard let d = state.networks[.discriminator], d.inputShape == Shape(2) else { return nil }
    let objective = GANTrainer.Objective(
      loss: state.loss, discriminatorLoss: state.discriminatorLoss, realLabel: state.realLabel,
      fakeLabel: state.fakeLabel)
    self.init(discriminator: d, loss: state.loss, realLabel: objective.target(real: true))
  }

  /// The scatter plot of `real` and `generated` [N, 2] over D's heat map, with G's push on
  /// up to `arrows` of the fakes (`ForcePlot`).
  func plot(real: Tensor, generated: Tensor, extent: Float, step: Int) -> DecodedImage {
    forcePlot(real: real, generated: generated, extent: extent, step: step).draw()
  }

  /// The `ForcePlot` that `plot` draws: its legend is also text (`ForcePlot.legend`).
  func forcePlot(real: Tensor, generated: Tensor, extent: Float, step: Int) -> ForcePlot {
    let n = generated.shape[0]
    let every = max(1, (n + Self.arrows - 1) / Self.arrows)
    let chosen = Array(stride(from: 0, to: n, by: every))
    let starts = Tensor(zeros: Shape(chosen.count, 2))
    for (row, i) in chosen.enumerated() {
      (starts[2 * row], starts[2 * row + 1]) = (generated[2 * i], generated[2 * i + 1])
    }
    let pushes = push(on: starts)
    let arrows = (0..<chosen.count).map { row in
      (at: SIMD2(starts[2 * row], starts[2 * row + 1]), push: SIMD2(pushes[2 * row], pushes[2 * row + 1]))
    }
    return ForcePlot(
      real: real, generated: generated, extent: extent,
      verdicts: verdicts(extent: extent, resolution: Self.resolution), resolution: Self.resolution,
      arrows: arrows, step: step
    )
  }
}
