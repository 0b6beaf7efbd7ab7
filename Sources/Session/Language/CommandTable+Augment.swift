import Layers

/// `augment color translation cutout` / `augment off`: the words of `augment`.
extension CommandTable {
  static let augmentWords = Augmentation.allCases.map(\.rawValue) + ["off"]

  static let augmentEntry = CommandEntry(
    name: "augment", usage: "augment color|translation|cutout … | augment off",
    summary: "transform every image D sees, real and fake, differentiably (DiffAugment)",
    help: """
      DiffAugment (Zhao et al. 2020): before every pass through D, in the D and the G step
      alike, real images and fakes get the same kind of random change, one draw per image,
      and G's gradient flows back through it. color: brightness ±0.5, saturation ×0–2,
      contrast ×0.5–1.5; translation: a shift of up to 1/8 of the size, zeros shifted in;
      cutout: a square of half the size set to zero. Name any of them, in any order (they
      apply in that order); 'augment off' stops. D never sees an unchanged image, so it
      cannot memorise a small data set; samples are never augmented. Images only.
      """,
    syntax: Syntax(
      positionals: [.init(name: "augmentation", choices: augmentWords.map { .init($0) })], variadic: true)
  ) { args throws(SessionError) in try augmentCommand(args) }

  static func augmentCommand(_ args: Arguments) throws(SessionError) -> Command {
    let tokens = [args.token("augmentation")!] + args.rest
    var policy: Set<Augmentation> = []
    for token in tokens {
      let word = token.text.lowercased()
      if word == "off" && tokens.count == 1 { return .augment([]) }
      guard let augmentation = Augmentation(rawValue: word) else {
        throw SessionError(
          .invalidValue(
            token.text, for: "augmentation",
            expected: "color, translation or cutout (or 'augment off' alone)",
            suggestion: closest(to: word, among: augmentWords)),
          at: args.location.at(column: token.column))
      }
      policy.insert(augmentation)
    }
    return .augment(policy)
  }
}
