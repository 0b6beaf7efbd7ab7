/// One GAN idea that `help TOPIC` explains in a screenful for a student: what it is, the
/// numbers to watch, and what to try. The texts are data, all in `Concepts.swift`; the help
/// topics, the binder and Tab completion read that one list.
public struct Concept: Sendable, Equatable {
  /// The topic's word (`mode-collapse`), lower case, words joined by `-`.
  public var name: String
  /// Other spellings, in the same form (`d(x)`, `collapse`).
  public var aliases: [String] = []
  /// One line for `help concepts`.
  public var summary: String
  /// The explanation: at most ~22 lines of at most 80 columns.
  public var text: String

  /// The concept a typed topic names: any case, words separated by spaces, `_` or `-`
  /// (`help mode collapse`, `help Mode_Collapse`), quotes already removed by the lexer.
  public static func named(_ typed: String) -> Concept? {
    let key = normalized(typed)
    return Concepts.all.first { $0.name == key || $0.aliases.contains(key) }
  }

  /// `Mode collapse` → `mode-collapse`.
  static func normalized(_ typed: String) -> String {
    typed.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).joined(separator: "-")
  }
}
