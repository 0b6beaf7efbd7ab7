import Layers
import Tensors

/// How the words of the commands that need more than a table lookup become `Command`s.
extension CommandTable {
  static let networkSyntax = Syntax(options: [
    .init(name: "init", help: "glorot (Keras default) or normal (DCGAN)", choices: ["glorot", "normal"]),
    .init(name: "std", help: "standard deviation for init=normal (0.02)"),
  ])

  static func networkHeader(_ args: Arguments) throws(SessionError) -> NetworkDefinition {
    let kind = try args.choice("init", default: "glorot")!
    let std = try args.float("std", in: Initializer.stdRange, default: 0.02)!
    return NetworkDefinition(layers: [], initializer: kind == "glorot" ? .glorot : .normal(std: std))
  }

  /// Topics: a command, a layer, `layers` or `settings`; an unknown one is reported at its word.
  static func helpCommand(_ args: Arguments) throws(SessionError) -> Command {
    guard let token = args.token("topic") else { return .help(topic: nil) }
    if let concept = try conceptCommand(args) { return concept }
    let topics = helpTopics
    guard let topic = topics.first(where: { $0.matches(token.text) }) else {
      throw SessionError(
        .unknownHelpTopic(
          token.text, suggestion: closest(to: token.text, among: topics.map(\.word)),
          concepts: Concepts.all.map(\.name)),
        at: args.location.at(column: token.column))
    }
    return .help(topic: topic.matches("layers") ? "layers" : token.text.lowercased())
  }

