/// `plot` and `show history N PATH`: the session's history as a picture and as a file.
extension Interpreter {
  /// The whole history, a loaded session's included, as `CurvePlot`'s two panels.
  func plot(to path: String) throws(SessionError) {
    let history = state.history
    guard let first = history.first, let last = history.last else { throw noHistory }
    let references = CurvePlot.equilibrium(state.loss, state.discriminatorLoss)
    let picture = Picture(
      image: CurvePlot.draw(history, references: references),
      what:
        "D loss, G loss, D(x) and D(G(z)) over steps \(first.step)–\(last.step), \(history.count) step"
        + (history.count == 1 ? "" : "s") + " as recorded"
        + (references.isEmpty
          ? "" : "; dashed: " + references.map(\.label).joined(separator: " and ") + ", the BCE equilibrium"),
      content: .plot)
    try present(picture, at: path, name: "curves")
  }

  /// The last `last` steps as CSV.
  func writeHistory(last: Int, to path: String) throws(SessionError) {
    guard !state.history.isEmpty else { throw noHistory }
    let steps = Array(state.history.suffix(last))
    let kept = state.communicator.isRoot ? try HistoryCSV.write(steps, to: path) : nil  // rank 0 alone writes
    report(
      .wrote(
        path: path,
        what: "\(steps.count) step\(steps.count == 1 ? "" : "s") as CSV under a header row" + OwnFile.note(kept)))
  }

  private var noHistory: SessionError {
    SessionError(.missing("training history", hint: "train first ('step' or 'train'), or 'load' a saved session"))
  }
}
