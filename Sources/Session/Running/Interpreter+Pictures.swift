/// Where `sample` and `show data` put their picture: a PNG file when a path is given,
/// otherwise the terminal (an `InlinePicture` event).
extension Interpreter {
  func present(_ picture: Picture, at path: String?, name: String, isFrame: Bool = false) throws(SessionError) {
    var picture = picture
    if state.pictureScale > 1 && picture.content == .images {
      picture.image = picture.image.scaled(by: state.pictureScale)
    }
    guard let path else {
      report(
        .picture(
          InlinePicture(
            image: picture.image, content: picture.content, what: picture.what, name: name, isFrame: isFrame,
            legend: picture.legend)
        ))
      return
    }
    let kept = state.communicator.isRoot ? try picture.write(to: path) : nil  // rank 0 alone writes
    report(.wrote(path: path, what: picture.what + OwnFile.note(kept)))
  }
}
