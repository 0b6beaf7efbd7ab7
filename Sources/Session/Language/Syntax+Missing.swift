/// What a line that stops before a required positional is missing. Usually the next
/// positional; but when a path took the place of one before the PATH (`interpolate 0
/// "w.png"`: the path stands where B belongs), that one is what is missing, at the path.
extension Syntax {
  func missing(_ next: Positional, in arguments: Arguments, usage: String, tokens: [Token], at location: SourceLocation)
    -> SessionError
  {
    let end = location.at(column: (tokens.last.map { $0.column + $0.text.count + 1 }) ?? location.column)
    guard positionals.contains(where: { $0.name == "path" }),
      let (name, token) = arguments.positionals.max(by: { $0.value.column < $1.value.column }),
      name != "path", token.looksLikePath,
      let taken = positionals.first(where: { $0.name == name })
    else { return SessionError(.missingArgument(next.about ?? next.name, usage: usage), at: end) }
    return SessionError(
      .missingArgument(taken.about ?? taken.name, usage: usage), at: location.at(column: token.column))
  }
}

extension Token {
  /// A quoted word, or one with a slash or a .png ending: written as a path, so where a
  /// number belongs it means the number is missing, not mistyped.
  var looksLikePath: Bool {
    kind == .string || text.contains("/") || text.lowercased().hasSuffix(".png")
  }
}
