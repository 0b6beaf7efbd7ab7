import Layers
import Tensors

/// One GAN training step, the tutorial's:
///
/// 1. z ~ N(0, 1); fake = G(z)
/// 2. D step: loss_D = (ℓ(D(real), real-label) + ℓ(D(fake), fake-label)) / 2 (or the sum,
///    as the PyTorch example has it); update D.
/// 3. G step: loss_G = ℓ(D(fake), real-label) with the same fake (G runs forward once;
///    the maths is identical to recomputing G(z)); backpropagate through the updated D
///    into G without touching D's gradients; update G.
///
/// keras.io's version of the tutorial differs in two ways the objective can ask for: noise
/// added to D's labels (`labelNoise`), and a fresh z for the G step (`freshNoise`).
///
/// `step d` and `step g` run one half alone (see `StepKind`).
///
/// Layers keep only their last forward, so each D forward is followed by its backward
/// before the next. When D ends in a sigmoid and the loss is BCE, the sigmoid is fused into
/// the loss (BCE from logits), which is exact and never takes log 0.
final class GANTrainer {
  let generator: Sequential
  let discriminator: Sequential
  let optimizerG: Optimizer
  let optimizerD: Optimizer
  let objective: Objective
  /// D runs layers 0..<scoreEnd; the loss takes its output as `lossInput`.
  private let scoreEnd: Int
  private let lossInput: LossInput
  private var noise: Tensor?
  private var gradScores: Tensor?
  /// The ranks that share each step (one process: nothing is exchanged).
  let exchange: NetworkExchange
  /// This rank's rows of the step's batch, set by `Training` before each step; nil for
  /// the whole batch. Noise and dropout are drawn for the whole batch, and each half's
  /// gradients and numbers are weighted by the share and summed over the ranks, so the
  /// ranks together take the step one process would.
  var share: BatchShare?
  private var globalNoise: Tensor?
  /// DiffAugment before every D forward, real and fake, when `augment` is on.
  var augmentation: TrainerAugmentation?

  /// What the networks are trained towards: the loss, how D's two halves combine, and the
  /// labels D is taught to give real and fake samples.
  struct Objective: Equatable {
    var loss: Loss
    var discriminatorLoss: DiscriminatorLoss
    var realLabel: Float
    var fakeLabel: Float
    /// X in D's targets label + X·u, u ~ U[0, 1) per sample (`set label-noise`); 0 is none.
    var labelNoise: Float = 0
    /// The G step draws a fresh z and runs G again (`set g-noise fresh`).
    var freshNoise = false

    /// D's target for real (or fake) samples, which G's loss also aims at for its fakes:
    /// the labels, for a loss that has them (`Loss.hasLabels`); else the real side's 1 and
    /// the fake side's 0, which tell the hinge loss which side it is on.
    func target(real: Bool) -> Float {
      loss.hasLabels ? (real ? realLabel : fakeLabel) : (real ? 1 : 0)
    }
  }

  /// Where `labelNoise` draws u (the session's `labels` stream), set when it is on.
  var labelSource: RandomSource?
  var labelNoiseBuffer: Tensor?

  init(
    generator: Sequential, discriminator: Sequential, optimizerG: Optimizer, optimizerD: Optimizer,
    objective: Objective, communicator: any Communicator = SingleProcess()
  ) {
    exchange = NetworkExchange(communicator)
    self.generator = generator
    self.discriminator = discriminator
    self.optimizerG = optimizerG
    self.optimizerD = optimizerD
    self.objective = objective
    let fused = objective.loss == .bce && discriminator.specs.last == .sigmoid
    scoreEnd = discriminator.layers.count - (fused ? 1 : 0)
    lossInput = fused ? .logits : .probabilities
  }

  convenience init(
    generator: Sequential, discriminator: Sequential, optimizerG: Optimizer, optimizerD: Optimizer,
    loss: Loss, discriminatorLoss: DiscriminatorLoss, realLabel: Float, fakeLabel: Float
  ) {
    self.init(
      generator: generator, discriminator: discriminator, optimizerG: optimizerG, optimizerD: optimizerD,
      objective: Objective(
        loss: loss, discriminatorLoss: discriminatorLoss, realLabel: realLabel, fakeLabel: fakeLabel))
  }

