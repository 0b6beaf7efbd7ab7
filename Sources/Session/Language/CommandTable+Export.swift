/// What `export` writes.
public enum ExportItem: Equatable, Sendable {
  case network(NetworkRole)
  /// The first N rows of the fixed noise and the generator's images from them.
  case samples(Int)
}

/// `export` and `import`: a network's weights, or samples with their noise, as safetensors
/// files in PyTorch's layout (see `TorchLayout` and docs/language.md).
extension CommandTable {
  static let exportEntry = CommandEntry(
    name: "export", usage: "export generator|discriminator PATH | export samples N PATH",
    summary: "write weights (or samples and their z) as safetensors in PyTorch's layout",
    help: """
      Writes the network's weights as a .safetensors file with the names and layouts of the
      same network as a PyTorch nn.Sequential called main: main.0.weight, … (every layer
      counts, as in PyTorch), Conv2d (out, in, kH, kW), ConvTranspose2d (in, out, kH, kW),
      Linear (out, in) in NCHW feature order, BatchNorm weight, bias, running_mean,
      running_var, num_batches_tracked. Its __metadata__ holds the ganrepl definition.
      A layer with sn is PyTorch's parametrizations.spectral_norm: its weight is
      parametrizations.weight.original, u and v parametrizations.weight.0._u and _v.
      'export samples N' writes z, the first N rows of the fixed noise (N × latent, or
      N × latent × 1 × 1 for a conv-first generator), and images, G(z) in inference mode
      (BatchNorm's running statistics), N × C × H × W, and with a discriminator scores,
      D(images), for checking another framework.
      Example: export generator "out/g.safetensors"
      """,
    syntax: Syntax(positionals: [
      .init(name: "what to export", choices: [.init("generator"), .init("discriminator"), exportSamples]),
      .init(name: "path"),
    ])
  ) { args throws(SessionError) in
    let what = try args.choice("what to export")!
    let item: ExportItem =
      what == "samples"
      ? .samples(try args.int("count", in: 1...SamplingLimits.maximum)!) : .network(NetworkRole(rawValue: what)!)
    return .export(item, path: try weightsPath(args.token("path")!, at: args.location))
  }

  static let exportSamples = Syntax.Choice(
    "samples", then: [Syntax.Positional(name: "count"), Syntax.Positional(name: "path")])

  static let importEntry = CommandEntry(
    name: "import", usage: "import generator|discriminator PATH",
    summary: "read weights from a safetensors file (ganrepl's export, or PyTorch's) into a network",
    help: """
      Reads a .safetensors file written by 'export', or saved from PyTorch with the same
      names, into the defined network. Every name, dtype and shape is checked, and every
      value must be finite; when anything differs nothing changes and the error names it.
      The network's optimiser state (moments, step count) starts again.
      Example: import generator "out/g.safetensors"
      """,
    syntax: Syntax(positionals: [
      .init(name: "network", choices: [.init("generator"), .init("discriminator")]), .init(name: "path"),
    ])
  ) { args throws(SessionError) in
    .importWeights(
      NetworkRole(rawValue: try args.choice("network")!)!,
      path: try weightsPath(args.token("path")!, at: args.location))
  }

  /// The path of a safetensors file must say so.
  static func weightsPath(_ token: Token, at location: SourceLocation) throws(SessionError) -> String {
    guard token.text.lowercased().hasSuffix(".safetensors") else {
      throw SessionError(
        .invalidValue(
          token.text, for: "weights file", expected: "a name ending in .safetensors, e.g. \"out/g.safetensors\""),
        at: location.at(column: token.column))
    }
    return token.text
  }
}
