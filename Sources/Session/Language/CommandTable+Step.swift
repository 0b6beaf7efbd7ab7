/// `step [N]`, `step d [N]`, `step g [N]`: the words of `step` and how they become a command.
extension CommandTable {
  /// The networks a step can train alone; a number in their place is a full step's count.
  static let stepHalves: [Choice] = [
    Choice("d", aliases: ["discriminator"], then: [Positional(name: "times", optional: true)]),
    Choice("g", aliases: ["generator"], then: [Positional(name: "times", optional: true)]),
  ]

  static func stepCommand(_ args: Arguments) throws(SessionError) -> Command {
    let steps = 1...1_000_000_000
    guard let first = args.token("count") else { return .step(count: 1) }
    if let half = stepHalves.first(where: { $0.matches(first.text) }) {
      let count = try args.int("times", in: steps, default: 1)!
      return .stepOnly(half.word == "d" ? .discriminator : .generator, count: count)
    }
    guard first.kind != .word || first.text.first?.isNumber == true || first.text.first == "-" else {
      throw SessionError(
        .invalidValue(
          first.text, for: "step", expected: "a number of steps, 'd' (discriminator only) or 'g' (generator only)",
          suggestion: closest(to: first.text, among: stepHalves.map(\.word))),
        at: args.location.at(column: first.column))
    }
    return .step(count: try args.int("count", in: steps)!)
  }
}
