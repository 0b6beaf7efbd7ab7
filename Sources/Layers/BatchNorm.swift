import Tensors

/// Batch normalisation over the last (channel) axis, PyTorch conventions: biased batch
/// variance for normalising, unbiased for the running estimate, `momentum` the weight of
/// the new batch. Training normalises with the batch statistics and updates the running
/// ones; inference normalises with the running ones.
///
/// x [N, …, C] → y [N, …, C]; M = N·… rows of C channels; γ, β, running mean/var [C]
///
/// Threads split the rows: per-channel sums are taken over fixed blocks of 256 rows in
/// `Float` and the blocks added in order in `Double`, so results do not depend on the
/// thread count; the normalising passes are elementwise.
public final class BatchNorm: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  public let gamma: Parameter
  public let beta: Parameter
  public let runningMean: Tensor
  public let runningVariance: Tensor
  public let momentum: Float
  public let epsilon: Float

  /// x̂ = (x − mean) · invStd, and the mean and invStd used, from the last forward.
  private var savedNormalized: Tensor?
  private let savedMean: Tensor
  private let savedInvStd: Tensor
  private var savedTraining = true
  /// Σ dy and Σ dy·x̂ per channel, computed once for both halves of a backward pass.
  private let sums = ChannelSums()
  private var output: Tensor?
  private let relay: GradientRelay
  /// `set sync-batchnorm true` under mpirun: sums its argument, in place, over every rank
  /// that holds a part of the batch, so training normalises with the whole batch's
  /// statistics and the input gradient uses the whole batch's sums (the extension at the end of this file).
  /// nil: this process's rows alone.
  public var sumOverRanks: ((UnsafeMutableBufferPointer<Double>) -> Void)?
  /// The rows the last training forward's statistics came from (every rank's, when synced).
  private var savedRows = 0
  /// The slope of a `leakyrelu` (0: `relu`) that follows and that `Sequential` fused into
  /// this layer; 1, the identity, when none. Forward then writes max(y, slope·y), and
  /// backward first multiplies gradOutput by its derivative (1 where y > 0, else slope),
  /// with y = γ·x̂ + β recomputed: the bits of the two layers run apart, without the
  /// activation's two passes over memory (and its copy of y read in backward). With 1 the
  /// arithmetic is exactly the plain layer's (y·1 = y). γ and β must not change between a
  /// forward and its backward (the optimiser steps after both), as y is recomputed from them.
  var activationSlope: Float = 1

  init(
    shape: Shape, momentum: Float, epsilon: Float, initializer: Initializer, random: RandomSource,
    relay: GradientRelay
  ) {
    self.relay = relay
    spec = .batchNorm(momentum: momentum, epsilon: epsilon)
    inputShape = shape
    self.momentum = momentum
    self.epsilon = epsilon
    let c = Shape(shape.dims.last ?? 1)
    gamma = Parameter(name: "gamma", value: initializer.gamma(c, random: random))
    beta = Parameter(name: "beta", value: Tensor(zeros: c))
    runningMean = Tensor(zeros: c)
    runningVariance = Tensor(shape: c, repeating: 1)
    savedMean = Tensor(zeros: c)
    savedInvStd = Tensor(zeros: c)
    sums.reserve(c.count)
  }

  public var parameters: [Parameter] { [gamma, beta] }
  public var buffers: [(name: String, value: Tensor)] {
    [("running_mean", runningMean), ("running_var", runningVariance)]
  }

  private var channels: Int { runningMean.count }

  /// y = γ · (x − mean) / √(var + ε) + β
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let (c, m) = (channels, input.count / channels)
    let xhat = Tensor.reusing(savedNormalized, shape: input.shape)
    let y = Tensor.reusing(output, shape: input.shape)
    let training = mode.isTraining
    let (mean, inv, rm, rv) = (savedMean, savedInvStd, runningMean, runningVariance)
    let (eps, mo, g, b) = (epsilon, momentum, gamma.value, beta.value)
    if training {
      sums.sumRows(input, rows: m, channels: c, times: nil)
      let (s, q) = (sums.first, sums.second)
      let rows = overRanks(s, q, channels: c, rows: m)
      savedRows = rows
      for j in 0..<c {
        let mu = s[j] / Double(rows)
        let biased = max(q[j] / Double(rows) - mu * mu, 0)
        mean[j] = Float(mu)
        inv[j] = Float(1 / (biased + Double(eps)).squareRoot())
        let unbiased = rows > 1 ? biased * Double(rows) / Double(rows - 1) : biased
        rm[j] = (1 - mo) * rm[j] + mo * Float(mu)
        rv[j] = (1 - mo) * rv[j] + mo * Float(unbiased)
      }
    } else {
      for j in 0..<c {
        mean[j] = rm[j]
        inv[j] = 1 / (rv[j] + eps).squareRoot()
      }
    }
    let slope = activationSlope
    parallelRanges(m, grain: rowGrain(c)) { rows in
      let (x, xh, o) = (input.pointer, xhat.pointer, y.pointer)
      let (mp, ip, gp, bp) = (mean.pointer, inv.pointer, g.pointer, b.pointer)
      for r in rows {
        let (xr, xhr, or) = (x + r * c, xh + r * c, o + r * c)
        for j in 0..<c {
          let n = (xr[j] - mp[j]) * ip[j]
          xhr[j] = n
          let normalized = gp[j] * n + bp[j]
          or[j] = max(normalized, slope * normalized)
        }
      }
    }
    savedTraining = training
    savedNormalized = xhat
    sums.invalidate()
    output = y
    return y
  }

  /// Training: gradInput = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)), the batch statistics
  /// being functions of x (computed as a·dy + b + k·x̂ with per-channel a, b, k).
  /// Inference: gradInput = γ·invStd · dy. dy is gradOutput times the fused activation's
  /// derivative (`activationSlope`).
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    let (c, m) = (channels, gradOutput.count / channels)
    let dx = relay.inPlace(gradOutput)
    if savedTraining { computeSums(gradOutput, xhat) }
    let (inv, g, scratch) = (savedInvStd, gamma.value, sums)
    let (ip, gp) = (inv.pointer, g.pointer)
    // dx = a·dy + b + k·x̂ per channel: training, a = γ·invStd, b = −a·Σdy/M,
    // k = −a·Σ(dy·x̂)/M; inference, a = γ·invStd and b = k = 0.
    let (a, b, k) = (scratch.a, scratch.b, scratch.k)
    // Synced: the whole batch's Σdy and Σ(dy·x̂) (the parameter gradients keep this rank's).
    let synced = savedTraining ? gradientSumsOverRanks(c) : nil
    let rows = Double(synced == nil ? m : savedRows)
    for j in 0..<c {
      let scale = Double(gp[j] * ip[j])
      let (sumDy, sumDyXhat) = synced.map { ($0[j], $0[c + j]) } ?? (scratch.first[j], scratch.second[j])
      a[j] = Float(scale)
      b[j] = savedTraining ? Float(-scale * sumDy / rows) : 0
      k[j] = savedTraining ? Float(-scale * sumDyXhat / rows) : 0
    }
    let (slope, beta) = (activationSlope, self.beta.value)
    parallelRanges(m, grain: rowGrain(c)) { rows in
      let (dz, xh, d) = (gradOutput.pointer, xhat.pointer, dx.pointer)
      let (a, b, k, gp, bp) = (scratch.a, scratch.b, scratch.k, g.pointer, beta.pointer)
      for r in rows {
        let (dzr, xhr, dr) = (dz + r * c, xh + r * c, d + r * c)
        for j in 0..<c {
          let dy = activated(dzr[j], where: gp[j] * xhr[j] + bp[j], slope: slope)
          dr[j] = a[j] * dy + b[j] + k[j] * xhr[j]
        }
      }
    }
    // dx may be gradOutput itself (relayed, overwritten): the sums no longer describe it.
    sums.invalidate()
    return dx
  }

  /// Accumulates γ.gradient += Σ dy·x̂ and β.gradient += Σ dy over the M rows.
  public func accumulateParameterGradients(_ gradOutput: Tensor) {
    guard let xhat = savedNormalized else { preconditionFailure("batchnorm: backward before forward") }
    computeSums(gradOutput, xhat)
    for j in 0..<channels {
      gamma.gradient[j] += Float(sums.second[j])
      beta.gradient[j] += Float(sums.first[j])
    }
  }

  /// Σ dy and Σ dy·x̂ per channel into `sums` (dy: gradOutput times the fused activation's
  /// derivative), unless they are already there for this gradient (the second half of the
  /// same backward pass).
  private func computeSums(_ gradOutput: Tensor, _ xhat: Tensor) {
    guard !sums.holds(gradOutput) else { return }
    let (c, m) = (channels, gradOutput.count / channels)
    sums.sumRows(gradOutput, rows: m, channels: c, times: (xhat, gamma.value, beta.value, activationSlope))
    sums.mark(gradOutput)
  }
}

