/// How this terminal can show a picture, chosen from the environment once: kitty's
/// graphics protocol, iTerm2's inline images, Unicode half-blocks in 24-bit or 256
/// colours, an ASCII ramp, or nothing (the output is not a terminal: no escape codes).
enum PictureProtocol: String, CaseIterable {
  case kitty
  case iterm
  case truecolor
  case palette256 = "256"
  case ascii
  case file

  /// The protocol for a terminal described by `environment`; `.file` when stdout is not a
  /// terminal. GANREPL_PICTURES (kitty, iterm, truecolor, 256, ascii, file) overrides the
  /// guess, at a terminal or not (ascii puts pictures in a log as text). Under tmux or
  /// screen the graphics protocols are not passed through, so half-blocks are used even
  /// inside kitty or iTerm2.
  static func detect(environment: [String: String], isTerminal: Bool) -> PictureProtocol {
    if let forced = environment["GANREPL_PICTURES"].flatMap(PictureProtocol.init(rawValue:)) { return forced }
    guard isTerminal else { return .file }
    let term = environment["TERM"] ?? ""
    if term == "dumb" || !(environment["NO_COLOR"] ?? "").isEmpty { return .ascii }
    let multiplexed = environment["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux")
    if !multiplexed {
      if term == "xterm-kitty" || environment["KITTY_WINDOW_ID"] != nil { return .kitty }
      if ["iTerm.app", "WezTerm"].contains(environment["TERM_PROGRAM"] ?? "") { return .iterm }
    }
    let colour = (environment["COLORTERM"] ?? "").lowercased()
    return colour == "truecolor" || colour == "24bit" ? .truecolor : .palette256
  }
}