  struct Result {
    var lossD: Float, lossG: Float, dReal: Float, dFake: Float, dFakeAfter: Float
    /// D's loss on the real batch and on the fakes, before `lossD` averages or adds them.
    var lossReal: Float = 0, lossFake: Float = 0
    /// Real samples in the D half; fakes made.
    var realCount = 0, fakeCount = 0
    /// Each trained network's norms: its gradients before its update, its weights after.
    var norms: [NetworkRole: GradientNorms] = [:]
  }

  /// One step on `real` [N, H, W, C]: the D half, then the G half on the same fakes. Draws z
  /// from `noiseSource`; dropout masks from `dropout`. Throws before an update that would
  /// write NaN or ∞ into the weights.
  func step(real: Tensor, noiseSource: RandomSource, dropout: RandomSource, step: Int) throws(SessionError) -> Result {
    let mode = Mode.training(dropout)
    dropout.share = share
    defer { dropout.share = nil }
    let z = drawNoise(real.shape[0], from: noiseSource)
    var (result, fake) = try discriminatorHalf(real: real, noise: z, mode: mode, step: step)
    if objective.freshNoise { fake = generator.forward(drawNoise(real.shape[0], from: noiseSource), mode: mode) }
    try generatorHalf(fake: fake, mode: mode, step: step, into: &result)
    return result
  }

  /// `step d`: the D half alone, on `real` and fakes from fresh noise. G only runs forward.
  func discriminatorStep(real: Tensor, noiseSource: RandomSource, dropout: RandomSource, step: Int)
    throws(SessionError) -> Result
  {
    dropout.share = share
    defer { dropout.share = nil }
    let z = drawNoise(real.shape[0], from: noiseSource)
    return try discriminatorHalf(real: real, noise: z, mode: .training(dropout), step: step).result
  }

  /// `step g`: the G half alone, on `n` fakes from fresh noise. D only runs forward and
  /// backward to its input.
  func generatorStep(batch n: Int, noiseSource: RandomSource, dropout: RandomSource, step: Int)
    throws(SessionError) -> Result
  {
    let mode = Mode.training(dropout)
    dropout.share = share
    defer { dropout.share = nil }
    let fake = generator.forward(drawNoise(n, from: noiseSource), mode: mode)
    var result = Result(lossD: 0, lossG: 0, dReal: 0, dFake: 0, dFakeAfter: 0)
    result.fakeCount = share?.global ?? n
    try generatorHalf(fake: fake, mode: mode, step: step, into: &result)
    return result
  }

  /// z ~ N(0, 1) [n, latent…], in the buffer of the last draw when the shape allows. Under
  /// a share, z is drawn for the whole batch and this rank keeps its n rows.
  private func drawNoise(_ n: Int, from noiseSource: RandomSource) -> Tensor {
    let whole = share ?? .whole(n)
    precondition(whole.count == n, "noise for \(n) rows, share of \(whole.count)")
    let z = Tensor.reusing(whole.isWhole ? noise : globalNoise, shape: generator.inputShape.batched(whole.global))
    noiseSource.fillNormal(z.buffer, mean: 0, std: 1)
    if whole.isWhole {
      noise = z
      return z
    }
    globalNoise = z
    noise = whole.rows(of: z, reusing: noise)
    return noise!
  }

  /// D on real, then on G(z), each half of the loss backpropagated right after its
  /// forward; D's update. Returns the D half's numbers and the fakes.
  private func discriminatorHalf(real: Tensor, noise z: Tensor, mode: Mode, step: Int) throws(SessionError)
    -> (result: Result, fake: Tensor)
  {
    discriminator.zeroGradients()
    let w = objective.discriminatorLoss.weight
    var (lossReal, dReal, _) = scoreAndBackward(
      real, target: objective.target(real: true), mode: mode, weight: w, parameterGradients: true, labelNoise: true)
    let fake = generator.forward(z, mode: mode)
    var (lossFake, dFake, _) = scoreAndBackward(
      fake, target: objective.target(real: false), mode: mode, weight: w, parameterGradients: true, labelNoise: true)
    sumOverRanks(discriminator, &lossReal, &dReal, &lossFake, &dFake)
    let lossD = Float(lossReal + lossFake) * w
    var norms = GradientNorms(gradientsOf: discriminator, step: step)
    guard lossD.isFinite && Float(norms.gradientNorm).isFinite else {
      throw discriminatorNotFinite(step: step, fake: fake, lossReal: lossReal, lossFake: lossFake)
    }
    optimizerD.step()
    var result = Result(lossD: lossD, lossG: 0, dReal: dReal, dFake: dFake, dFakeAfter: 0)
    (result.lossReal, result.lossFake) = (Float(lossReal), Float(lossFake))
    (result.realCount, result.fakeCount) = (share?.global ?? real.shape[0], share?.global ?? fake.shape[0])
    norms.weigh(discriminator)
    result.norms[.discriminator] = norms
    return (result, fake)
  }

