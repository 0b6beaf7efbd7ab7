/// The `every` rules as a list the user manages: a rule that writes where another already
/// writes (the same file pattern, the same saved folder, the terminal's flip-book) replaces
/// it instead of piling up beside it; `show every` numbers them, `every off N` removes one,
/// `every off` all. Rules are set-up, like the networks' definitions: `reset` keeps them and
/// says so (`keptRulesNote`), `load` replaces them with the saved session's.
extension Interpreter {
  /// `every …`: adds `rule`, or replaces the rule with its destination. Its folder is checked
  /// now, as `save` (`SaveFolder`) or a picture (`WriteTarget`) would check it, so that a
  /// folder it may not write stops before training, not at the rule's first save.
  func addEveryRule(_ rule: EveryRule) throws(SessionError) {
    if state.communicator.isRoot { try Notebook.checkTarget(of: .every(rule)) }
    try checkNotInsideSave(rule)
    let inherited = state.inheritedRules.contains { $0 == rule }
    state.inheritedRules.removeAll { $0.action.destination == rule.action.destination }  // typed now
    let count = state.every.count
    guard let i = state.every.firstIndex(where: { $0.action.destination == rule.action.destination }) else {
      state.every.append(rule)
      report(.notice(count == 0 ? "\(rule)" : "\(rule) (rule \(count + 1) of \(count + 1); \(Self.listAndRemove))"))
      return
    }
    let old = state.every[i]
    state.every[i] = rule
    report(
      .notice(
        old == rule
          ? "rule \(i + 1) already does this: \(rule)"
            + (inherited ? "; it came with the loaded session, and typed here it is this run's own" : "")
          : "\(rule) (replaces rule \(i + 1), \(old), which wrote to the same place; \(Self.listAndRemove))"))
  }

  /// `every off` (nil: every rule) or `every off N` (rule N as `show every` numbers it).
  func removeEveryRules(_ number: Int?) throws(SessionError) {
    guard let number else {
      let n = state.every.count
      state.every.removeAll()
      report(.notice(n == 0 ? "no periodic actions" : "removed \(Self.rules(n)); no periodic actions"))
      return
    }
    guard state.every.indices.contains(number - 1) else {
      throw SessionError(
        .invalidValue(
          "\(number)", for: "rule number",
          expected: state.every.isEmpty
            ? "a rule, but there are none" : "1 to \(state.every.count) (see 'show every')"))
    }
    let removed = state.every.remove(at: number - 1)
    report(
      .notice(
        "removed rule \(number), \(removed); \(state.every.isEmpty ? "no periodic actions" : Self.rules(state.every.count) + " left")"
      ))
  }

  /// `show every`: the rules, numbered.
  var everyListing: String {
    guard !state.every.isEmpty else { return "no every rules; add one with 'every 50 steps sample 16'" }
    return state.every.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
  }

  /// What `reset` adds to its notice when rules survive it.
  var keptRulesNote: String {
    state.every.isEmpty
      ? "" : "\nkept \(Self.rules(state.every.count)) ('show every' lists them; 'every off' removes them)"
  }

  private static let listAndRemove = "'show every' lists them, 'every off N' removes one"

  private static func rules(_ n: Int) -> String { "\(n) every rule\(n == 1 ? "" : "s")" }
}

extension PeriodicAction {
  /// Where the action's output goes: its path, or nil for the terminal's flip-book. Two
  /// rules with one destination would write over each other.
  var destination: String? {
    switch self {
    case .sample(_, let path, _): path
    case .save(let path): path
    }
  }
}
