import Layers

/// `augment color translation cutout` / `augment off`: the words of `augment`.
extension CommandTable {
  static let augmentWords = Augmentation.allCases.map(\.rawValue) + ["off"]

  static let augmentEntry = CommandEntry(
    name: "augment", usage: "augment color|translation|cutout … [shift=R] | augment off",
    summary: "transform every image D sees, real and fake, differentiably (DiffAugment)",
    help: """
      DiffAugment (Zhao et al. 2020): before every pass through D, in the D and the G step
      alike, real images and fakes get the same kind of random change, one draw per image,
      and G's gradient flows back through it. color: brightness ±0.5, saturation ×0–2,
      contrast ×0.5–1.5; translation: a shift of up to 1/8 of the size (shift=R: up to R of
      it, 0.01–0.5; 'shift=0.0625' moves a 64×64 image at most 4 pixels; a shift that
      moves the images less than a pixel is refused), zeros shifted in; cutout: a square of
      half the size set to zero. Name any of them, in any order: they always apply as
      color, translation, cutout; 'augment off' stops. D never sees an unchanged image, so
      it cannot memorise a small data set; samples are never augmented. Images only.
      """,
    syntax: Syntax(
      positionals: [.init(name: "augmentation", choices: augmentWords.map { .init($0) })],
      options: [.init(name: "shift", help: "translation's largest shift, a fraction of the size (0.125)")],
      variadic: true)
  ) { args throws(SessionError) in try augmentCommand(args) }

  static func augmentCommand(_ args: Arguments) throws(SessionError) -> Command {
    let tokens = [args.token("augmentation")!] + args.rest
    var policy: Set<Augmentation> = []
    for token in tokens {
      if let key = token.key {  // a misspelt option (`shfit=0.1`): the variadic words took it
        throw SessionError(
          .unknownOption(key, command: "augment", suggestion: closest(to: key, among: ["shift"]), known: ["shift"]),
          at: args.location.at(column: token.column))
      }
      let word = token.text.lowercased()
      if word == "off" && tokens.count == 1 {
        try shiftNeedsTranslation(args)
        return .augment([], shift: DiffAugment.defaultShift)
      }
      guard let augmentation = Augmentation(rawValue: word) else {
        throw SessionError(
          .invalidValue(
            token.text, for: "augmentation",
            expected: word == "off"
              ? "'off' alone: 'augment off' stops augmenting; without 'off', the names given replace the policy"
              : "color, translation or cutout (or 'augment off' alone)",
            suggestion: word == "off" ? nil : closest(to: word, among: augmentWords)),
          at: args.location.at(column: token.column))
      }
      policy.insert(augmentation)
    }
    if !policy.contains(.translation) { try shiftNeedsTranslation(args) }
    return .augment(policy, shift: try args.float("shift", in: DiffAugment.shifts, default: DiffAugment.defaultShift)!)
  }

  /// `shift=` without `translation`: it would change nothing, so it is refused.
  private static func shiftNeedsTranslation(_ args: Arguments) throws(SessionError) {
    guard let token = args.token("shift") else { return }
    throw SessionError(
      .invalidValue(
        token.text, for: "shift", expected: "a shift for translation: 'augment translation shift=\(token.text)'"),
      at: args.location.at(column: token.column))
  }
}
