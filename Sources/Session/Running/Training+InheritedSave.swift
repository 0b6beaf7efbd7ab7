/// A rule `load` brought does not replace another run's save (`SessionState.run`).
extension Training {
  /// Refuses the save of `rule`, which `load` brought and the user never typed here, into a
  /// folder holding another run's session: after `reset`, a loaded run's checkpoint rule
  /// would otherwise replace that run's checkpoint with new networks. Every rank reads the
  /// same folder and agrees.
  func checkInheritedSave(_ rule: EveryRule, to path: String) throws(SessionError) {
    guard state.inheritedRules.contains(rule) else { return }
    let other = Interpreter.savedHead(in: path).flatMap { $0.run != nil && $0.run != state.run ? $0 : nil }
    // Rank 0's answer for all: each rank has a run name of its own until a load gives them one.
    guard state.communicator.any(state.communicator.isRoot && other != nil) else { return }
    let number = (state.every.firstIndex(of: rule) ?? 0) + 1
    throw SessionError(
      .cannotWrite(
        path,
        reason: "it holds another run's saved session\(other?.step.map { " (at step \($0))" } ?? ""), and rule"
          + " \(number) (\(rule)) came with a loaded session, not typed here; type the rule again to keep it,"
          + " 'every off \(number)' to remove it, or save elsewhere",
        advised: true))
  }
}
