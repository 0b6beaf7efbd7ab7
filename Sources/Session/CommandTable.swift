import Layers
import Tensors

/// A command of the notebook language: its name, usage, help, and how its words become a
/// `Command`. The table is what the parser, `help` and completion all read.
struct CommandEntry: Sendable {
  var name: String
  var aliases: [String] = []
  var usage: String
  var summary: String
  var help: String
  var syntax: Syntax
  var build: @Sendable (Arguments) throws(SessionError) -> Command
}

enum CommandTable {
  static let entries: [CommandEntry] = [
    CommandEntry(
      name: "help", aliases: ["?"], usage: "help [COMMAND | layers | settings]",
      summary: "list commands, or explain one",
      help: "help alone lists the commands; 'help train' explains one; 'help layers' lists the layers.",
      syntax: Syntax(positionals: [.init(name: "topic", optional: true)])
    ) { args throws(SessionError) in .help(topic: args.text("topic")?.lowercased()) },
    CommandEntry(
      name: "param", usage: "param NAME = VALUE",
      summary: "declare a notebook parameter with a default",
      help: """
        Declares $NAME for the lines that follow, unless the command line already set it with
        --set NAME=VALUE. Use it as a word ($data) or inside a string ("${run}/grid.png").
        Example: param data = "../shared/data/img_align_celeba"
        """,
      syntax: Syntax(positionals: [.init(name: "name"), .init(name: "value")], variadic: true)
    ) { args throws(SessionError) in try paramCommand(args) },
    CommandEntry(
      name: "set", usage: "set NAME VALUE", summary: "change a setting (see 'help settings')",
      help: "Settings: " + Setting.Name.allCases.map { "\($0.rawValue) — \($0.help)" }.joined(separator: "; "),
      syntax: Syntax(positionals: [.init(name: "name"), .init(name: "value")])
    ) { args throws(SessionError) in try setCommand(args) },
    CommandEntry(
      name: "data", usage: "data PATH|faces|ring|grid [size=64] [channels=3] [range=0..1|-1..1] [resize=squash|crop] [limit=N] [flip] [cache=false] [batch=N] [count=N]",
      summary: "load an image folder (JPEG/PNG), the built-in faces, or 2-D toy points",
      help: """
        Loads every .jpg/.jpeg/.png under PATH (recursively), resized to size×size with
        `resize` (squash: like Keras; crop: shorter side then centre crop, like PyTorch),
        as `channels` (1 gray or 3 RGB), scaled to `range`; unreadable files are skipped and
        named. The decoded images are cached (~/.cache/ganrepl), so the next load of the same
        folder takes about a second; cache=false skips the cache. `flip` mirrors half the
        images at random each epoch. 'faces' draws built-in faces (count=N, default 2048) so
        you can start without a download; 'ring' (8 Gaussians) and 'grid' (25) are 2-D points
        for watching mode collapse (count=N, default 10000). batch=N sets the batch size.
        """,
      syntax: Syntax(
        positionals: [.init(name: "source")],
        options: [
          .init(name: "size", help: "side of the square images (64)"),
          .init(name: "channels", help: "1 (gray) or 3 (RGB) (3)"),
          .init(name: "range", help: "0..1 or -1..1 (0..1)"),
          .init(name: "resize", help: "squash or crop (squash)"),
          .init(name: "limit", help: "use only the first N files"),
          .init(name: "flip", isFlag: true, help: "mirror half the images at random each epoch"),
          .init(name: "cache", help: "use and keep the decoded-image cache (true)"),
          .init(name: "batch", help: "images per step"),
          .init(name: "count", help: "how many built-in faces (2048) or points (10000)"),
        ])
    ) { args throws(SessionError) in try dataCommand(args) },
    CommandEntry(
      name: "generator", usage: "generator [init=glorot|normal] [std=0.02] … end",
      summary: "define the generator, one layer per line, closed by 'end'",
      help: """
        Starts a block of layers (see 'help layers') closed by 'end'. The input is the noise z
        (size 'latent'); a first conv/deconv layer sees it as 1×1×latent. init=glorot is
        Keras's default; init=normal draws N(0, std²) like the DCGAN paper.
        """,
      syntax: networkSyntax
    ) { args throws(SessionError) in .network(.generator, try networkHeader(args)) },
    CommandEntry(
      name: "discriminator", usage: "discriminator [init=glorot|normal] [std=0.02] … end",
      summary: "define the discriminator, one layer per line, closed by 'end'",
      help: """
        Starts a block of layers closed by 'end'. The input is an image (the data's
        size×size×channels); the output must be one score per image (dense 1, then sigmoid
        for bce).
        """,
      syntax: networkSyntax
    ) { args throws(SessionError) in .network(.discriminator, try networkHeader(args)) },
    CommandEntry(
      name: "loss", usage: "loss bce|mse", summary: "choose the GAN loss",
      help: "bce: binary cross-entropy (DCGAN); mse: least squares (LSGAN).",
      syntax: Syntax(positionals: [.init(name: "kind")])
    ) { args throws(SessionError) in
      .loss(Loss(rawValue: try args.choice("kind", Loss.allCases.map(\.rawValue))!)!)
    },
    CommandEntry(
      name: "optimizer", usage: "optimizer [generator|discriminator] adam|sgd [lr=…] [beta1=…] [beta2=…] [eps=…] [momentum=…]",
      summary: "choose each network's optimiser",
      help: """
        Applies to both networks unless one is named. Adam defaults are Keras's (lr 0.001,
        beta1 0.9, beta2 0.999, eps 1e-7); sgd takes lr and momentum. Changing only the
        learning rate mid-training keeps the optimiser's state.
        """,
      syntax: Syntax(
        positionals: [.init(name: "first"), .init(name: "second", optional: true)],
        options: [
          .init(name: "lr", help: "learning rate"), .init(name: "beta1", help: "Adam β1 (0.9)"),
          .init(name: "beta2", help: "Adam β2 (0.999)"), .init(name: "eps", help: "Adam ε (1e-7)"),
          .init(name: "momentum", help: "SGD momentum (0)"),
        ])
    ) { args throws(SessionError) in try optimizerCommand(args) },
    CommandEntry(
      name: "summary", usage: "summary [generator|discriminator]",
      summary: "table of layers, output shapes and parameter counts",
      help: "Shows each layer, its output shape and parameters, like Keras's model.summary().",
      syntax: Syntax(positionals: [.init(name: "network", optional: true)])
    ) { args throws(SessionError) in .summary(try roles(args, "network")) },
    CommandEntry(
      name: "step", usage: "step [N]", summary: "train N batches (1), printing each",
      help: "Runs N training steps, printing D loss, G loss, D(x) and D(G(z)) for each.",
      syntax: Syntax(positionals: [.init(name: "count", optional: true)])
    ) { args throws(SessionError) in .step(count: try args.int("count", in: 1...1_000_000_000, default: 1)!) },
    CommandEntry(
      name: "train", usage: "train N [epochs|steps]",
      summary: "train N epochs (or steps) with a progress bar",
      help: "Trains with a progress bar, then prints the averages. Ctrl-C stops after the current step.",
      syntax: Syntax(positionals: [.init(name: "count"), .init(name: "unit", optional: true)])
    ) { args throws(SessionError) in
      let n = try args.int("count", in: 1...1_000_000_000)!
      let unit = try args.choice("unit", ["epoch", "epochs", "step", "steps"], default: "epochs")!
      return .train(unit.hasPrefix("epoch") ? .epochs(n) : .steps(n))
    },
    CommandEntry(
      name: "every", usage: "every N [steps|epochs] sample COUNT PATH | every N [steps|epochs] save PATH | every off",
      summary: "during training, sample or save periodically",
      help: """
        Adds a rule that runs while training: 'every 100 sample 16 "out/{epoch}_{index}.png"'
        writes a grid every 100 steps; {epoch}, {step} and {index} (batch in the epoch) are
        filled in. 'every 1 epoch save "runs/x"' saves the session. 'every off' clears the rules.
        """,
      syntax: Syntax(positionals: [.init(name: "count")], variadic: true)
    ) { args throws(SessionError) in try everyCommand(args) },
    CommandEntry(
      name: "sample", usage: "sample COUNT PATH [fresh] [mode=eval|train]",
      summary: "write a grid of generated images (PNG)",
      help: """
        Generates COUNT images (1–4096) from the session's fixed noise, so grids are comparable
        over time; 'fresh' draws new noise. mode=eval (default, like Keras's training=False)
        uses BatchNorm's running statistics; mode=train uses the batch's, as the PyTorch
        DCGAN example's samples do.
        """,
      syntax: Syntax(
        positionals: [.init(name: "count"), .init(name: "path")],
        options: [
          .init(name: "fresh", isFlag: true, help: "use new noise instead of the fixed noise"),
          .init(name: "mode", help: "eval (running statistics) or train (batch statistics)"),
        ])
    ) { args throws(SessionError) in
      .sample(
        count: try args.int("count", in: 1...SamplingLimits.maximum)!, path: args.text("path")!, fresh: args.has("fresh"),
        batchStatistics: try args.choice("mode", ["eval", "train"], default: "eval") == "train")
    },
    CommandEntry(
      name: "show", usage: "show data COUNT PATH | show settings | show history [N] | show params",
      summary: "show real images, settings, the loss history or parameters",
      help: "'show data 16 \"real.png\"' writes a grid of real images; 'show history 20' lists the last 20 steps.",
      syntax: Syntax(positionals: [.init(name: "topic"), .init(name: "a", optional: true), .init(name: "b", optional: true)])
    ) { args throws(SessionError) in try showCommand(args) },
    CommandEntry(
      name: "save", usage: "save PATH", summary: "save the whole session to a folder",
      help: "Saves networks, optimiser state, random state, counters and history, so 'load' continues exactly where this stopped.",
      syntax: Syntax(positionals: [.init(name: "path")])
    ) { args throws(SessionError) in .save(path: args.text("path")!) },
    CommandEntry(
      name: "load", usage: "load PATH", summary: "load a saved session",
      help: "Replaces the current session with a saved one and reloads its data.",
      syntax: Syntax(positionals: [.init(name: "path")])
    ) { args throws(SessionError) in .load(path: args.text("path")!) },
    CommandEntry(
      name: "bench", usage: "bench [tutorial|dcgan|all] [steps=N] | bench data PATH [size=64] [channels=3] [resize=squash|crop] [steps=N]",
      summary: "measure training or data-loading speed",
      help: """
        Times training steps of the tutorial's networks (batch 32) and the classic DCGAN's
        (batch 64) on a random batch in memory, and reports images/s, GFLOP/s, the share of
        this machine's sgemm speed (measured in the same run), per-layer forward and backward
        times, threads, the BLAS kernels, peak memory and tensor allocations per step.
        'bench data PATH' loads a folder without a cache and again from the cache it wrote
        (then deletes it), reports files/s, seconds and peak memory, and trains the tutorial's
        networks on it for N steps to measure how long steps wait for data. The current
        session is not touched.
        """,
      syntax: Syntax(
        positionals: [.init(name: "which", optional: true), .init(name: "path", optional: true)],
        options: [
          .init(name: "steps", help: "timed steps (5; bench data: 8)"),
          .init(name: "size", help: "bench data: image side (64)"),
          .init(name: "channels", help: "bench data: 1 or 3 (3)"),
          .init(name: "resize", help: "bench data: squash or crop (squash)"),
        ])
    ) { args throws(SessionError) in
      let which = try args.choice("which", ["tutorial", "dcgan", "all", "data"], default: "all")!
      if which == "data" {
        guard let path = args.text("path") else {
          throw SessionError(.missingArgument("the folder to load", usage: "bench data PATH [size=64] [steps=N]"), at: args.location)
        }
        var spec = DataSpec(source: .folder(path))
        spec.size = try args.int("size", in: 4...1024, default: 64)!
        spec.channels = try args.int("channels", in: 1...3, default: 3)!
        spec.resize = DataSpec.Resize(rawValue: try args.choice("resize", DataSpec.Resize.allCases.map(\.rawValue), default: "squash")!)!
        return .benchData(spec, steps: try args.int("steps", in: 2...10_000, default: 8)!)
      }
      let architectures = which == "all" ? BenchmarkArchitecture.allCases : [BenchmarkArchitecture(rawValue: which)!]
      return .bench(architectures, steps: try args.int("steps", in: 1...10_000, default: 5)!)
    },
    CommandEntry(
      name: "reset", usage: "reset", summary: "forget the networks and training, keep data and settings",
      help: "Drops both networks, their optimisers, counters and history, so they can be defined again.",
      syntax: Syntax()
    ) { _ throws(SessionError) in .reset },
    CommandEntry(
      name: "quit", aliases: ["exit"], usage: "quit", summary: "leave ganrepl",
      help: "Leaves the REPL (Ctrl-D does too). Unsaved training is lost.", syntax: Syntax()
    ) { _ throws(SessionError) in .quit },
  ]

