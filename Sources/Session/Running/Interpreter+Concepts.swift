/// `help concepts` and `help TOPIC` for a concept (`Concepts.all`).
extension Interpreter {
  /// The list of concepts (nil), or one concept's explanation.
  func explain(_ concept: Concept?) {
    guard let concept else {
      report(.help(.concepts(Concepts.all.map { ($0.name, $0.summary) })))
      return
    }
    report(.help(.concept(name: concept.name, summary: concept.summary, text: concept.text)))
  }

  /// For a command or layer that is also a concept (`generator`, `batchnorm`): a last line
  /// of its help that points to the concept.
  func conceptPointer(_ name: String) -> String {
    guard let concept = Concept.named(name) else { return "" }
    return "\n\nThe concept (\(concept.summary)): help concept \(concept.name)"
  }
}
