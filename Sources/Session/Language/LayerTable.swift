import Layers
import Tensors

/// The layers a notebook can write inside a `generator` or `discriminator` block: names,
/// arguments, help, and how the words become a `LayerSpec`.
enum LayerTable: WordTable {
  static let paddingHelp = "'same' (Keras), 'valid', or a number of pixels on every side (PyTorch)"

  static let convSyntax = Syntax(
    positionals: [.init(name: "filters")],
    options: [
      .init(name: "kernel", help: "kernel size (required)"),
      .init(name: "stride", help: "step between windows (1)"),
      .init(name: "padding", help: paddingHelp + " (valid)", choices: ["same", "valid"]),
      .init(name: "bias", help: "add a learned bias (true)", choices: ["true", "false"]),
      snOption,
    ])

  static let snOption = Syntax.Option(
    name: "sn", isFlag: true, help: "spectral normalisation: divide the kernel by its largest singular value")

  static let entries: [LayerEntry] = [
    LayerEntry(
      name: "dense", aliases: ["linear"], usage: "dense UNITS [bias=false] [sn]",
      help: "fully connected layer; UNITS may be a product such as 8*8*128",
      syntax: Syntax(
        positionals: [.init(name: "units")],
        options: [.init(name: "bias", help: "add a learned bias (true)", choices: ["true", "false"]), snOption])
    ) { args throws(SessionError) in
      try spectral(
        .dense(units: try args.int("units", in: LayerSpec.Limits.units)!, bias: try args.bool("bias", default: true)),
        args)
    },
    LayerEntry(
      name: "conv", aliases: ["conv2d"],
      usage: "conv FILTERS kernel=K [stride=S] [padding=same|valid|P] [bias=false] [sn]",
      help: "2-D convolution (Keras Conv2D, PyTorch Conv2d)",
      syntax: convSyntax
    ) { args throws(SessionError) in
      let (f, k, s, p, b) = try convArguments(args)
      return try spectral(.conv(filters: f, kernel: k, stride: s, padding: p, bias: b), args)
    },
    LayerEntry(
      name: "deconv", aliases: ["convtranspose", "conv2dtranspose", "convt"],
      usage: "deconv FILTERS kernel=K [stride=S] [padding=same|valid|P] [bias=false] [sn]",
      help: "transposed convolution, upsamples by the stride (Keras Conv2DTranspose, PyTorch ConvTranspose2d)",
      syntax: convSyntax
    ) { args throws(SessionError) in
      let (f, k, s, p, b) = try convArguments(args)
      return try spectral(.deconv(filters: f, kernel: k, stride: s, padding: p, bias: b), args)
    },
    LayerEntry(name: "relu", usage: "relu", help: "max(x, 0)", syntax: Syntax()) { _ throws(SessionError) in .relu },
    LayerEntry(
      name: "leakyrelu", aliases: ["lrelu", "leaky"], usage: "leakyrelu [SLOPE]",
      help: "x for x > 0, SLOPE·x otherwise (SLOPE 0.2 unless given)",
      syntax: Syntax(positionals: [.init(name: "slope", optional: true)])
    ) { args throws(SessionError) in
      .leakyReLU(slope: try args.float("slope", in: LayerSpec.Limits.slope, default: 0.2)!)
    },
    LayerEntry(name: "sigmoid", usage: "sigmoid", help: "1 / (1 + e^−x): outputs in (0, 1)", syntax: Syntax()) {
      _ throws(SessionError) in .sigmoid
    },
    LayerEntry(name: "tanh", usage: "tanh", help: "tanh x: outputs in (−1, 1)", syntax: Syntax()) {
      _ throws(SessionError) in .tanh
    },
    LayerEntry(name: "flatten", usage: "flatten", help: "height×width×channels → one vector", syntax: Syntax()) {
      _ throws(SessionError) in .flatten
    },
    LayerEntry(
      name: "reshape", usage: "reshape HxWxC", help: "see a vector as an image, e.g. reshape 8x8x128",
      syntax: Syntax(positionals: [.init(name: "shape")], variadic: true)
    ) { args throws(SessionError) in .reshape(try shape(args)) },
    LayerEntry(
      name: "dropout", usage: "dropout RATE", help: "zero a fraction RATE of values while training",
      syntax: Syntax(positionals: [.init(name: "rate")])
    ) { args throws(SessionError) in .dropout(rate: try args.float("rate", in: LayerSpec.Limits.dropoutRate)!) },
    LayerEntry(
      name: "batchnorm", aliases: ["bn", "batchnorm2d"], usage: "batchnorm [momentum=0.1] [eps=1e-5]",
      help: "batch normalisation over channels; momentum is PyTorch's (weight of the new batch)",
      syntax: Syntax(options: [
        .init(name: "momentum", help: "weight of the new batch in the running statistics (0.1)"),
        .init(name: "eps", help: "added to the variance (1e-5)"),
      ])
    ) { args throws(SessionError) in
      .batchNorm(
        momentum: try args.float("momentum", in: LayerSpec.Limits.momentum, default: 0.1)!,
        epsilon: try args.float("eps", in: LayerSpec.Limits.epsilon, default: 1e-5)!)
    },
    LayerEntry(
      name: "pack", usage: "pack M",
      help:
        "discriminator only (PacGAN): judge M consecutive samples together, one verdict per pack; see 'help pacgan'",
      syntax: Syntax(positionals: [.init(name: "pack")])
    ) { args throws(SessionError) in .pack(try args.int("pack", in: LayerSpec.Limits.pack)!) },
    LayerEntry(
      name: "mbstd", aliases: ["minibatchstd", "minibatch-stddev"], usage: "mbstd [group=4]",
      help:
        "discriminator only (Progressive GANs): one channel more, how much each group of samples differs; see 'help concept mbstd'",
      syntax: Syntax(options: [.init(name: "group", help: "samples per group (4)")])
    ) { args throws(SessionError) in
      .minibatchStdDev(group: try args.int("group", in: LayerSpec.Limits.group, default: 4)!)
    },
  ]

