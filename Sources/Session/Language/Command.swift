import Layers
import Tensors

/// The two networks of a GAN.
public enum NetworkRole: String, CaseIterable, Codable, Sendable {
  case generator
  case discriminator
}

/// A network as a notebook defines it: layers, how its weights start, and where each
/// layer line was written (for error messages; not saved).
public struct NetworkDefinition: Codable, Sendable {
  public var layers: [LayerSpec]
  public var initializer: Initializer
  public var locations: [SourceLocation] = []

  enum CodingKeys: String, CodingKey { case layers, initializer }

  public init(layers: [LayerSpec], initializer: Initializer, locations: [SourceLocation] = []) {
    self.layers = layers
    self.initializer = initializer
    self.locations = locations
  }
}

/// How often an `every` rule fires.
public enum Period: Hashable, Codable, Sendable, CustomStringConvertible {
  /// After steps 1, N + 1, 2N + 1, … of the session.
  case steps(Int)
  /// After batches 0, N, 2N, … of every epoch (counted from 0): the tutorial's
  /// `if idx % 100 == 0` inside its loop over the dataset.
  case batches(Int)
  /// At the end of every N-th epoch.
  case epochs(Int)

  public var description: String {
    switch self {
    case .steps(let n): n == 1 ? "every step" : "every \(n) steps"
    case .batches(let n): n == 1 ? "every batch" : "every \(n) batches of an epoch"
    case .epochs(let n): n == 1 ? "every epoch" : "every \(n) epochs"
    }
  }
}

/// What an `every` rule does.
public enum PeriodicAction: Hashable, Codable, Sendable, CustomStringConvertible {
  /// A grid of `count` images from the fixed noise; the path may hold `{epoch}`, `{step}`,
  /// `{index}` (batch within the epoch). Without a path, a flip-book in the terminal.
  case sample(count: Int, path: String?, batchStatistics: Bool)
  case save(path: String)

  /// Where it writes; nil for a flip-book.
  public var path: String? {
    switch self {
    case .sample(_, let path, _): path
    case .save(let path): path
    }
  }

  public var description: String {
    switch self {
    case .sample(let count, let path, let train):
      "sample \(count)" + (path.map { " " + Lexer.quoted($0) } ?? "") + (train ? " mode=train" : "")
    case .save(let path): "save " + Lexer.quoted(path)
    }
  }
}

public struct EveryRule: Hashable, Codable, Sendable, CustomStringConvertible {
  public var period: Period
  public var action: PeriodicAction
  public var description: String { "\(period): \(action)" }
}

/// How long `train` runs.
public enum TrainLength: Hashable, Sendable {
  case epochs(Int)
  case steps(Int)
  /// `train until epoch N`: until epoch N has ended, counted from the session's start (a
  /// resumed run's plan, as Keras's `fit(initial_epoch=…, epochs=N)`).
  case untilEpoch(Int)
  /// `train until step N`: until N steps have been taken since the session's start.
  case untilStep(Int)
}

/// What `show` shows.
public enum ShowTopic: Hashable, Sendable {
  /// A grid of real images, written to `path` or drawn in the terminal.
  case data(count: Int, path: String?)
  /// What is loaded: count, shape, range, memory, skipped files.
  case dataSummary
  case settings
  case history(last: Int)
  case params
  /// The last steps of the history as a CSV file.
  case historyFile(last: Int, path: String)
  /// Per-layer weight and gradient norms of each network's last update.
  case gradients
  /// What the diagnoses watch named in this session.
  case diagnoses
  /// The `every` rules, numbered.
  case every
  /// How each layer of a network computes its passes, and why.
  case paths(NetworkRole)
}

/// One parsed command: past the parser there are no strings to interpret, only paths
/// and names.
public enum Command: Sendable {
  case help(topic: String?)
  case param(name: String, value: String)
  /// `layersColumn`: where `layers=` was written, for errors found when it is applied.
  case set(Setting, layersColumn: Int? = nil)
  case data(DataSpec, batch: Int?)
  case network(NetworkRole, NetworkDefinition)
  case loss(Loss)
  /// `given`: the options typed (the others took their defaults).
  case optimizer([NetworkRole], OptimizerSpec, given: Set<String> = [])
  case summary([NetworkRole])
  case step(count: Int)
  case train(TrainLength)
  case every(EveryRule?)
  /// Without a path, the grid is drawn in the terminal.
  case sample(count: Int, path: String?, fresh: Bool, batchStatistics: Bool)
  case show(ShowTopic)
  case save(path: String)
  /// `discard`: go ahead even when training since the last save would be lost.
  case load(path: String, discard: Bool)
  case bench([BenchmarkArchitecture], steps: Int)
  case benchData(DataSpec, steps: Int)
  /// `discard`: typed to go ahead without the REPL asking, as `load … discard`.
  case reset(discard: Bool)
  case quit
  /// A flip-book frame: what an `every … sample COUNT` rule without a path draws in the
  /// terminal while training (never parsed; `PeriodicAction.command` makes it).
  case sampleFrame(count: Int, batchStatistics: Bool)
  /// `help concepts` (nil) or one concept: `help mode-collapse`, `help concept generator`.
  case concept(Concept?)
  case plot(path: String)
  /// A walk through the latent space between two rows of the fixed noise; without a path,
  /// drawn in the terminal.
  case interpolate(from: Int, to: Int, steps: Int, path: String?)
  case nearest(count: Int, path: String?)
  /// `step d N` / `step g N`: N steps that train only that network.
  case stepOnly(NetworkRole, count: Int)
  /// `explain step`: one full step, narrated.
  case explainStep
  /// `export generator|discriminator PATH`, `export samples N PATH`.
  case export(ExportItem, path: String)
  /// `import generator|discriminator PATH`.
  case importWeights(NetworkRole, path: String)
  /// `every off N`: remove rule N (as `show every` numbers them).
  case everyOff(rule: Int)
  /// `eval swd [count=N] [FOLDER]`: the SWD of generated images (or FOLDER's) to the data.
  case evaluate(count: Int?, folder: String?, batchStatistics: Bool)
  /// `augment color translation cutout [shift=R]` (any of them; empty: `augment off`).
  case augment(Set<Augmentation>, shift: Float)
  /// `record [PATH]`: the lines that ran, written as a notebook (or shown).
  case record(path: String?)
}
