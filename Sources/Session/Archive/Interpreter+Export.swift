import Foundation
import Layers
import Tensors

/// `export` and `import`: weights and samples as safetensors files in PyTorch's layout
/// (`WeightsFile`, `TorchLayout`, `SafeTensors`).
extension Interpreter {
  func export(_ item: ExportItem, to path: String) throws(SessionError) {
    switch item {
    case .network(let role):
      guard let network = state.networks[role], let optimizer = state.optimizers[role] else {
        throw SessionError.missingNetwork(role)
      }
      // The generator as pictures and saves show it: its moving average when `set ema` is on.
      let average = role == .generator ? state.generatorAverage : nil
      let bytes = try WeightsFile.encode(
        role, network, optimizer, definition: state.definitions[role]!, step: state.step,
        shown: average?.standing(batch: state.batch))
      // Rank 0 alone writes (under mpirun every rank holds the same weights).
      let kept = state.communicator.isRoot ? try WholeFile.write(bytes, to: path, kind: .safetensors) : nil
      report(
        .wrote(
          path: path,
          what: "the \(role.rawValue) at step \(state.step)"
            + (average.map { $0.updates ?? 1 > 0 ? ", its moving average (set ema)," : "" } ?? "")
            + " in PyTorch's layout, "
            + "\(network.parameterCount) parameters, \(bytes.count / 1024) KiB" + OwnFile.note(kept)))
    case .samples(let count):
      let (z, images, scores) = try exportedSamples(count)
      let named: [SafeTensors.Named] =
        [
          ("z", .F32, z.shape, SafeTensors.bytes(z.values)),
          ("images", .F32, images.shape, SafeTensors.bytes(images.values)),
        ] + (scores.map { [("scores", .F32, $0.shape, SafeTensors.bytes($0.values))] } ?? [])
      let metadata = [
        "format": "pt", "ganrepl.step": "\(state.step)",
        "ganrepl.samples": "z: the fixed noise; images: G(z) in inference mode (BatchNorm running statistics), NCHW"
          + (scores == nil ? "" : "; scores: D(images) in inference mode"),
      ]
      let kept =
        state.communicator.isRoot
        ? try WholeFile.write(SafeTensors.encode(named, metadata: metadata), to: path, kind: .safetensors) : nil
      report(
        .wrote(
          path: path,
          what: "z \(SafeTensors.Entry.text(z.shape)) and G(z) \(SafeTensors.Entry.text(images.shape)) "
            + (scores.map { "and D(G(z)) \(SafeTensors.Entry.text($0.shape)) " } ?? "") + "at step \(state.step)"
            + OwnFile.note(kept)))
    }
  }

  /// The first `count` rows of the fixed noise, shaped as PyTorch's generator takes them,
  /// and the generator's output for them in inference mode, images as N × C × H × W, and
  /// the discriminator's output for those images (a `TorchBatch`), when there is one.
  private func exportedSamples(_ count: Int) throws(SessionError) -> (
    z: (shape: [Int], values: [Float]), images: (shape: [Int], values: [Float]), scores: TorchBatch?
  ) {
    guard let g = state.viewedGenerator, let fixed = state.fixedNoise else {
      throw SessionError.missingNetwork(NetworkRole.generator)
    }
    if let bytes = NetworkMemory.inferenceBytes(input: g.inputShape, specs: g.specs, count: count) {
      try NetworkMemory.check(bytes, for: "generating \(count) samples")
    }
    let z = Tensor(zeros: g.inputShape.batched(count))
    z.pointer.update(from: fixed.pointer, count: z.count)
    let out = g.forward(z, mode: .inference)
    let latent = Array(UnsafeBufferPointer(start: z.pointer, count: z.count))
    let zShape = g.inputShape.rank == 3 ? [count, state.latent, 1, 1] : [count, state.latent]
    let images = TorchBatch(out)
    return ((zShape, latent), (images.shape, images.values), discriminatorScores(out))
  }

  /// D(images) in inference mode, in PyTorch's layout; nil without a discriminator that
  /// takes the generator's images and judges each alone (one with `pack` or `mbstd` has no
  /// PyTorch module to compare with, and `pack` gives fewer verdicts than images).
  private func discriminatorScores(_ images: Tensor) -> TorchBatch? {
    guard let d = state.networks[.discriminator], d.inputShape == images.shape.sample,
      !d.specs.contains(where: \.judgesSamplesTogether)
    else { return nil }
    return TorchBatch(d.forward(images, mode: .inference))
  }

  /// Reads the file into the network: every check first (`WeightsFile.decode`), then the
  /// values copied in and the optimiser's state started again. A failure changes nothing.
  func importWeights(_ role: NetworkRole, from path: String) throws(SessionError) {
    guard let network = state.networks[role], let optimizer = state.optimizers[role] else {
      throw SessionError.missingNetwork(role)
    }
    let bytes = try Self.readFile(path)
    let values = try WeightsFile.decode(
      bytes, path: path, role, network, optimizer, definition: state.definitions[role]!)
    for (target, v) in values { target.pointer.update(from: v, count: v.count) }
    for moment in optimizer.firstMoments + optimizer.secondMoments { moment.zero() }
    if role == .generator { state.averaged = nil }  // a moving average begins again at the imported weights
    let steps = optimizer.steps
    optimizer.restore(steps: 0)
    report(
      .notice(
        "imported the \(role.rawValue) from \(path): \(values.count) tensors, \(network.parameterCount) parameters"))
    report(
      .notice(
        "the \(role.rawValue)'s optimiser state was reset: moments zero, step count 0 "
          + "(was \(steps))"))
  }

  private static func readFile(_ path: String) throws(SessionError) -> [UInt8] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw SessionError(.noSuchPath(path))
    }
    guard !isFolder.boolValue else {
      throw SessionError(.cannotRead(path, reason: "it is a folder; give a .safetensors file"))
    }
    // Foundation's reader leaks its 4 KiB buffer on an empty file (LeakSanitizer, the fuzzer).
    if (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0 { return [] }
    do {
      return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw SessionError(.cannotRead(path, reason: FileProblem.text(error, path)))
    }
  }
}
