import Foundation
import Testing

@testable import Session

/// Runs notebook `text` in `interpreter`, collecting events; throws the first error.
@discardableResult
func run(_ text: String, in interpreter: Interpreter) throws(SessionError) -> [SessionEvent] {
  var events: [SessionEvent] = []
  let notebook = try Notebook(text: text, file: "t.gan", variables: interpreter.state.variables)
  for command in notebook.commands {
    _ = try interpreter.execute(command) { events.append($0) }
  }
  return events
}

/// A fresh empty folder under the system's temporary directory.
func temporaryFolder(_ name: String = #function) -> String {
  let path =
    NSTemporaryDirectory()
    + "ganrepl-tests/\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

/// `../shared/data/NAME` beside the repository, if present.
func sharedData(_ name: String) -> String? {
  let path = (repositoryRoot as NSString).appendingPathComponent("../shared/data/\(name)")
  return FileManager.default.fileExists(atPath: path) ? path : nil
}

/// A small GAN on 16×16 built-in faces, with BatchNorm, dropout and random flips so every
/// random stream and every saved buffer matters.
let tinyGAN = """
  set seed 11
  data faces count=40 size=16 batch=8 range=-1..1 flip
  set latent 8
  generator init=normal
    dense 4*4*8
    reshape 4x4x8
    batchnorm
    relu
    deconv 4 kernel=4 stride=2 padding=1
    batchnorm
    relu
    deconv 3 kernel=4 stride=2 padding=1
    tanh
  end
  discriminator
    conv 8 kernel=4 stride=2 padding=same
    leakyrelu 0.2
    conv 8 kernel=4 stride=2 padding=same
    batchnorm
    leakyrelu 0.2
    flatten
    dropout 0.3
    dense 1
    sigmoid
  end
  optimizer adam lr=2e-4 beta1=0.5
  """
