/// The PNG-only paths of the commands that write a picture (a grid, a plot, a walk…): the
/// error names the picture the command writes (`plot "c.jpg"`: "cannot write a plot …").
extension CommandTable {
  /// A path `picture` (a plot, a latent walk…) is written to: PNG, said by its name.
  static func picturePath(_ token: Token, of picture: String, at location: SourceLocation) throws(SessionError)
    -> String
  {
    guard token.text.lowercased().hasSuffix(".png") else {
      throw SessionError(.pictureFormat(token.text, picture: picture), at: location.at(column: token.column))
    }
    return token.text
  }
}