extension BatchNorm {
  /// Synced: `first` and `second` [channels] and `rows` summed over the ranks, in place, in
  /// one allreduce; returns the rows. Else `rows` as it is.
  fileprivate func overRanks(
    _ first: UnsafeMutablePointer<Double>, _ second: UnsafeMutablePointer<Double>, channels c: Int, rows: Int
  ) -> Int {
    guard let sumOverRanks else { return rows }
    var packed = [Double](repeating: 0, count: 2 * c + 1)
    for j in 0..<c { (packed[j], packed[c + j]) = (first[j], second[j]) }
    packed[2 * c] = Double(rows)
    packed.withUnsafeMutableBufferPointer { sumOverRanks($0) }
    for j in 0..<c { (first[j], second[j]) = (packed[j], packed[c + j]) }
    return Int(packed[2 * c])
  }

  /// Synced: Σdy and Σ(dy·x̂) [2·channels] for the input gradient, summed over the ranks
  /// (a copy: `sums` keeps this rank's for the parameter gradients). Else nil.
  fileprivate func gradientSumsOverRanks(_ c: Int) -> [Double]? {
    guard let sumOverRanks else { return nil }
    var packed = [Double](repeating: 0, count: 2 * c)
    for j in 0..<c { (packed[j], packed[c + j]) = (sums.first[j], sums.second[j]) }
    packed.withUnsafeMutableBufferPointer { sumOverRanks($0) }
    return packed
  }
}

