/// Two `every` rules that cannot both write: pictures inside the folder another rule saves
/// the session into.
extension Interpreter {
  /// Refuses a rule whose pictures would go inside a folder another rule saves the session
  /// into (or the other way round): a saved session's folder holds only its two files, so
  /// the second save would stop the training, after the first pictures.
  func checkNotInsideSave(_ rule: EveryRule) throws(SessionError) {
    func folder(_ action: PeriodicAction) -> String? {
      guard case .save(let path) = action, !path.contains("{") else { return nil }
      return withoutTrailingSlashes(path)
    }
    func picture(_ action: PeriodicAction) -> String? {
      if case .sample(_, let path?, _) = action { path } else { nil }
    }
    for other in state.every where other.action.destination != rule.action.destination {
      for (save, sample) in [
        (folder(rule.action), picture(other.action)), (folder(other.action), picture(rule.action)),
      ] {
        guard let save, let sample, sample.hasPrefix(save + "/") else { continue }
        let beside = save + "-pictures/" + (sample.split(separator: "/").last.map(String.init) ?? "x.png")
        throw SessionError(
          .cannotWrite(
            sample,
            reason: "it is inside '\(save)', where an every rule saves the session, and a saved session's folder"
              + " holds only its own two files; write the pictures beside it, e.g. \(Lexer.quoted(beside))",
            advised: true))
      }
    }
  }
}
