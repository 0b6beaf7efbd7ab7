/// `train N [epochs|steps]` and `train until epoch|step N`.
extension CommandTable {
  static let trainUntil: [Choice] = [
    Choice(
      "until",
      then: [
        Positional(
          name: "until unit", choices: [.init("epoch", aliases: ["epochs"]), .init("step", aliases: ["steps"])],
          about: "epoch or step, what 'until' counts"),
        Positional(name: "until number", about: "N, the epoch or step to train until"),
      ])
  ]

  static func trainCommand(_ args: Arguments) throws(SessionError) -> Command {
    let range = 1...1_000_000_000
    if let first = args.token("count"), first.text.lowercased() == "until" {
      let unit = try args.choice("until unit")!
      let n = try args.int("until number", in: range)!
      return .train(unit.hasPrefix("epoch") ? .untilEpoch(n) : .untilStep(n))
    }
    let n = try args.int("count", in: range)!
    let unit = try args.choice("unit", default: "epochs")!
    return .train(unit.hasPrefix("epoch") ? .epochs(n) : .steps(n))
  }
}