/// gradOutput times the fused activation's derivative at y: itself where y > 0, else
/// slope · it (the separate layer tested its output, which is > 0 exactly where y is).
@inline(__always)
private func activated(_ gradOutput: Float, where y: Float, slope: Float) -> Float {
  y > 0 ? gradOutput : slope * gradOutput
}

/// Rows per thread at least: 32 Ki elements.
private func rowGrain(_ c: Int) -> Int { max(1, (1 << 15) / c) }

/// Two per-channel `Double` accumulators, `Float` ones for each block of rows, the
/// per-channel coefficients of the input gradient, and which gradient the sums were
/// computed for.
private final class ChannelSums: @unchecked Sendable {
  static let blockRows = 256
  private(set) var first = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private(set) var second = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  /// [blocks, C] sums of each block of rows; grown to the largest batch, then reused.
  private var blockFirst = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private var blockSecond = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private var blockCapacity = 1
  /// Per-channel coefficients of the input gradient.
  private(set) var a = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private(set) var b = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private(set) var k = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private var owner: (storage: ObjectIdentifier, shape: Shape)?

  func reserve(_ c: Int) {
    for p in [first, second] { p.deallocate() }
    for p in [a, b, k] { p.deallocate() }
    (first, second) = (.allocate(capacity: c), .allocate(capacity: c))
    (a, b, k) = (.allocate(capacity: c), .allocate(capacity: c), .allocate(capacity: c))
  }

  /// For x [rows, channels]: first[j] = Σ x and second[j] = Σ x², or, with `times`
  /// (x̂, γ, β, slope), first[j] = Σ x' and second[j] = Σ x'·x̂ where x' = x where
  /// γ·x̂ + β > 0 and slope·x elsewhere (the fused activation's derivative; slope 1 leaves
  /// x as it is). Blocks of 256 rows are summed in `Float` in row order (a loop over
  /// channels the compiler vectorises; blocks in parallel), then added in `Double` in
  /// block order.
  func sumRows(
    _ x: Tensor, rows m: Int, channels c: Int, times: (xhat: Tensor, gamma: Tensor, beta: Tensor, slope: Float)?
  ) {
    let blocks = (m + Self.blockRows - 1) / Self.blockRows
    if blockCapacity < blocks * c {
      for p in [blockFirst, blockSecond] { p.deallocate() }
      blockCapacity = blocks * c
      (blockFirst, blockSecond) = (.allocate(capacity: blockCapacity), .allocate(capacity: blockCapacity))
    }
    parallelRanges(blocks, grain: max(1, (1 << 15) / (Self.blockRows * c))) { range in
      let xp = UnsafePointer(x.pointer)
      let masking = times.map {
        (UnsafePointer($0.xhat.pointer), UnsafePointer($0.gamma.pointer), UnsafePointer($0.beta.pointer), $0.slope)
      }
      for block in range {
        let (bs, bq) = (self.blockFirst + block * c, self.blockSecond + block * c)
        bs.update(repeating: 0, count: c)
        bq.update(repeating: 0, count: c)
        for r in block * Self.blockRows..<min((block + 1) * Self.blockRows, m) {
          let row = xp + r * c
          if let (xhat, gp, bp, slope) = masking {
            let other = xhat + r * c
            for j in 0..<c {
              let masked = activated(row[j], where: gp[j] * other[j] + bp[j], slope: slope)
              bs[j] += masked
              bq[j] += masked * other[j]
            }
          } else {
            for j in 0..<c {
              bs[j] += row[j]
              bq[j] += row[j] * row[j]
            }
          }
        }
      }
    }
    first.update(repeating: 0, count: c)
    second.update(repeating: 0, count: c)
    for block in 0..<blocks {
      let (bs, bq) = (blockFirst + block * c, blockSecond + block * c)
      for j in 0..<c {
        first[j] += Double(bs[j])
        second[j] += Double(bq[j])
      }
    }
  }

  func holds(_ t: Tensor) -> Bool {
    owner.map { $0.storage == ObjectIdentifier(t.storage) && $0.shape == t.shape } ?? false
  }
  func mark(_ t: Tensor) { owner = (ObjectIdentifier(t.storage), t.shape) }
  func invalidate() { owner = nil }

  deinit {
    for p in [first, second] { p.deallocate() }
    for p in [blockFirst, blockSecond] { p.deallocate() }
    for p in [a, b, k] { p.deallocate() }
  }
}
