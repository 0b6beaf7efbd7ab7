import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// `export` and `import`: bit-exact round trips, PyTorch's layouts checked value by value
/// against index formulas written out here, samples in NCHW, and what import resets.
@Suite struct SafetensorsExportTests {
  /// The file `path` as safetensors, and each tensor's values as floats (F32 only).
  static func read(_ path: String) throws -> (file: SafeTensors, values: [String: [Float]]) {
    let file = try SafeTensors(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    var values: [String: [Float]] = [:]
    for (name, entry) in file.entries where entry.dtype == .F32 { values[name] = file.floats(entry) }
    return (file, values)
  }

  static func bits(_ network: Sequential) -> [[UInt32]] {
    (network.namedParameters.map(\.parameter.value) + network.namedBuffers.map(\.value))
      .map { t in (0..<t.count).map { t.pointer[$0].bitPattern } }
  }

  @Test("export then import into a network started from another seed gives back every weight and statistic bit for bit")
  func roundTrip() throws {
    let folder = temporaryFolder()
    let trained = Interpreter()
    try run(tinyGAN + "\nstep 2", in: trained)
    try run(
      "export generator \"\(folder)/g.safetensors\"\nexport discriminator \"\(folder)/d.safetensors\"", in: trained)
    let fresh = Interpreter()
    try run(tinyGAN.replacingOccurrences(of: "set seed 11", with: "set seed 12") + "\nstep 1", in: fresh)
    for role in NetworkRole.allCases {
      #expect(Self.bits(fresh.state.networks[role]!) != Self.bits(trained.state.networks[role]!))
    }
    let events = try run(
      "import generator \"\(folder)/g.safetensors\"\nimport discriminator \"\(folder)/d.safetensors\"", in: fresh)
    for role in NetworkRole.allCases {
      #expect(Self.bits(fresh.state.networks[role]!) == Self.bits(trained.state.networks[role]!), "\(role)")
      let optimizer = fresh.state.optimizers[role]!
      #expect(optimizer.steps == 0)
      #expect(
        (optimizer.firstMoments + optimizer.secondMoments).allSatisfy { t in (0..<t.count).allSatisfy { t[$0] == 0 } })
    }
    let notices = events.compactMap { if case .notice(let text) = $0 { text } else { nil } }
    #expect(notices.contains { $0.contains("generator's optimiser state was reset") && $0.contains("(was 1)") })
    // The same network exports to the same bytes.
    try run("export generator \"\(folder)/g2.safetensors\"", in: trained)
    #expect(
      FileManager.default.contents(atPath: "\(folder)/g.safetensors")
        == FileManager.default.contents(atPath: "\(folder)/g2.safetensors"))
  }

  @Test("a state dict without BatchNorm's num_batches_tracked imports, as PyTorch's load_state_dict allows")
  func withoutBatchCounters() throws {
    let folder = temporaryFolder()
    let trained = Interpreter()
    try run(tinyGAN + "\nstep 2\nexport generator \"\(folder)/g.safetensors\"", in: trained)
    let file = try SafeTensors(decoding: Array(FileManager.default.contents(atPath: folder + "/g.safetensors")!))
    let kept = file.entries.filter { !$0.key.hasSuffix("num_batches_tracked") }.sorted { $0.key < $1.key }
    #expect(kept.count < file.entries.count)
    let tensors: [SafeTensors.Named] = kept.map { name, entry in
      (name, entry.dtype, entry.shape, Array(file.data[entry.bytes]))
    }
    try Data(SafeTensors.encode(tensors, metadata: [:])).write(to: URL(fileURLWithPath: folder + "/g-old.safetensors"))
    let fresh = Interpreter()
    try run(tinyGAN.replacingOccurrences(of: "set seed 11", with: "set seed 12"), in: fresh)
    try run("import generator \"\(folder)/g-old.safetensors\"", in: fresh)
    #expect(Self.bits(fresh.state.networks[.generator]!) == Self.bits(trained.state.networks[.generator]!))
  }

  @Test("import names what differs: another latent size, or PyTorch names under another prefix than main")
  func importHints() throws {
    let folder = temporaryFolder()
    let trained = Interpreter()
    try run(tinyGAN + "\nexport generator \"\(folder)/g.safetensors\"", in: trained)
    func hint(_ setup: String, _ file: String) -> (message: String, hint: String?) {
      do {
        try run(setup + "\nimport generator \"\(folder)/\(file)\"", in: Interpreter())
        return ("imported", nil)
      } catch {
        return (error.message, error.hint)
      }
    }
    let latent = hint(tinyGAN.replacingOccurrences(of: "set latent 8", with: "set latent 6"), "g.safetensors")
    #expect(
      latent.hint
        == "the file's generator takes z of size 8 (its __metadata__ 'ganrepl.input'), this one 6:"
        + " 'set latent 8', define the generator again, and import again", "\(latent)")
    // The same bytes with main. renamed netw. (the same length, so the header stays valid).
    let bytes = try #require(FileManager.default.contents(atPath: "\(folder)/g.safetensors"))
    FileManager.default.createFile(atPath: "\(folder)/netw.safetensors", contents: Data(Self.renamed([UInt8](bytes))))
    let prefix = hint(tinyGAN, "netw.safetensors")
    #expect(prefix.message.hasSuffix("; its tensors are named 'netw.0.bias', 'netw.0.weight', …"), "\(prefix)")
    #expect(prefix.hint?.contains("{k.replace('netw.', 'main.', 1): v for k, v in state_dict.items()}") == true)
    // The same latent size in another first layer: no 'set latent' to suggest.
    let deconvFirst = hint(
      "data faces count=8 size=16 batch=8\nset latent 8\ngenerator\n  deconv 3 kernel=16 stride=1 padding=valid\n"
        + "  tanh\nend", "g.safetensors")
    #expect(deconvFirst.hint?.hasPrefix("the file holds another network") == true, "\(deconvFirst)")
  }

  /// A safetensors file's `bytes` with every "main." in its JSON header turned into "netw.".
  static func renamed(_ bytes: [UInt8]) -> [UInt8] {
    var out = bytes
    let (from, to) = (Array("main.".utf8), Array("netw.".utf8))
    let headerEnd = 8 + (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
    var i = 8
    while i + from.count <= headerEnd {
      if Array(out[i..<(i + from.count)]) == from {
        out.replaceSubrange(i..<(i + from.count), with: to)
        i += from.count
      } else {
        i += 1
      }
    }
    return out
  }

  /// The tutorial's networks (notebooks/celeba.gan), seeded: every exported value is where
  /// PyTorch's layout puts it, by formulas written out independently of `TorchLayout`.
  @Test("the tutorial's export holds each tensor in PyTorch's layout, entry by entry")
  func tutorialLayout() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(
      Self.tutorial
        + "\nexport generator \"\(folder)/g.safetensors\"\nexport discriminator \"\(folder)/d.safetensors\"",
      in: interpreter)
    let (gFile, g) = try Self.read("\(folder)/g.safetensors")
    let (_, d) = try Self.read("\(folder)/d.safetensors")
    let gLayers = interpreter.state.networks[.generator]!.layers
    let dLayers = interpreter.state.networks[.discriminator]!.layers
    #expect(
      Set(gFile.entries.keys) == [
        "main.0.weight", "main.0.bias", "main.2.weight", "main.2.bias", "main.4.weight", "main.4.bias", "main.6.weight",
        "main.6.bias", "main.8.weight", "main.8.bias",
      ])
    #expect(
      Set(d.keys) == [
        "main.0.weight", "main.0.bias", "main.2.weight", "main.2.bias", "main.4.weight", "main.4.bias", "main.8.weight",
        "main.8.bias",
      ])
    #expect(
      gFile.metadata["ganrepl.definition"]?.hasPrefix("generator init=glorot\n  dense 8192\n  reshape 8x8x128\n")
        == true)

    // Linear (out, in): row (c·8 + h)·8 + w is ganrepl's unit (h·8 + w)·128 + c.
    let dense = (kernel: gLayers[0].parameters[0], bias: gLayers[0].parameters[1])
    #expect(gFile.entries["main.0.weight"]!.shape == [8192, 128])
    var wrong: [String] = []
    for c in stride(from: 0, to: 128, by: 7) {
      for h in 0..<8 {
        for w in [0, 3, 7] {
          for i in [0, 5, 127] {
            let unit = (h * 8 + w) * 128 + c
            let row = (c * 8 + h) * 8 + w
            if g["main.0.weight"]![row * 128 + i] != dense.kernel.value[i * 8192 + unit] {
              wrong.append("c\(c) h\(h) w\(w) i\(i)")
            }
            if g["main.0.bias"]![row] != dense.bias.value[unit] { wrong.append("c\(c) h\(h) w\(w) i\(i)") }
          }
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.count) values out of place, first \(wrong.prefix(3))")
    // ConvTranspose2d (in, out, kH, kW) from ganrepl's [KH, KW, OC, IC]; Conv2d (out, in,
    // kH, kW) from [KH, KW, IC, OC]: both are PyTorch's [p][q][y][x] = ganrepl's [y][x][q][p].
    for (index, shape) in [
      (2, [128, 128, 4, 4]), (4, [128, 256, 4, 4]), (6, [256, 512, 4, 4]), (8, [3, 512, 5, 5]),
    ] {
      #expect(gFile.entries["main.\(index).weight"]!.shape == shape)
      #expect(Self.kernelMismatches(g["main.\(index).weight"]!, gLayers[index].parameters[0].value) == 0)
    }
    for index in [0, 2, 4] {
      #expect(Self.kernelMismatches(d["main.\(index).weight"]!, dLayers[index].parameters[0].value) == 0)
    }
    // The discriminator's Linear after Flatten (and Dropout): column (c·8 + h)·8 + w.
    let last = dLayers[8].parameters[0].value
    wrong.removeAll()
    for c in 0..<128 {
      for h in 0..<8 {
        for w in 0..<8 {
          if d["main.8.weight"]![(c * 8 + h) * 8 + w] != last[(h * 8 + w) * 128 + c] {
            wrong.append("c\(c) h\(h) w\(w)")
          }
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.count) values out of place, first \(wrong.prefix(3))")
  }

  /// How many of PyTorch's values [p][q][y][x] differ from ganrepl's kernel [K, K, Q, P] at [y][x][q][p].
  static func kernelMismatches(_ torch: [Float], _ kernel: Tensor) -> Int {
    let d = kernel.shape.dims
    let (k, q, p) = (d[0], d[2], d[3])
    var mismatches = 0
    for a in 0..<p {
      for b in 0..<q {
        for y in 0..<k {
          for x in 0..<k where torch[((a * q + b) * k + y) * k + x] != kernel[((y * k + x) * q + b) * p + a] {
            mismatches += 1
          }
        }
      }
    }
    return mismatches
  }

  /// notebooks/celeba.gan's two networks, seeded as there (the discriminator takes its image size from 8 faces).
  static var tutorial: String {
    let text = (try? String(contentsOfFile: repositoryRoot + "/notebooks/celeba.gan", encoding: .utf8)) ?? ""
    guard let start = text.range(of: "\ndiscriminator\n"), let end = text.range(of: "\nend\n", options: .backwards)
    else { return "" }
    return "set seed 42\ndata faces count=8 size=64 batch=8\nset latent 128\n" + text[start.lowerBound..<end.upperBound]
  }
}
