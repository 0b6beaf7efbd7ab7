/// `every off` and `every off N`: all the rules, or rule N as `show every` numbers them.
extension CommandTable {
  static func everyOffCommand(_ args: Arguments, usage: String) throws(SessionError) -> Command {
    if let extra = args.rest.first {
      throw SessionError(.unexpectedArgument(extra.text, usage: usage), at: args.location.at(column: extra.column))
    }
    guard let number = try args.int("rule", in: 1...1_000_000) else { return .every(nil) }
    return .everyOff(rule: number)
  }
}
