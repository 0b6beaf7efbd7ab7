import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// Layers with `sn` export as PyTorch's `parametrizations.spectral_norm` keeps them: σ
/// computed PyTorch's way from the exported tensors is the layer's own σ, a round trip is
/// bit for bit, the older `spectral_norm` names import too, and a file whose layer has or
/// lacks `sn` where the network's does not says so.
@Suite struct SafetensorsSpectralNormTests {
  /// tinyGAN with `sn` on every dense, conv and deconv: a dense before a reshape, a dense
  /// after a flatten, deconvs and convs.
  static let normalisedGAN = tinyGAN.split(separator: "\n", omittingEmptySubsequences: false).map { line in
    let word = line.split(separator: " ").first ?? ""
    return ["dense", "conv", "deconv"].contains(word) ? line + " sn" : String(line)
  }.joined(separator: "\n")

  /// σ = uᵀ M v with M PyTorch's matrix of the exported `original`: the weight with `dim`
  /// (1 for ConvTranspose2d, else 0) moved to the front, flattened; written out here.
  static func torchSigma(original: [Float], shape: [Int], u: [Float], v: [Float], transposed: Bool) -> Double {
    let rest = shape.dropFirst(2).reduce(1, *)
    var sum = 0.0
    for (f, w) in original.enumerated() {
      let (a, b, k) = (f / (shape[1] * rest), f / rest % shape[1], f % rest)
      // Conv2d/Linear (OUT, IN, …): row a, column b·rest + k; ConvTranspose2d (IN, OUT, …): row b, column a·rest + k.
      let (row, column) = transposed ? (b, a * rest + k) : (a, b * rest + k)
      sum += Double(u[row]) * Double(w) * Double(v[column])
    }
    return sum
  }