  /// `param NAME = VALUE`, or `param NAME=VALUE` as `--set` writes it (one `key=value` token).
  static func paramCommand(_ args: Arguments) throws(SessionError) -> Command {
    let tokens = ([args.token("name"), args.token("value")].compactMap { $0 } + args.rest).sorted {
      $0.column < $1.column
    }
    guard let first = tokens.first else {
      throw SessionError(.missingArgument("name", usage: "param NAME = VALUE"), at: args.location)
    }
    let name = first.key.map { Token(kind: .word, text: $0, column: first.column) } ?? first
    var values = first.key == nil ? Array(tokens.dropFirst()) : tokens
    if first.key == nil && values.first?.text == "=" && values.first?.kind == .word { values.removeFirst() }
    guard values.count == 1 else {
      throw SessionError(
        values.isEmpty
          ? .missingArgument("a value", usage: "param NAME = VALUE")
          : .unexpectedArgument(values[1].text, usage: "param NAME = VALUE"),
        at: args.location.at(column: values.count > 1 ? values[1].column : name.column))
    }
    guard !name.text.isEmpty, name.text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
      throw SessionError(
        .invalidValue(name.text, for: "parameter name", expected: "letters, digits, _ or -"),
        at: args.location.at(column: name.column))
    }
    return .param(name: name.text, value: values[0].text)
  }

  static func setCommand(_ args: Arguments) throws(SessionError) -> Command {
    let nameToken = args.token("name")!
    let names = Setting.Name.allCases.map(\.rawValue)
    guard let name = Setting.Name(rawValue: nameToken.text.lowercased()) else {
      let optimizers = ["lr", "learning-rate", "learning_rate", "beta1", "beta2", "eps", "epsilon", "momentum"]
      if optimizers.contains(nameToken.text.lowercased()) {
        throw SessionError(
          .optimizerOption(nameToken.text, value: args.token("value")?.text ?? "…"),
          at: args.location.at(column: nameToken.column))
      }
      throw SessionError(
        .unknownOption(
          nameToken.text, command: "set", suggestion: closest(to: nameToken.text, among: names), known: names),
        at: args.location.at(column: nameToken.column))
    }
    let setting = try name.value(args.token("value")!, at: args.location)
    guard let layers = args.token("layers") else { return .set(setting) }
    guard case .emaWarmup(let k, _) = setting else {
      throw SessionError(
        .inapplicableOption("layers", to: "set \(name.rawValue)", applicable: []),
        at: args.location.at(column: layers.column))
    }
    return .set(.emaWarmup(k, layers: try layerRange(layers, at: args.location)), layersColumn: layers.column)
  }

  /// `layers=A..B` or `layers=N`: layer indices as `summary` numbers them, A ≤ B.
  static func layerRange(_ token: Token, at location: SourceLocation) throws(SessionError) -> ClosedRange<Int> {
    let expected =
      "a layer index or a range of them, as 'summary generator' numbers them (2, 0..1)"
      + (token.text.contains(":") ? "; both ends included: Python's 0:2 is 0..1 here" : "")
    let ends = token.text.components(separatedBy: "..")
    guard ends.count <= 2 else {
      throw SessionError(
        .invalidValue(token.text, for: "layers", expected: expected), at: location.at(column: token.column))
    }
    let bounds = try ends.map { end throws(SessionError) in
      var part = token
      part.text = end
      return try NumberText.whole(
        part, named: "layers", in: Setting.Name.layerIndices, expected: expected, at: location)
    }
    guard bounds[0] <= bounds[bounds.count - 1] else {
      throw SessionError(
        .invalidValue(token.text, for: "layers", expected: "a range from the lower index to the higher (0..1)"),
        at: location.at(column: token.column))
    }
    return bounds[0]...bounds[bounds.count - 1]
  }

  static func dataCommand(_ args: Arguments) throws(SessionError) -> Command {
    let source = args.token("source")!
    var spec: DataSpec
    let builtinData = dataSources.map(\.word)
    let builtin = (source.kind == .word || source.fromParameter) && builtinData.contains(source.text.lowercased())
    if !builtin && (source.kind == .string || source.text.contains("/") || source.text.contains(".")) {
      spec = DataSpec(source: .folder(source.text))
    } else if source.text.lowercased() == "faces" {
      spec = DataSpec(source: .faces(count: try args.int("count", in: DataSpec.Limits.faces, default: 2048)!))
    } else if source.text.lowercased() == "ring" {
      spec = DataSpec(source: .ring(count: try args.int("count", in: DataSpec.Limits.points, default: 10_000)!))
    } else if source.text.lowercased() == "grid" {
      spec = DataSpec(source: .grid(count: try args.int("count", in: DataSpec.Limits.points, default: 10_000)!))
    } else {
      throw SessionError(
        .invalidValue(
          source.text, for: "data source",
          expected: "a quoted folder path, 'faces', 'ring' or 'grid'",
          suggestion: closest(to: source.text, among: builtinData)),
        at: args.location.at(column: source.column))
    }
    try checkApplicable(args, to: spec.source)
    spec.size = try args.int("size", in: DataSpec.Limits.size, default: 64)!
    spec.channels = try args.int("channels", in: DataSpec.Limits.channels, default: 3)!
    guard spec.channels != 2 else {
      throw SessionError(
        .invalidValue("2", for: "channels", expected: "1 (gray) or 3 (RGB)"),
        at: args.location.at(column: args.token("channels")!.column))
    }
    spec.range = DataSpec.PixelRange(rawValue: try args.choice("range", default: "0..1")!)!
    spec.resize = DataSpec.Resize(rawValue: try args.choice("resize", default: "squash")!)!
    spec.limit = try args.int("limit", in: DataSpec.Limits.limit)
    spec.flip = try args.flag("flip")
    spec.cache = try args.bool("cache", default: true)
    let batch = try args.int("batch", in: Setting.Name.sizes)
    return .data(spec, batch: batch)
  }

  /// Which of `data`'s options mean something for `source`, as `dataSources` and
  /// `folderSource` declare them.
  static func checkApplicable(_ args: Arguments, to source: DataSpec.Source) throws(SessionError) {
    let (word, what): (String?, String) =
      switch source {
      case .ring: ("ring", "the 2-D toy points")
      case .grid: ("grid", "the 2-D toy points")
      case .faces: ("faces", "the built-in faces")
      case .folder: (nil, "an image folder")
      }
    let applicable = (dataSources.first { $0.word == word } ?? folderSource).options ?? []
    let given = (Array(args.options) + Array(args.flags)).sorted { $0.value.column < $1.value.column }
    for (name, token) in given where !applicable.contains(name) {
      throw SessionError(
        .inapplicableOption(name, to: what, applicable: applicable), at: args.location.at(column: token.column))
    }
  }

  /// A path a grid is written to: PNG, said by its name.
  static func gridPath(_ token: Token, at location: SourceLocation) throws(SessionError) -> String {
    try picturePath(token, of: "grid", at: location)
  }

  static func optimizerCommand(_ args: Arguments) throws(SessionError) -> Command {
    let first = args.token("first")!
    var roles = NetworkRole.allCases
    var kind: Token? = first
    if let role = NetworkRole(rawValue: first.text.lowercased()) {
      roles = [role]
      kind = args.token("kind")
    } else if first.text.lowercased() == "both" {
      kind = args.token("kind")
    }
    guard let kindToken = kind else {
      throw SessionError(
        .missingArgument("the optimiser (adam or sgd)", usage: "optimizer [generator|discriminator] adam|sgd [lr=…]"),
        at: args.location)
    }
    let known = ["adam": ["lr", "beta1", "beta2", "eps"], "sgd": ["lr", "momentum"]]
    if let names = known[kindToken.text.lowercased()],
      let (key, token) = args.options.sorted(by: { $0.value.column < $1.value.column }).first(where: {
        !names.contains($0.key)
      })
    {
      // `optimizer sgd beta1=0.5`: the other optimiser's option, which this one would ignore.
      throw SessionError(
        .unknownOption(
          key, command: "optimizer \(kindToken.text.lowercased())", suggestion: closest(to: key, among: names),
          known: names),
        at: args.location.at(column: token.column))
    }
    switch kindToken.text.lowercased() {
    case "adam":
      return .optimizer(
        roles,
        .adam(
          learningRate: try args.float("lr", in: OptimizerSpec.Limits.learningRate, default: 1e-3)!,
          beta1: try args.float("beta1", in: OptimizerSpec.Limits.beta, default: 0.9)!,
          beta2: try args.float("beta2", in: OptimizerSpec.Limits.beta, default: 0.999)!,
          epsilon: try args.float("eps", in: OptimizerSpec.Limits.epsilon, default: 1e-7)!),
        given: Set(args.options.keys))
    case "sgd":
      return .optimizer(
        roles,
        .sgd(
          learningRate: try args.float("lr", in: OptimizerSpec.Limits.learningRate, default: 1e-2)!,
          momentum: try args.float("momentum", in: OptimizerSpec.Limits.momentum, default: 0)!),
        given: Set(args.options.keys))
    default:
      throw SessionError(
        .invalidValue(
          kindToken.text, for: "optimizer", expected: "adam or sgd, after an optional generator/discriminator",
          suggestion: closest(to: kindToken.text, among: optimizerChoices.map(\.word))),
        at: args.location.at(column: kindToken.column))
    }
  }

  static func roles(_ args: Arguments, _ name: String) throws(SessionError) -> [NetworkRole] {
    guard let role = try args.choice(name) else { return NetworkRole.allCases }
    return [NetworkRole(rawValue: role)!]
  }

  static func everyCommand(_ args: Arguments) throws(SessionError) -> Command {
    let usage =
      "every N [steps|batches|epochs] sample COUNT [PATH] | every N [steps|batches|epochs] save PATH | every off [N]"
    let first = args.token("count")!
    if first.text.lowercased() == "off" { return try everyOffCommand(args, usage: usage) }
    let n = try args.int("count", in: EveryRule.periods)!
    // The words after N in order, however the binder named them.
    var rest = (args.positionals.values.filter { $0.column != first.column } + args.rest).sorted {
      $0.column < $1.column
    }
    var period = Period.steps(n)
    var unitGiven = false
    if let token = rest.first, let unit = everyUnits.first(where: { $0.matches(token.text) })?.word {
      period = unit == "epochs" ? .epochs(n) : unit == "batches" ? .batches(n) : .steps(n)
      rest.removeFirst()
      unitGiven = true
    }
    guard let action = rest.first else {
      throw SessionError(.missingArgument("an action (sample or save)", usage: usage), at: args.location)
    }
    switch action.text.lowercased() {
    case "sample":
      guard rest.count >= 2 else {
        throw SessionError(
          .missingArgument("a COUNT to sample", usage: usage), at: args.location.at(column: action.column))
      }
      let count = try NumberText.whole(rest[1], named: "count", in: EveryRule.sampleCounts, at: args.location)
      // The PATH is optional: without one the grid is a flip-book in the terminal.
      let hasPath = rest.count > 2 && rest[2].key == nil
      let path = hasPath ? try gridPath(rest[2], at: args.location) : nil
      let options = rest.dropFirst(hasPath ? 3 : 2)
      var train = false
      if let mode = options.first {
        guard options.count == 1, mode.key == "mode", ["eval", "train"].contains(mode.text.lowercased()) else {
          throw SessionError(
            .invalidValue(
              options.map { ($0.key.map { $0 + "=" } ?? "") + $0.text }.joined(separator: " "), for: "sample",
              expected: "COUNT (1–\(SamplingLimits.maximum)), an optional PATH and optionally mode=eval|train"),
            at: args.location.at(column: mode.column))
        }
        train = mode.text.lowercased() == "train"
      }
      return .every(EveryRule(period: period, action: .sample(count: count, path: path, batchStatistics: train)))
    case "save":
      guard rest.count == 2 else {
        throw SessionError(
          .missingArgument("a PATH to save to", usage: usage), at: args.location.at(column: action.column))
      }
      return .every(EveryRule(period: period, action: .save(path: rest[1].text)))
    default:
      // After N comes a unit or an action; after a unit, only an action.
      let words = (unitGiven ? [] : everyUnits.map(\.word)) + everyActions.map(\.word)
      let suggestion = closest(to: action.text, among: words)
      throw SessionError(
        unitGiven
          ? .invalidValue(action.text, for: "action", expected: "sample or save", suggestion: suggestion)
          : .invalidValue(
            action.text, for: "unit or action",
            expected: "a unit (steps, batches or epochs) or an action (sample or save)", suggestion: suggestion),
        at: args.location.at(column: action.column))
    }
  }

  /// `show data [COUNT [PATH]]`, `show settings`, `show history [N] [PATH]`, `show params`: the
  /// words after the topic are named as `showTopics` declares them.
  static func showCommand(_ args: Arguments) throws(SessionError) -> Command {
    switch try args.choice("topic")! {
    case "data":
      guard args.token("count") != nil else { return .show(.dataSummary) }
      let count = try args.int("count", in: 1...SamplingLimits.maximum)!
      let path = try args.token("path").map { token throws(SessionError) in try gridPath(token, at: args.location) }
      return .show(.data(count: count, path: path))
    case "history":
      // A path alone (`show history "h.csv"`): the whole history to the file.
      if let only = args.token("count"), args.token("path") == nil, Int(only.text) == nil,
        only.kind == .string || only.text.contains("/") || only.text.lowercased().hasSuffix(".csv")
      {
        return .show(.historyFile(last: 1_000_000, path: try csvPath(only, at: args.location)))
      }
      let last = try args.int("count", in: 1...1_000_000, default: 10)!
      guard let path = args.token("path") else { return .show(.history(last: last)) }
      return .show(.historyFile(last: last, path: try csvPath(path, at: args.location)))
    case "params":
      return .show(.params)
    case "gradients":
      return .show(.gradients)
    case "diagnoses":
      return .show(.diagnoses)
    case "every":
      return .show(.every)
    case "generator":
      return .show(.paths(.generator))
    case "discriminator":
      return .show(.paths(.discriminator))
    default:
      return .show(.settings)
    }
  }
}
