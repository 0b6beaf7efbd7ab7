/// `help concepts`, `help concept TOPIC` and `help TOPIC` for a concept (`Concepts.all`):
/// the words `help` takes for them and how they become `Command.concept`.
extension CommandTable {
  /// The concept topics `help` offers: `concepts` (then a concept's name), and each concept
  /// whose name is not already a command or layer (`help generator` stays the command; its
  /// help points to `help concept generator`).
  static var conceptTopics: [Choice] {
    let concepts = Concepts.all.map { Choice($0.name, aliases: $0.aliases) }
    let taken = Set(names + LayerTable.names)
    return [
      Choice(
        "concepts", aliases: ["concept"],
        then: [Positional(name: "concept", optional: true, choices: concepts)])
    ] + concepts.filter { !taken.contains($0.word) }
  }

  /// The concept a `help` line asks for, or nil when it asks for a command, a layer,
  /// `layers` or `settings`. Several words name one concept (`help mode collapse`); after
  /// `concept` an unknown name is an error with a suggestion among the concepts.
  static func conceptCommand(_ args: Arguments) throws(SessionError) -> Command? {
    guard let first = args.token("topic") else { return nil }
    let listing = first.kind == .word && ["concept", "concepts"].contains(first.text.lowercased())
    let words = (listing ? [] : [first]) + [args.token("concept")].compactMap { $0 } + args.rest
    guard let head = words.first else { return .concept(nil) }
    let typed = words.map(\.text).joined(separator: " ")
    let isOtherTopic = words.count == 1 && (entry(named: head.text) != nil || LayerTable.entry(named: head.text) != nil)
    if let concept = Concept.named(typed), listing || !isOtherTopic { return .concept(concept) }
    let spellings = Concepts.all.flatMap { [$0.name] + $0.aliases }
    let near = closest(to: Concept.normalized(typed), among: spellings).flatMap(Concept.named)?.name
    if listing {
      throw SessionError(
        .invalidValue(
          typed, for: "concept", expected: "one of " + Concepts.all.map(\.name).joined(separator: ", "),
          suggestion: near),
        at: args.location.at(column: head.column))
    }
    if words.count > 1, helpTopics.contains(where: { $0.matches(head.text) }) {
      throw SessionError(
        .unexpectedArgument(words[1].text, usage: entry(named: "help")!.usage),
        at: args.location.at(column: words[1].column))
    }
    // One word that is not a topic is left to `helpCommand` (a command's or layer's typo),
    // unless only a concept's other spelling is near it (`colapse`).
    let topics = helpTopics
    guard
      words.count > 1
        || (near != nil && !topics.contains { $0.matches(head.text) }
          && closest(to: head.text, among: topics.map(\.word)) == nil)
    else { return nil }
    throw SessionError(
      .unknownHelpTopic(typed, suggestion: near, concepts: Concepts.all.map(\.name)),
      at: args.location.at(column: head.column))
  }
}
