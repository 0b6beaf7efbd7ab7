import Foundation
import Layers
import Tensors
import Testing

@testable import Session

/// The rest of the export's layout: BatchNorm's tensors and counter, flat BatchNorm between
/// a dense and its reshape, samples in NCHW, the file's framing, and what cannot be exported.
@Suite struct SafetensorsLayoutTests {
  static func message(_ text: String, in interpreter: Interpreter) -> String? {
    do {
      try run(text, in: interpreter)
      return nil
    } catch {
      return error.message
    }
  }

  @Test(
    "BatchNorm exports weight, bias, running statistics and num_batches_tracked (I64, shape ()) = the optimiser's steps"
  )
  func batchNorm() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 3\nexport generator \"\(folder)/g.safetensors\"", in: interpreter)
    let (file, values) = try SafetensorsExportTests.read("\(folder)/g.safetensors")
    let bn = interpreter.state.networks[.generator]!.layers[2] as! BatchNorm
    let counter = file.entries["main.2.num_batches_tracked"]!
    #expect(counter.dtype == .I64 && counter.shape == [])
    let count = file.data[counter.bytes].reversed().reduce(0) { $0 << 8 | Int($1) }
    #expect(count == interpreter.state.optimizers[.generator]!.steps && count == 3)
    // After `reshape 4x4x8` BatchNorm2d's channels are ganrepl's channels, in order.
    for (name, tensor) in [
      ("weight", bn.gamma.value), ("bias", bn.beta.value), ("running_mean", bn.runningMean),
      ("running_var", bn.runningVariance),
    ] {
      #expect(values["main.2.\(name)"]! == (0..<8).map { tensor[$0] }, "\(name)")
    }
    // The header is padded with spaces to a multiple of 8.
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(folder)/g.safetensors")))
    let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
    #expect(length % 8 == 0 && bytes.count == 8 + length + file.data.count)
  }

  @Test("with set ema on, export generator writes the moving average (as sample and save show), not G's own weights")
  func movingAverage() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nset ema 0.5\nstep 3\nexport generator \"\(folder)/g.safetensors\"", in: interpreter)
    let (_, values) = try SafetensorsExportTests.read("\(folder)/g.safetensors")
    let average = interpreter.state.viewedGenerator!.layers[2] as! BatchNorm
    let own = interpreter.state.networks[.generator]!.layers[2] as! BatchNorm
    let exported = values["main.2.weight"]!
    #expect(exported == (0..<8).map { average.gamma.value[$0] })
    #expect(exported != (0..<8).map { own.gamma.value[$0] })
    // Its BatchNorm statistics estimated for its own weights, not G's.
    #expect(values["main.2.running_mean"]! == (0..<8).map { average.runningMean[$0] })
    #expect(values["main.2.running_var"]! == (0..<8).map { average.runningVariance[$0] })
    #expect(values["main.2.running_mean"]! != (0..<8).map { own.runningMean[$0] })
  }

  @Test(
    "with set ema on, a generator imported and exported again is the file it was: statistics kept, not re-estimated")
  func importThenExportWithAverage() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(tinyGAN + "\nstep 3\nexport generator \"\(folder)/a.safetensors\"", in: interpreter)
    let events = try run(
      "set ema 0.999\nimport generator \"\(folder)/a.safetensors\"\nexport generator \"\(folder)/b.safetensors\"",
      in: interpreter)
    let (_, a) = try SafetensorsExportTests.read("\(folder)/a.safetensors")
    let (_, b) = try SafetensorsExportTests.read("\(folder)/b.safetensors")
    #expect(a == b)
    // A step of D alone moves G's running statistics (G runs in training mode) but not the
    // average's weights: the export carries G's statistics as they are now.
    try run("step d 2\nexport generator \"\(folder)/d.safetensors\"", in: interpreter)
    let (_, d) = try SafetensorsExportTests.read("\(folder)/d.safetensors")
    let own = interpreter.state.networks[.generator]!.layers[2] as! BatchNorm
    #expect(d["main.2.running_mean"]! == (0..<8).map { own.runningMean[$0] })
    #expect(d["main.2.running_mean"]! != a["main.2.running_mean"]!)
    let wrote = events.compactMap { if case .wrote(_, let what) = $0 { what } else { nil } }
    #expect(wrote.last?.hasPrefix("the generator at step 3 in PyTorch's layout") == true, "\(wrote)")
    // Once the average has moved, it is what is written, and the line says so.
    let trained = try run("step\nexport generator \"\(folder)/c.safetensors\"", in: interpreter)
    let said = trained.compactMap { if case .wrote(_, let what) = $0 { what } else { nil } }
    #expect(said.last?.hasPrefix("the generator at step 6, its moving average (set ema), in PyTorch's layout") == true)
  }

  @Test("a flat BatchNorm between a dense and its reshape is permuted as the dense's rows are")
  func flatBatchNorm() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    try run(
      """
      set seed 3
      set latent 2
      generator
        dense 2*3*4
        batchnorm
        relu
        reshape 2x3x4
        deconv 1 kernel=2 stride=2 padding=0
      end
      export generator "\(folder)/g.safetensors"
      """, in: interpreter)
    let (_, values) = try SafetensorsExportTests.read("\(folder)/g.safetensors")
    let layers = interpreter.state.networks[.generator]!.layers
    let dense = (kernel: layers[0].parameters[0], bias: layers[0].parameters[1])
    let bn = layers[1] as! BatchNorm
    var wrong: [String] = []
    for c in 0..<4 {
      for h in 0..<2 {
        for w in 0..<3 {
          let (row, unit) = ((c * 2 + h) * 3 + w, (h * 3 + w) * 4 + c)
          if values["main.0.bias"]![row] != dense.bias.value[unit] { wrong.append("c\(c) h\(h) w\(w)") }
          if values["main.0.weight"]![row * 2 + 1] != dense.kernel.value[24 + unit] {
            wrong.append("c\(c) h\(h) w\(w)")
          }
          if values["main.1.weight"]![row] != bn.gamma.value[unit] { wrong.append("c\(c) h\(h) w\(w)") }
          if values["main.1.running_var"]![row] != bn.runningVariance[unit] { wrong.append("c\(c) h\(h) w\(w)") }
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.count) values out of place, first \(wrong.prefix(3))")
  }

  @Test("export samples writes the fixed noise as PyTorch's generator takes it and G(z) in inference mode, NCHW")
  func samples() throws {
    let folder = temporaryFolder()
    for (conv, zShape) in [(false, [5, 8]), (true, [5, 8, 1, 1])] {
      let interpreter = Interpreter()
      let text =
        conv
        ? tinyGAN.replacingOccurrences(
          of: "  dense 4*4*8\n  reshape 4x4x8\n", with: "  deconv 8 kernel=4 stride=1 padding=0\n")
        : tinyGAN
      try run(text + "\nstep 2\nexport samples 5 \"\(folder)/s\(conv).safetensors\"", in: interpreter)
      let (file, values) = try SafetensorsExportTests.read("\(folder)/s\(conv).safetensors")
      #expect(file.entries["z"]!.shape == zShape)
      #expect(file.entries["images"]!.shape == [5, 3, 16, 16])
      let fixed = interpreter.state.fixedNoise!
      #expect(values["z"]! == (0..<40).map { fixed[$0] })
      let g = interpreter.state.networks[.generator]!
      let z = Tensor(zeros: g.inputShape.batched(5))
      z.pointer.update(from: fixed.pointer, count: z.count)
      let nhwc = g.forward(z, mode: .inference)
      var wrong: [String] = []
      for n in 0..<5 {
        for c in 0..<3 {
          for h in stride(from: 0, to: 16, by: 3) {
            for w in 0..<16 {
              if values["images"]![((n * 3 + c) * 16 + h) * 16 + w] != nhwc[((n * 16 + h) * 16 + w) * 3 + c] {
                wrong.append("n\(n) c\(c) h\(h) w\(w)")
              }
            }
          }
        }
      }
      #expect(wrong.isEmpty, "\(wrong.count) values out of place, first \(wrong.prefix(3))")
    }
  }

  @Test("what cannot be exported or imported says why")
  func refusals() throws {
    let interpreter = Interpreter()
    #expect(
      Self.message("export generator \"g.pt\"", in: interpreter)
        == "invalid weights file 'g.pt': expected a name ending in .safetensors, e.g. \"out/g.safetensors\"")
    #expect(Self.message("import discriminator \"d.safetensors\"", in: interpreter) == "no discriminator yet")
    #expect(Self.message("export samples 0 \"s.safetensors\"", in: interpreter)?.hasPrefix("invalid count '0'") == true)
    #expect(
      Self.message("export weights \"w.safetensors\"", in: interpreter)
        == "invalid what to export 'weights': expected one of 'generator', 'discriminator', 'samples'")
    try run("set latent 4\ngenerator\n  dense 12\n  flatten\n  reshape 2x2x3\nend", in: interpreter)
    #expect(
      Self.message("export generator \"\(temporaryFolder())/g.safetensors\"", in: interpreter)
        == "invalid generator layer 2 'reshape 2x2x3': expected a layer PyTorch's nn.Sequential can mirror: "
        + "only a dense's output can be reshaped to an image in PyTorch's order")
    #expect(
      Self.message("import generator \"/nonexistent/g.safetensors\"", in: interpreter)
        == "no such file or folder: /nonexistent/g.safetensors")
  }
}
