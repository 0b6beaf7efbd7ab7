/// The words the commands' positionals take, declared once: the binder reads them
/// (`Arguments.choice`), completion offers them, and a word may decide what follows it.
extension CommandTable {
  typealias Choice = Syntax.Choice
  typealias Positional = Syntax.Positional

  /// `help`: a command, a layer, `layers` or `settings`, a setting (`help ema`), or a word
  /// a command takes first (`help swd`: `eval`'s).
  static var helpTopics: [Choice] {
    entries.map { Choice($0.name, aliases: $0.aliases) }
      + LayerTable.entries.map { Choice($0.name, aliases: $0.aliases) }
      + [Choice("layers", aliases: ["layer"]), Choice("settings")] + conceptTopics
      + Setting.Name.allCases.map { Choice($0.rawValue) } + firstWords.map { Choice($0.word) }
  }

  /// The words commands take first that name no command, layer or setting, with the
  /// command that takes each (`swd`: `eval`; `ring`: `data`).
  static var firstWords: [(word: String, entry: CommandEntry)] {
    let taken = Set(names + LayerTable.names + Setting.Name.allCases.map(\.rawValue) + ["layers", "settings"])
    var seen = taken
    var found: [(String, CommandEntry)] = []
    for entry in entries where entry.name != "help" {  // help's words are these topics
      for choice in entry.syntax.positionals.first?.words() ?? [] where !seen.contains(choice.word) {
        seen.insert(choice.word)
        found.append((choice.word, entry))
      }
    }
    return found
  }

  /// `set`: a setting's name, then its value (a word for the settings that take words).
  static let settingChoices: [Choice] = Setting.Name.allCases.map { name in
    Choice(
      name.rawValue, then: [Positional(name: "value", choices: name.words.map { Choice($0) })],
      options: name == .emaWarmup ? ["layers"] : [])
  }

  /// `data`: the built-in sources and the options that mean something for each. Toy points
  /// have no pixels; built-in faces take every image option (a notebook written for a
  /// folder runs with `--set data=faces`; they are drawn at their size, so resize and cache
  /// change nothing) but count replaces limit.
  static let dataSources: [Choice] = [
    Choice("faces", options: ["count", "size", "channels", "range", "resize", "flip", "cache", "batch"]),
    Choice("ring", options: ["count", "batch"]),
    Choice("grid", options: ["count", "batch"]),
  ]

  /// `data PATH`: a folder has what it has, so no count.
  static let folderSource = Choice(
    "PATH", options: ["size", "channels", "range", "resize", "limit", "flip", "cache", "batch"])

  /// `optimizer`: an optional network, then the optimiser with its own options.
  static let optimizerKinds: [Choice] = [
    Choice("adam", then: [], options: ["lr", "beta1", "beta2", "eps"]),
    Choice("sgd", then: [], options: ["lr", "momentum"]),
  ]

  static let optimizerChoices: [Choice] =
    (NetworkRole.allCases.map(\.rawValue) + ["both"]).map {
      Choice($0, then: [Positional(name: "kind", optional: true, choices: optimizerKinds)])
    } + optimizerKinds

  /// `every N [unit] action …` or `every off [N]`.
  static let everyActions: [Choice] = [
    Choice("sample", then: [Positional(name: "samples", optional: true), Positional(name: "path", optional: true)]),
    Choice("save", then: [Positional(name: "path", optional: true)]),
  ]

  static let everyUnits: [Choice] = [("steps", "step"), ("batches", "batch"), ("epochs", "epoch")].map {
    Choice($0.0, aliases: [$0.1], then: [Positional(name: "action", optional: true, choices: everyActions)])
  }

  static let everyPositionals: [Positional] = [
    Positional(name: "count", choices: [Choice("off", then: [Positional(name: "rule", optional: true)])]),
    Positional(name: "unit", optional: true, choices: everyUnits + everyActions),
  ]

  /// `show data [COUNT [PATH]] | show settings | show history [N] [PATH] | show params | show gradients | show diagnoses`.
  static let showTopics: [Choice] = [
    Choice("data", then: [Positional(name: "count", optional: true), Positional(name: "path", optional: true)]),
    Choice("settings", then: []),
    Choice("history", then: [Positional(name: "count", optional: true), Positional(name: "path", optional: true)]),
    Choice("params", then: []),
    Choice("gradients", then: []),
    Choice("diagnoses", then: []),
    Choice("every", then: []),
    Choice("generator", then: []),
    Choice("discriminator", then: []),
  ]

  /// `bench [tutorial|dcgan|all] | bench data PATH`: the image options are for `data`.
  static let benchChoices: [Choice] =
    (BenchmarkArchitecture.allCases.map(\.rawValue) + ["all"]).map { Choice($0, then: [], options: ["steps"]) }
    + [
      Choice(
        "data", then: [Positional(name: "path", optional: true)], options: ["steps", "size", "channels", "resize"])
    ]
}
