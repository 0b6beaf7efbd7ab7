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
    /// `suggestion`: the word the value is closest to, when it is a plausible typo.
    case invalidValue(String, for: String, expected: String, suggestion: String? = nil)
    /// A number too large for the machine (a product that overflows, 1e40 for a Float).
    case tooLarge(String, for: String, expected: String)
    /// A number written correctly that no setting could take (1e40 for a Float).
    case outOfRange(String, for: String, expected: String)
    case unknownEscape(Character)
    case unterminatedInterpolation
    /// An option that exists, but not for this kind of data (`size=` on `data ring`).
    case inapplicableOption(String, to: String, applicable: [String])
    /// A flag written with a value other than true/false (`flip=maybe`).
    case flagValue(String, flag: String)
    /// `--set NAME=VALUE` for a parameter the notebook neither declares nor uses.
    case unknownParameter(String, suggestion: String?, declared: [String])
    case unclosedBlock(String)
    case endWithoutBlock
    case commandInsideBlock(String, block: String)
    case layerOutsideBlock(String)
    // Building and training.
    case network(String, NetworkError)
    case emptyNetwork(String)
    case networksDoNotFit(generatorOutput: Shape, discriminatorInput: Shape)
    /// No discriminator yet: the data says what the generator must make.
    case generatorDoesNotFitData(generatorOutput: Shape, data: Shape)
    case dataDoesNotFit(data: Shape, discriminatorInput: Shape)
    case discriminatorOutput(Shape)
    case missing(String, hint: String)
    case alreadyTrained(String, steps: Int)
    /// `set latent` once the generator has trained: its first layer is sized for the latent.
    case latentAfterTraining(latent: Int, steps: Int)
    case notFinite(NonFiniteStep)
    case interrupted(String)
    /// Ctrl-C stopped a notebook: the line it names stopped cleanly (after a whole step).
    case notebookStopped(String)
    /// `needed` nil: a size whose product overflowed.
    case notEnoughMemory(String, needed: Int?, available: Int, hint: String)
    // Files.
    case noSuchPath(String)
    case noImages(String, skipped: Int, firstErrors: [String])
    /// `advised`: the reason ends in what to do ("…; choose another name"), so no hint.
    case cannotWrite(String, reason: String, advised: Bool = false)
    case cannotRead(String, reason: String)
    case badArchive(String, reason: String)
    /// `load` over a session that trained since it was last saved or loaded.
    case unsavedTraining(steps: Int, load: String)
    /// A file of a saved session that cannot be used: `field` is the JSON path of the bad
    /// value (nil when the whole file is unusable), `reason` says what is wrong with it.
    case badSavedFile(String, field: String?, reason: String)
    /// A picture command (`command`) for samples the generator does not make: it makes
    /// `makes`, the command draws `drawable` ("images").
    case cannotDraw(command: String, makes: Shape, drawable: String)
    /// A safetensors file that `import` cannot use: `reason` follows the file's name.
    case badWeightsFile(String, reason: String, hint: String)
    /// A picture written under a name that says another format; `picture` names it
    /// ("grid", "plot").
    case pictureFormat(String, picture: String)
    /// `help WORD` for a word that is neither a command, a layer nor a concept.
    case unknownHelpTopic(String, suggestion: String?, concepts: [String])
    /// Started by mpirun, but Open MPI could not be loaded or started.
    case mpiUnavailable(String)
    /// `augment` with data that are not images (the toy points).
    case augmentNeedsImages(data: Shape)
    /// `augment translation shift=R` that moves images of this side by 0 whole pixels.
    /// `policy`: the line's augmentations, in their order, for the hint to repeat.
    case translationTooShort(shift: Float, side: Int, policy: [String])
    /// `pack` or `mbstd` (the layer's word) in a generator block: they judge a batch's
    /// samples together, which is D's business; G makes one sample per noise vector.
    case discriminatorOnly(String)
    /// `set lr 0.1`: an optimiser's option (`lr`), with the value typed, as a setting.
    case optimizerOption(String, value: String)
  }

  public var kind: Kind
  /// Where in the input; nil for errors that have none (a file given on the command line).
  public var location: SourceLocation?
  /// Where the value at fault came from, when the line does not show it (a `$parameter`).
  public var note: String?

  public init(_ kind: Kind, at location: SourceLocation? = nil) {
    self.kind = kind
    self.location = location
  }

  /// This error placed at `location`, unless it already has a more precise place.
  public func located(_ location: SourceLocation) -> SessionError {
    var placed = self
    placed.location = self.location ?? location
    return placed
  }

  /// What went wrong, in one line.
  public var message: String {
    switch kind {
    case .unterminatedString: return "unterminated string"
    case .undefinedVariable(let name, _): return "no parameter named '$\(shown(name))'"
    case .unknownCommand(let name, _): return "unknown command '\(shown(name))'"
    case .unknownLayer(let name, _): return "unknown layer '\(shown(name))'"
    case .unknownOption(let option, let command, _, _): return "'\(command)' has no option '\(shown(option))'"
    case .missingArgument(let name, _): return "missing \(name)"
    case .unexpectedArgument(let text, _): return "unexpected '\(shown(text))'"
    case .invalidValue(let value, let name, let expected, let suggestion):
      return "invalid \(name) '\(shown(value))': expected \(expected)"
        + (suggestion.map { " (\(didYouMean($0)))" } ?? "")
    case .tooLarge(let value, let name, _): return "\(name) '\(shown(value))' is too large (overflows)"
    case .outOfRange(let value, let name, _): return "\(name) '\(shown(value))' is out of range"
    case .unknownEscape(let c): return "unknown escape '\\\(shown(String(c)))' in a string"
    case .unterminatedInterpolation: return "'${' without a closing '}' in a string"
    case .inapplicableOption(let option, let what, _): return "'\(shown(option))' does not apply to \(what)"
    case .flagValue(let value, let flag): return "invalid \(flag) '\(shown(value))': '\(flag)' is a flag"
    case .unknownParameter(let name, _, _):
      return "--set \(shown(name)): the notebook has no parameter '\(shown(name))'"
    case .unclosedBlock(let block): return "'\(block)' block is never closed"
    case .endWithoutBlock: return "'end' without a 'generator' or 'discriminator' block to close"
    case .commandInsideBlock(let name, let block):
      return "'\(shown(name))' is a command, not a layer, inside the '\(block)' block"
    case .layerOutsideBlock(let name): return "'\(shown(name))' is a layer, not a command"
    case .network(let role, let e): return "\(role) \(e.description)"
    case .emptyNetwork(let role): return "the \(role) has no layers"
    case .networksDoNotFit(let g, let d):
      return "the generator makes \(g.samplesDescription) but the discriminator takes \(d.samplesDescription)"
    case .generatorDoesNotFitData(let g, let data):
      return "the generator makes \(g.samplesDescription) but the data is \(data.samplesDescription):"
        + " no discriminator can take both"
    case .dataDoesNotFit(let data, let d):
      return "the data is \(data.samplesDescription) but the discriminator takes \(d.samplesDescription)"
    case .discriminatorOutput(let s): return "the discriminator must end in one score per sample, not \(s.compact)"
    case .missing(let what, _): return "no \(what) yet"
    case .alreadyTrained(let role, let steps):
      return "the \(role) has trained for \(steps) step\(steps == 1 ? "" : "s"); redefining it would throw that away"
    case .latentAfterTraining(let latent, let steps):
      return "the generator has trained for \(steps) step\(steps == 1 ? "" : "s") on a latent of \(latent):"
        + " its first layer's weights are sized for it, so the latent cannot change now"
    case .notFinite(let step): return step.message
    case .interrupted(let what): return "interrupted while \(what)"
    case .notebookStopped(let path): return "interrupted while running \(path)"
    case .notEnoughMemory(let what, let needed, let available, _):
      return
        "\(what) needs \(needed == nil ? "" : "about ")\(MemoryBudget.describe(needed)) of memory,"
        + " but this machine has \(MemoryBudget.describe(available)) available"
    case .noSuchPath(let path):
      return path.isEmpty ? "the path is empty (\"\")" : "no such file or folder: \(shown(path, limit: 160))"
    case .noImages(let path, let skipped, _):
      return "no readable images in \(shown(path, limit: 160))" + (skipped > 0 ? " (\(skipped) unreadable)" : "")
    case .cannotWrite(let path, let reason, _): return "cannot write \(shown(path, limit: 160)): \(reason)"
    case .cannotRead(let path, let reason): return "cannot read \(shown(path, limit: 160)): \(reason)"
    case .badArchive(let path, let reason): return "\(shown(path, limit: 160)) is not a usable saved session: \(reason)"
    case .unsavedTraining(let steps, _):
      return "loading would throw away \(steps) training step\(steps == 1 ? "" : "s") taken since the last save"
    case .badSavedFile(let file, let field, let reason):
      return shown(file, limit: 160) + (field.map { ": " + $0 } ?? "") + " " + reason
    case .cannotDraw(let command, let makes, let drawable):
      return "'\(command)' draws \(drawable), but the generator makes \(makes.samplesDescription)"
    case .badWeightsFile(let file, let reason, _): return shown(file, limit: 160) + " " + reason
    case .pictureFormat(let path, let picture):
      return "cannot write a \(picture) as '\(shown(path, limit: 160))': \(picture)s are PNG images"
    case .unknownHelpTopic(let word, _, _): return "no command or concept '\(shown(word))'"
    case .mpiUnavailable(let reason): return "started by mpirun, but Open MPI cannot be used: \(reason)"
    case .augmentNeedsImages(let data):
      return "augment transforms images, and the loaded data are \(data.count)-D points"
    case .discriminatorOnly(let word): return "'\(word)' belongs in the discriminator, not the generator"
    case .optimizerOption(let name, _): return "'\(shown(name))' is not a setting: it is the optimiser's"
    case .translationTooShort(let shift, let side, _):
      return "augment translation shift=\(shift) moves \(side)×\(side) images by 0 pixels (\(shift) × \(side) rounds"
        + " to 0), so it would leave every image as it is"
    }
  }

  /// What to try, when there is something to suggest.
  public var hint: String? {
    switch kind {
    case .unterminatedString: return "close the string with \""
    case .undefinedVariable(_, let s), .unknownCommand(_, let s):
      if let s { return didYouMean(s) }
      if case .unknownCommand = kind { return "type 'help' for the list of commands" }
      return "declare it with 'param NAME = VALUE' or pass --set NAME=VALUE (in a string, \\$ is a dollar sign)"
    case .unknownLayer(_, let s):
      return s.map(didYouMean) ?? "type 'help layers' for the list of layers"
    case .unknownOption(_, _, let s, let known):
      return s.map(didYouMean) ?? "options: \(known.joined(separator: ", "))"
    case .missingArgument(_, let usage), .unexpectedArgument(_, let usage): return "usage: \(usage)"
    case .invalidValue: return nil
    case .tooLarge(_, _, let expected), .outOfRange(_, _, let expected): return "expected \(expected)"
    case .unknownEscape:
      return "strings know three escapes: \\\" for a quote, \\\\ for a backslash and \\$ for a dollar sign"
    case .unterminatedInterpolation: return "close it: \"${NAME}\" is replaced by parameter NAME"
    case .inapplicableOption(_, _, let applicable):
      return applicable.isEmpty ? "it takes no options" : "options that apply: " + applicable.joined(separator: ", ")
    case .flagValue(_, let flag):
      return "write '\(flag)' (or \(flag)=true) to turn it on; leave it out (or \(flag)=false) to keep it off"
    case .unknownParameter(_, let s, let declared):
      if let s { return didYouMean(s) }
      return declared.isEmpty
        ? "the notebook declares no parameters" : "its parameters: " + declared.joined(separator: ", ")
    case .unclosedBlock: return "finish the block with a line 'end'"
    case .endWithoutBlock: return nil
    case .commandInsideBlock: return "finish the block with 'end' first"
    case .layerOutsideBlock: return "layers go inside a 'generator' or 'discriminator' block, closed by 'end'"
    case .network(let role, let e):
      if let points = Self.pointsInputHint(e) { return points }
      if e.reason.contains("add '") { return "the \(role) was not kept; correct the block and enter it again" }
      if e.layerIndex == 0 {
        return "the \(role) was not kept; change layer 0 to fit that input, and enter the block again"
      }
      return "the \(role) was not kept; change layer \(e.layerIndex), or the layers before it that make its"
        + " input, and enter the block again"
    case .emptyNetwork: return "put layers between the block's first line and 'end'"
    case .networksDoNotFit(let g, let d):
      return Self.pointsAndImagesHint(g, d)
        ?? "change the generator's last layers so that it makes \(d.samplesDescription)"
    case .generatorDoesNotFitData(let g, let data):
      return Self.pointsAndImagesHint(g, data)
        ?? "change the generator's last layers so that it makes \(data.samplesDescription), or load the data at"
        + " the size it makes"
    case .dataDoesNotFit(let data, let d):
      return Self.pointsAndImagesHint(data, d)
        ?? "load the data with matching 'size' and 'channels', or change the networks"
    case .discriminatorOutput: return "end the discriminator with 'flatten', 'dense 1' and (for bce) 'sigmoid'"
    case .missing(_, let hint): return hint
    case .alreadyTrained: return "'save' the session first, then 'reset' to start over"
    case .latentAfterTraining:
      return "'save' the session first, then 'reset', set the latent and define the networks again"
    case .notFinite(let step): return step.hint
    case .interrupted: return "nothing was changed; run the command again to retry"
    case .notebookStopped:
      return "the lines before this one ran, and this one stopped cleanly; the lines after it did not run"
    case .notEnoughMemory(_, _, _, let hint): return hint
    case .noSuchPath: return "paths are relative to the folder ganrepl was started in"
    case .noImages(_, _, let errors):
      return errors.isEmpty
        ? "the folder needs .jpg, .jpeg or .png files"
        : "first errors: " + errors.map { shown($0, limit: 160) }.joined(separator: "; ")
    case .cannotWrite(_, _, let advised): return advised ? nil : "check that the folder exists and is writable"
    case .cannotRead: return nil
    case .badArchive: return "save the session again, or load another"
    case .unsavedTraining(_, let path):
      return "save first with 'save \"PATH\"', or write 'load \"\(path)\" discard' to load anyway"
    case .badSavedFile(_, let field, _):
      return field == nil
        ? "the file is damaged; save the session again, or load another"
        : "the value was edited or damaged; correct it, or load another saved session"
    case .cannotDraw(_, let makes, _):
      return makes == Shape(2)
        ? "on 2-D data, 'sample 1024' draws the generated points over D's verdict, with G's push on them"
        : "end the generator in an image (a 'deconv' and 'tanh') or in 'dense 2' for 2-D points"
    case .badWeightsFile(_, _, let hint): return hint
    case .pictureFormat: return "end the path in .png"
    case .unknownHelpTopic(_, let s, let concepts):
      return (s.map { didYouMean($0) + " " } ?? "") + "concepts: " + concepts.joined(separator: ", ")
        + " ('help concepts'; 'help' lists the commands)"
    case .mpiUnavailable:
      return
        "install Open MPI 4 or later ('apt-get install openmpi-bin libopenmpi-dev'), set GANREPL_LIBMPI to its"
        + " libmpi.so.40, or run ganrepl without mpirun"
    case .augmentNeedsImages:
      return
        "load images with 'data' (such as 'data faces'), or, if augment is on, write 'augment off'"
    case .translationTooShort(_, let side, let policy):
      return "write 'augment \(policy.joined(separator: " ")) shift=\(DiffAugment.shortestShift(side: side))' or more"
        + " (one pixel), or leave shift out for DiffAugment's 1/8"
    case .discriminatorOnly("pack"):
      return "G makes one sample per noise vector; put 'pack M' first in the discriminator (see 'help pacgan')"
    case .discriminatorOnly:
      return
        "G makes one sample per noise vector; put 'mbstd' before the discriminator's last conv (see 'help concept mbstd')"
    case .optimizerOption(let name, let value):
      let option =
        ["learning-rate": "lr", "learning_rate": "lr", "epsilon": "eps"][name.lowercased()] ?? name.lowercased()
      // lr is both optimisers'; the others belong to one ('show settings' says which is on).
      let kind = option == "momentum" ? "sgd" : "adam"
      return "write 'optimizer \(kind) \(option)=\(value)'" + (option == "lr" ? " (or sgd)" : "")
        + " for both networks, or 'optimizer generator \(kind) \(option)=\(value)' for one; options left out take"
        + " their defaults ('help optimizer')"
    }
  }

  /// The one wording of a suggestion, in a hint or after what a value should be.
  private func didYouMean(_ word: String) -> String { "did you mean '\(shown(word))'?" }

  /// Text from the input as a message shows it: control characters escaped (a NUL would
  /// end the line on a terminal) and long text cut to `limit` characters with "…".
  private func shown(_ text: String, limit: Int = 40) -> String {
    var result = ""
    for (i, c) in text.enumerated() {
      if i == limit { return result + "…" }
      guard c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
        result.append(c)
        continue
      }
      for scalar in c.unicodeScalars {
        switch scalar {
        case "\0": result += "\\0"
        case "\t": result += "\\t"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        default:
          result +=
            scalar.properties.generalCategory == .control
            ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
      }
    }
    return result
  }

  /// `file:line:col: error: message` and, on the next line, `  hint: …`.
  public var description: String {
    let prefix = location.map { "\($0): " } ?? ""
    return prefix + "error: " + message + (hint.map { "\n  hint: " + $0 } ?? "")
      + (note.map { "\n  note: " + $0 } ?? "")
  }
}