  /// `layer`, spectrally normalised when the line has the flag `sn`.
  private static func spectral(_ layer: LayerSpec, _ args: Arguments) throws(SessionError) -> LayerSpec {
    try args.flag("sn") ? .spectralNorm(layer) : layer
  }

  private static func convArguments(_ args: Arguments) throws(SessionError) -> (Int, Int, Int, Padding, Bool) {
    let filters = try args.int("filters", in: LayerSpec.Limits.filters)!
    guard let kernel = try args.int("kernel", in: LayerSpec.Limits.kernel) else {
      throw SessionError(
        .missingArgument("kernel size", usage: "\(args.command) \(filters) kernel=K [stride=S] [padding=same|valid|P]"),
        at: args.location)
    }
    let stride = try args.int("stride", in: LayerSpec.Limits.stride, default: 1)!
    var padding = Padding.valid
    if let t = args.token("padding") {
      switch t.text.lowercased() {
      case "same": padding = .same
      case "valid": padding = .valid
      default:
        let p = try NumberText.whole(
          t, named: "padding", in: LayerSpec.Limits.padding(kernel: kernel),
          expected: "'same', 'valid' or a number from 0 to \(kernel - 1)", at: args.location)
        padding = .explicit(p)
      }
    }
    return (filters, kernel, stride, padding, try args.bool("bias", default: true))
  }

  /// `8x8x128`, `8×8×128` or `8 8 128`: height, width and channels, each from 1 to
  /// 2^24 (checked here, so a product of sizes never wraps round to a legal one).
  private static func shape(_ args: Arguments) throws(SessionError) -> Shape {
    let tokens = [args.token("shape")!] + args.rest
    let parts = tokens.flatMap { $0.text.split(whereSeparator: { "x×,".contains($0) }) }
    let written = tokens.map(\.text).joined(separator: " ")
    let at = args.location.at(column: tokens[0].column)
    let dims = parts.map { Int($0) }
    guard dims.count == 3 else {
      throw SessionError(
        .invalidValue(
          written, for: "shape",
          expected:
            "height, width and channels like 8x8x128"
            + " (\(dims.count) size\(dims.count == 1 ? "" : "s") given; use 'flatten' for a vector)"
        ),
        at: at)
    }
    let limit = LayerSpec.Limits.reshapeSize.upperBound
    guard dims.allSatisfy({ (1...limit).contains($0 ?? 0) }) else {
      if parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) && dims.contains(where: { $0 == nil }) {
        throw SessionError(.tooLarge(written, for: "shape", expected: "sizes from 1 to \(limit), like 8x8x128"), at: at)
      }
      throw SessionError(
        .invalidValue(written, for: "shape", expected: "sizes from 1 to \(limit), like 8x8x128"), at: at)
    }
    return Shape(dims.map { $0! })
  }
}
