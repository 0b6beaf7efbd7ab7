import Layers
import Tensors

/// Everything a user can get wrong, with where it happened and what to try. The messages
/// are built here and nowhere else.
public struct SessionError: Error, CustomStringConvertible, Sendable {
  public enum Kind: Sendable {
    // Reading the notebook.
    case unterminatedString
    case undefinedVariable(String, suggestion: String?)
    case unknownCommand(String, suggestion: String?)
    case unknownLayer(String, suggestion: String?)
    case unknownOption(String, command: String, suggestion: String?, known: [String])
    case missingArgument(String, usage: String)
    case unexpectedArgument(String, usage: String)
    case invalidValue(String, for: String, expected: String)
    case unclosedBlock(String)
    case endWithoutBlock
    case commandInsideBlock(String, block: String)
    case layerOutsideBlock(String)
    // Building and training.
    case network(String, NetworkError)
    case emptyNetwork(String)
    case networksDoNotFit(generatorOutput: Shape, discriminatorInput: Shape)
    case dataDoesNotFit(data: Shape, discriminatorInput: Shape)
    case discriminatorOutput(Shape)
    case missing(String, hint: String)
    case alreadyTrained(String, steps: Int)
    case notFinite(String, step: Int)
    case interrupted(String)
    // Files.
    case noSuchPath(String)
    case noImages(String, skipped: Int, firstErrors: [String])
    case cannotWrite(String, reason: String)
    case cannotRead(String, reason: String)
    case badArchive(String, reason: String)
    /// A file of a saved session that cannot be used: `field` is the JSON path of the bad
    /// value (nil when the whole file is unusable), `reason` says what is wrong with it.
    case badSavedFile(String, field: String?, reason: String)
  }

  public var kind: Kind
  /// Where in the input; nil for errors that have none (a file given on the command line).
  public var location: SourceLocation?

  public init(_ kind: Kind, at location: SourceLocation? = nil) {
    self.kind = kind
    self.location = location
  }

  /// This error placed at `location`, unless it already has a more precise place.
  public func located(_ location: SourceLocation) -> SessionError {
    SessionError(kind, at: self.location ?? location)
  }

  /// What went wrong, in one line.
  public var message: String {
    switch kind {
    case .unterminatedString: return "unterminated string"
    case .undefinedVariable(let name, _): return "no parameter named '$\(name)'"
    case .unknownCommand(let name, _): return "unknown command '\(name)'"
    case .unknownLayer(let name, _): return "unknown layer '\(name)'"
    case .unknownOption(let option, let command, _, _): return "'\(command)' has no option '\(option)'"
    case .missingArgument(let name, _): return "missing \(name)"
    case .unexpectedArgument(let text, _): return "unexpected '\(text)'"
    case .invalidValue(let value, let name, let expected): return "invalid \(name) '\(value)': expected \(expected)"
    case .unclosedBlock(let block): return "'\(block)' block is never closed"
    case .endWithoutBlock: return "'end' without a 'generator' or 'discriminator' block to close"
    case .commandInsideBlock(let name, let block): return "'\(name)' is a command, not a layer, inside the '\(block)' block"
    case .layerOutsideBlock(let name): return "'\(name)' is a layer, not a command"
    case .network(let role, let e): return "\(role) \(e.description)"
    case .emptyNetwork(let role): return "the \(role) has no layers"
    case .networksDoNotFit(let g, let d):
      return "the generator makes \(g.compact) images but the discriminator takes \(d.compact)"
    case .dataDoesNotFit(let data, let d):
      return "the data is \(data.compact) but the discriminator takes \(d.compact)"
    case .discriminatorOutput(let s): return "the discriminator must end in one score per image, not \(s.compact)"
    case .missing(let what, _): return "no \(what) yet"
    case .alreadyTrained(let role, let steps):
      return "the \(role) has trained for \(steps) step\(steps == 1 ? "" : "s"); redefining it would throw that away"
    case .notFinite(let what, let step): return "\(what) became NaN or infinite at step \(step); training stopped before the update"
    case .interrupted(let what): return "interrupted while \(what)"
    case .noSuchPath(let path): return "no such file or folder: \(path)"
    case .noImages(let path, let skipped, _):
      return "no readable images in \(path)" + (skipped > 0 ? " (\(skipped) unreadable)" : "")
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
    case .badArchive(let path, let reason): return "\(path) is not a usable saved session: \(reason)"
    case .badSavedFile(let file, let field, let reason): return file + (field.map { ": " + $0 } ?? "") + " " + reason
    }
  }

  /// What to try, when there is something to suggest.
  public var hint: String? {
    switch kind {
    case .unterminatedString: return "close the string with \""
    case .undefinedVariable(_, let s), .unknownCommand(_, let s):
      if let s { return "did you mean '\(s)'?" }
      if case .unknownCommand = kind { return "type 'help' for the list of commands" }
      return "declare it with 'param NAME = VALUE' or pass --set NAME=VALUE"
    case .unknownLayer(_, let s):
      return s.map { "did you mean '\($0)'?" } ?? "type 'help layers' for the list of layers"
    case .unknownOption(_, _, let s, let known):
      return s.map { "did you mean '\($0)'?" } ?? "options: \(known.joined(separator: ", "))"
    case .missingArgument(_, let usage), .unexpectedArgument(_, let usage): return "usage: \(usage)"
    case .invalidValue: return nil
    case .unclosedBlock: return "finish the block with a line 'end'"
    case .endWithoutBlock: return nil
    case .commandInsideBlock: return "finish the block with 'end' first"
    case .layerOutsideBlock: return "layers go inside a 'generator' or 'discriminator' block, closed by 'end'"
    case .network(_, let e):
      if e.reason.contains("add '") { return nil }
      return "check the layers before layer \(e.layerIndex) with 'summary'"
    case .emptyNetwork: return "put layers between the block's first line and 'end'"
    case .networksDoNotFit: return "change the generator's last layers or the discriminator's input so they match"
    case .dataDoesNotFit: return "load the data with matching 'size' and 'channels', or change the networks"
    case .discriminatorOutput: return "end the discriminator with 'flatten', 'dense 1' and (for bce) 'sigmoid'"
    case .missing(_, let hint): return hint
    case .alreadyTrained: return "'save' the session first, then 'reset' to start over"
    case .notFinite: return "lower the learning rate ('optimizer … lr=…'), or 'load' a saved session"
    case .interrupted: return "nothing was changed; run the command again to retry"
    case .noSuchPath: return "paths are relative to the folder ganrepl was started in"
    case .noImages(_, _, let errors):
      return errors.isEmpty ? "the folder needs .jpg, .jpeg or .png files" : "first errors: " + errors.joined(separator: "; ")
    case .cannotWrite: return "check that the folder exists and is writable"
    case .cannotRead: return nil
    case .badArchive: return "save the session again, or load another"
    case .badSavedFile(_, let field, _):
      return field == nil
        ? "the file is damaged; save the session again, or load another"
        : "the value was edited or damaged; correct it, or load another saved session"
    }
  }

  /// `file:line:col: error: message` and, on the next line, `  hint: …`.
  public var description: String {
    let prefix = location.map { "\($0): " } ?? ""
    return prefix + "error: " + message + (hint.map { "\n  hint: " + $0 } ?? "")
  }
}