  static var names: [String] { entries.map(\.name) }

  static func entry(named name: String) -> CommandEntry? {
    let lowered = name.lowercased()
    return entries.first { $0.name == lowered || $0.aliases.contains(lowered) }
  }

  static let networkSyntax = Syntax(options: [
    .init(name: "init", help: "glorot (Keras default) or normal (DCGAN)"),
    .init(name: "std", help: "standard deviation for init=normal (0.02)"),
  ])

  private static func networkHeader(_ args: Arguments) throws(SessionError) -> NetworkDefinition {
    let kind = try args.choice("init", ["glorot", "normal"], default: "glorot")!
    let std = try args.float("std", in: 0...10, default: 0.02)!
    return NetworkDefinition(layers: [], initializer: kind == "glorot" ? .glorot : .normal(std: std))
  }

  private static func paramCommand(_ args: Arguments) throws(SessionError) -> Command {
    let name = args.token("name")!
    var values = [args.token("value")!] + args.rest
    if values.first?.text == "=" && values.first?.kind == .word { values.removeFirst() }
    guard values.count == 1 else {
      throw SessionError(
        values.isEmpty
          ? .missingArgument("a value", usage: "param NAME = VALUE")
          : .unexpectedArgument(values[1].text, usage: "param NAME = VALUE"),
        at: args.location.at(column: values.count > 1 ? values[1].column : name.column))
    }
    guard name.text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
      throw SessionError(
        .invalidValue(name.text, for: "parameter name", expected: "letters, digits, _ or -"),
        at: args.location.at(column: name.column))
    }
    return .param(name: name.text, value: values[0].text)
  }

  private static func setCommand(_ args: Arguments) throws(SessionError) -> Command {
    let nameToken = args.token("name")!
    let names = Setting.Name.allCases.map(\.rawValue)
    guard let name = Setting.Name(rawValue: nameToken.text.lowercased()) else {
      throw SessionError(
        .unknownOption(nameToken.text, command: "set", suggestion: closest(to: nameToken.text, among: names), known: names),
        at: args.location.at(column: nameToken.column))
    }
    let valueToken = args.token("value")!
    guard let setting = name.value(valueToken.text) else {
      throw SessionError(
        .invalidValue(valueToken.text, for: name.rawValue, expected: name.expected),
        at: args.location.at(column: valueToken.column))
    }
    return .set(setting)
  }

  static let builtinData = ["faces", "ring", "grid"]

  private static func dataCommand(_ args: Arguments) throws(SessionError) -> Command {
    let source = args.token("source")!
    var spec: DataSpec
    let builtin = (source.kind == .word || source.fromParameter) && builtinData.contains(source.text.lowercased())
    if !builtin && (source.kind == .string || source.text.contains("/") || source.text.contains(".")) {
      spec = DataSpec(source: .folder(source.text))
    } else if source.text.lowercased() == "faces" {
      spec = DataSpec(source: .faces(count: try args.int("count", in: 1...1_000_000, default: 2048)!))
    } else if source.text.lowercased() == "ring" {
      spec = DataSpec(source: .ring(count: try args.int("count", in: 1...10_000_000, default: 10_000)!))
    } else if source.text.lowercased() == "grid" {
      spec = DataSpec(source: .grid(count: try args.int("count", in: 1...10_000_000, default: 10_000)!))
    } else {
      throw SessionError(
        .invalidValue(source.text, for: "data source", expected: "a quoted folder path, 'faces', 'ring' or 'grid'"
          + (closest(to: source.text, among: builtinData).map { " (did you mean '\($0)'?)" } ?? "")),
        at: args.location.at(column: source.column))
    }
    spec.size = try args.int("size", in: 4...1024, default: 64)!
    spec.channels = try args.int("channels", in: 1...3, default: 3)!
    guard spec.channels != 2 else {
      throw SessionError(.invalidValue("2", for: "channels", expected: "1 (gray) or 3 (RGB)"), at: args.location.at(column: args.token("channels")!.column))
    }
    spec.range = DataSpec.PixelRange(rawValue: try args.choice("range", DataSpec.PixelRange.allCases.map(\.rawValue), default: "0..1")!)!
    spec.resize = DataSpec.Resize(rawValue: try args.choice("resize", DataSpec.Resize.allCases.map(\.rawValue), default: "squash")!)!
    spec.limit = try args.int("limit", in: 1...100_000_000)
    spec.flip = args.has("flip")
    spec.cache = try args.bool("cache", default: true)
    let batch = try args.int("batch", in: 1...4096)
    return .data(spec, batch: batch)
  }

  private static func optimizerCommand(_ args: Arguments) throws(SessionError) -> Command {
    var tokens = [args.token("first")!] + (args.token("second").map { [$0] } ?? [])
    var roles = NetworkRole.allCases
    if let role = NetworkRole.allCases.first(where: { $0.rawValue == tokens[0].text.lowercased() }) {
      roles = [role]
      tokens.removeFirst()
    } else if tokens[0].text.lowercased() == "both" {
      tokens.removeFirst()
    }
    guard let kindToken = tokens.first else {
      throw SessionError(.missingArgument("the optimiser (adam or sgd)", usage: "optimizer [generator|discriminator] adam|sgd [lr=…]"), at: args.location)
    }
    if tokens.count > 1 {
      throw SessionError(.unexpectedArgument(tokens[1].text, usage: "optimizer [generator|discriminator] adam|sgd [lr=…]"), at: args.location.at(column: tokens[1].column))
    }
    switch kindToken.text.lowercased() {
    case "adam":
      return .optimizer(roles, .adam(
        learningRate: try args.float("lr", in: 0...10, default: 1e-3)!,
        beta1: try args.float("beta1", in: 0...0.999999, default: 0.9)!,
        beta2: try args.float("beta2", in: 0...0.999999, default: 0.999)!,
        epsilon: try args.float("eps", in: 0...1, default: 1e-7)!))
    case "sgd":
      return .optimizer(roles, .sgd(
        learningRate: try args.float("lr", in: 0...10, default: 1e-2)!,
        momentum: try args.float("momentum", in: 0...0.999999, default: 0)!))
    default:
      let suggestion = closest(to: kindToken.text, among: ["adam", "sgd", "generator", "discriminator"])
      throw SessionError(
        .invalidValue(kindToken.text, for: "optimizer", expected: "adam or sgd, after an optional generator/discriminator"
          + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")),
        at: args.location.at(column: kindToken.column))
    }
  }

  private static func roles(_ args: Arguments, _ name: String) throws(SessionError) -> [NetworkRole] {
    guard let role = try args.choice(name, NetworkRole.allCases.map(\.rawValue)) else { return NetworkRole.allCases }
    return [NetworkRole(rawValue: role)!]
  }

  private static func everyCommand(_ args: Arguments) throws(SessionError) -> Command {
    let usage = "every N [steps|epochs] sample COUNT PATH | every N [steps|epochs] save PATH | every off"
    let first = args.token("count")!
    if first.text.lowercased() == "off" && args.rest.isEmpty { return .every(nil) }
    let n = try args.int("count", in: 1...1_000_000_000)!
    var rest = args.rest
    var period = Period.steps(n)
    if let unit = rest.first?.text.lowercased(), ["step", "steps", "epoch", "epochs"].contains(unit) {
      period = unit.hasPrefix("epoch") ? .epochs(n) : .steps(n)
      rest.removeFirst()
    }
    guard let action = rest.first else {
      throw SessionError(.missingArgument("an action (sample or save)", usage: usage), at: args.location)
    }
    switch action.text.lowercased() {
    case "sample":
      let train = rest.count == 4 && rest[3].key == "mode" && rest[3].text.lowercased() == "train"
      let eval = rest.count == 4 && rest[3].key == "mode" && rest[3].text.lowercased() == "eval"
      guard rest.count == 3 || train || eval, let count = Int(rest[1].text), (1...SamplingLimits.maximum).contains(count) else {
        throw SessionError(.invalidValue(rest.dropFirst().map(\.text).joined(separator: " "), for: "sample", expected: "COUNT (1–\(SamplingLimits.maximum)), a PATH and optionally mode=eval|train"), at: args.location.at(column: action.column))
      }
      return .every(EveryRule(period: period, action: .sample(count: count, path: rest[2].text, batchStatistics: train)))
    case "save":
      guard rest.count == 2 else {
        throw SessionError(.missingArgument("a PATH to save to", usage: usage), at: args.location.at(column: action.column))
      }
      return .every(EveryRule(period: period, action: .save(path: rest[1].text)))
    default:
      throw SessionError(
        .invalidValue(action.text, for: "action", expected: "sample or save"
          + (closest(to: action.text, among: ["sample", "save"]).map { " (did you mean '\($0)'?)" } ?? "")),
        at: args.location.at(column: action.column))
    }
  }

  private static func showCommand(_ args: Arguments) throws(SessionError) -> Command {
    let topic = try args.choice("topic", ["data", "settings", "history", "params"])!
    switch topic {
    case "data":
      guard let countToken = args.token("a"), let path = args.text("b") else {
        throw SessionError(.missingArgument("COUNT and PATH", usage: "show data COUNT PATH"), at: args.location)
      }
      guard let count = Int(countToken.text), (1...SamplingLimits.maximum).contains(count) else {
        throw SessionError(.invalidValue(countToken.text, for: "count", expected: "a whole number from 1 to \(SamplingLimits.maximum)"), at: args.location.at(column: countToken.column))
      }
      return .show(.data(count: count, path: path))
    case "history":
      return .show(.history(last: try args.int("a", in: 1...1_000_000, default: 10)!))
    case "params":
      return .show(.params)
    default:
      return .show(.settings)
    }
  }
}

/// How many samples one grid or plot may hold: as many as the fixed noise has.
enum SamplingLimits {
  static let maximum = 4096
}