  @Test("σ from the exported original, _u and _v, computed as PyTorch does, is each sn layer's own σ")
  func sigmaAgrees() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    // export samples runs G and D in inference mode: each σ is then that of the exported W, u and v.
    try run(
      Self.normalisedGAN + "\nstep 2\nexport generator \"\(folder)/g.safetensors\"\n"
        + "export discriminator \"\(folder)/d.safetensors\"\nexport samples 4 \"\(folder)/s.safetensors\"",
      in: interpreter)
    var checked = 0
    for role in NetworkRole.allCases {
      let (file, values) = try SafetensorsExportTests.read("\(folder)/\(role == .generator ? "g" : "d").safetensors")
      for (i, layer) in interpreter.state.networks[role]!.layers.enumerated() {
        guard let sn = layer as? SpectralNorm else { continue }
        let name = "main.\(i).parametrizations.weight"
        let original = try #require(values["\(name).original"], "\(role) \(i)")
        #expect(values["main.\(i).weight"] == nil)
        var transposed = false
        if case .deconv = layer.spec.unnormalized { transposed = true }
        let sigma = Self.torchSigma(
          original: original, shape: file.entries["\(name).original"]!.shape, u: values["\(name).0._u"]!,
          v: values["\(name).0._v"]!, transposed: transposed)
        #expect(abs(sigma - Double(sn.sigma)) <= 1e-5 * abs(sigma), "\(role) layer \(i): \(sigma) vs \(sn.sigma)")
        checked += 1
      }
    }
    #expect(checked == 6)
  }

  @Test("an sn network exports and imports bit for bit, and its D(G(z)) scores are written beside G(z)")
  func roundTrip() throws {
    let folder = temporaryFolder()
    let trained = Interpreter()
    try run(
      Self.normalisedGAN + "\nstep 2\nexport generator \"\(folder)/g.safetensors\"\n"
        + "export discriminator \"\(folder)/d.safetensors\"\nexport samples 3 \"\(folder)/s.safetensors\"",
      in: trained)
    // The same seed, so the same fixed noise for the scores, but untrained weights.
    let fresh = Interpreter()
    try run(Self.normalisedGAN, in: fresh)
    #expect(
      SafetensorsExportTests.bits(fresh.state.networks[.discriminator]!)
        != SafetensorsExportTests.bits(trained.state.networks[.discriminator]!))
    try run("import generator \"\(folder)/g.safetensors\"\nimport discriminator \"\(folder)/d.safetensors\"", in: fresh)
    for role in NetworkRole.allCases {
      #expect(
        SafetensorsExportTests.bits(fresh.state.networks[role]!)
          == SafetensorsExportTests.bits(trained.state.networks[role]!), "\(role)")
    }
    try run("export samples 3 \"\(folder)/s2.safetensors\"", in: fresh)
    let (file, values) = try SafetensorsExportTests.read("\(folder)/s.safetensors")
    #expect(file.entries["scores"]?.shape == [3, 1])
    #expect(values["scores"] == (try SafetensorsExportTests.read("\(folder)/s2.safetensors")).values["scores"])
  }

  @Test("export samples' scores are D(G(z)) in inference mode; without a discriminator there are none")
  func scores() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 2\nexport samples 5 \"\(folder)/s.safetensors\"", in: interpreter)
    let g = interpreter.state.networks[.generator]!
    let d = interpreter.state.networks[.discriminator]!
    let z = Tensor(zeros: g.inputShape.batched(5))
    z.pointer.update(from: interpreter.state.fixedNoise!.pointer, count: z.count)
    let scores = d.forward(g.forward(z, mode: .inference), mode: .inference)
    let (_, values) = try SafetensorsExportTests.read("\(folder)/s.safetensors")
    #expect(values["scores"] == (0..<5).map { scores[$0] })
    let alone = Interpreter()
    try run(
      "set latent 2\ngenerator\n  dense 4\nend\nexport samples 2 \"\(folder)/alone.safetensors\"", in: alone)
    #expect(try SafetensorsExportTests.read("\(folder)/alone.safetensors").values["scores"] == nil)
  }

  @Test("the older torch.nn.utils.spectral_norm names (weight_orig, weight_u, weight_v) import as the same tensors")
  func legacyNames() throws {
    let folder = temporaryFolder()
    let trained = Interpreter()
    try run(Self.normalisedGAN + "\nstep 1\nexport generator \"\(folder)/g.safetensors\"", in: trained)
    let (file, _) = try SafetensorsExportTests.read("\(folder)/g.safetensors")
    let legacy = [
      ".parametrizations.weight.original": ".weight_orig", ".parametrizations.weight.0._u": ".weight_u",
      ".parametrizations.weight.0._v": ".weight_v",
    ]
    let named: [SafeTensors.Named] = file.entries.sorted { $0.key < $1.key }.map { name, entry in
      let renamed = legacy.reduce(name) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
      return (renamed, entry.dtype, entry.shape, Array(file.data[entry.bytes]))
    }
    #expect(named.contains { $0.0 == "main.0.weight_orig" })
    try Data(SafeTensors.encode(named, metadata: [:])).write(to: URL(fileURLWithPath: "\(folder)/legacy.safetensors"))
    let fresh = Interpreter()
    try run(Self.normalisedGAN.replacingOccurrences(of: "set seed 11", with: "set seed 12"), in: fresh)
    try run("import generator \"\(folder)/legacy.safetensors\"", in: fresh)
    #expect(
      SafetensorsExportTests.bits(fresh.state.networks[.generator]!)
        == SafetensorsExportTests.bits(trained.state.networks[.generator]!))
  }

  @Test("a file whose layer has sn where the network's has none, or the other way round, says which")
  func mismatch() throws {
    let folder = temporaryFolder()
    try run(Self.normalisedGAN + "\nexport generator \"\(folder)/sn.safetensors\"", in: Interpreter())
    try run(tinyGAN + "\nexport generator \"\(folder)/plain.safetensors\"", in: Interpreter())
    let plain = Interpreter()
    try run(tinyGAN, in: plain)
    #expect(
      SafetensorsLayoutTests.message("import generator \"\(folder)/sn.safetensors\"", in: plain)?.hasSuffix(
        "has no tensor 'main.0.weight' for the generator's layer 0 (dense 128): the file's layer 0 is spectrally "
          + "normalised ('main.0.parametrizations.weight.original'); define it with 'sn'") == true)
    let normalised = Interpreter()
    try run(Self.normalisedGAN, in: normalised)
    #expect(
      SafetensorsLayoutTests.message("import generator \"\(folder)/plain.safetensors\"", in: normalised)?.contains(
        "has no tensor 'main.0.parametrizations.weight.original' for the generator's layer 0 (dense 128 sn): "
          + "the file's layer 0 has a plain 'main.0.weight', without spectral normalisation") == true)
  }
}