  /// The G half: `fake` through D (input gradient only, D's own gradients untouched), then
  /// into G, and G's update. `fake` is G's last forward.
  private func generatorHalf(fake: Tensor, mode: Mode, step: Int, into result: inout Result) throws(SessionError) {
    generator.zeroGradients()
    var (lossG, dFakeAfter, gradFake) = scoreAndBackward(
      fake, target: objective.target(real: true), mode: mode, weight: 1, parameterGradients: false)
    if exchange.communicator.size == 1 {
      guard lossG.isFinite else { throw generatorNotFinite(step: step, lossG: lossG) }
    }
    generator.backward(gradFake!, inputGradient: false)
    var unused = 0.0
    var unusedProbability: Float = 0
    sumOverRanks(generator, &lossG, &dFakeAfter, &unused, &unusedProbability)
    guard lossG.isFinite else { throw generatorNotFinite(step: step, lossG: lossG) }
    var norms = GradientNorms(gradientsOf: generator, step: step)
    guard Float(norms.gradientNorm).isFinite else { throw generatorNotFinite(step: step, lossG: lossG) }
    optimizerG.step()
    result.lossG = Float(lossG)
    result.dFakeAfter = dFakeAfter
    norms.weigh(generator)
    result.norms[.generator] = norms
  }

  /// D forward on `images`, the loss against `target`, and backward scaled by `weight`.
  /// Accumulates D's parameter gradients, or else returns the gradient for `images`.
  /// Returns the loss and the mean probability D gave. `labelNoise`: D's targets get the
  /// objective's label noise, when it has some.
  private func scoreAndBackward(
    _ images: Tensor, target: Float, mode: Mode, weight: Float, parameterGradients: Bool, labelNoise: Bool = false
  ) -> (Double, Float, Tensor?) {
    let scores = discriminator.forward(
      augmentation?.forward(images, share: share) ?? images, mode: mode, through: scoreEnd)
    let grad = Tensor.reusing(gradScores, shape: scores.shape)
    gradScores = grad
    let noise = labelNoise ? drawLabelNoise(scores.count) : nil
    let value = objective.loss.evaluate(
      scores, target: target, input: lossInput, gradient: grad, generator: !parameterGradients,
      targetNoise: noise.map { UnsafePointer($0.pointer) })
    let weight = weight * (share?.fraction ?? 1)
    if weight != 1 { grad.scale(by: weight) }
    var probability = 0.0
    for i in 0..<scores.count {
      // Hinge scores are raw: the verdicts shown are σ(score), as for BCE from logits.
      probability += Double(lossInput == .logits || objective.loss == .hinge ? sigmoid(scores[i]) : scores[i])
    }
    let gradImages = discriminator.backward(
      grad, from: scoreEnd, parameterGradients: parameterGradients, inputGradient: !parameterGradients)
    return (value, Float(probability / Double(scores.count)), gradImages.map { augmentation?.backward($0) ?? $0 })
  }

  /// Under a share: `network`'s gradients and the half's two losses and probabilities
  /// (this rank's means, weighted by its share) summed over the ranks in one allreduce,
  /// so every rank holds the whole batch's. One process: nothing changes.
  private func sumOverRanks(
    _ network: Sequential, _ loss1: inout Double, _ p1: inout Float, _ loss2: inout Double, _ p2: inout Float
  ) {
    guard let share, exchange.communicator.size > 1 else { return }
    let f = share.fraction
    var numbers = [Float(loss1) * f, p1 * f, Float(loss2) * f, p2 * f]
    exchange.sumGradients(of: network, and: &numbers)
    (loss1, p1, loss2, p2) = (Double(numbers[0]), numbers[1], Double(numbers[2]), numbers[3])
  }
}
