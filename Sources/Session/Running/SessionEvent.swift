import Layers
import Tensors

/// What the session reports while it works. The library never prints: the executable
/// turns events into text (`Presenter`), tests collect them.
public enum SessionEvent: Sendable {
  /// A short confirmation ("seed 42", "loss bce").
  case notice(String)
  /// Something the user should know that is not an error.
  case warning(String)
  /// Files decoded so far while loading data.
  case loading(done: Int, total: Int)
  case dataLoaded(DataSummary)
  case summary(NetworkSummary)
  case step(StepStats)
  /// Progress of `train`: the last step and how far the command has come.
  case progress(TrainProgress)
  /// One epoch finished during `train`.
  case epochFinished(epoch: Int, averages: StepAverages)
  case trainFinished(TrainProgress, averages: StepAverages, interrupted: Bool)
  case wrote(path: String, what: String)
  case settings([(name: String, value: String)])
  case history([StepStats])
  case help(HelpText)
  case benchmark(BenchmarkReport)
  case dataBenchmark(DataBenchmarkReport)
  /// A picture to draw in the terminal (no path was given).
  case picture(InlinePicture)
  /// The end of an epoch that `train` joined part-way (after `step`, a stop or a load): the
  /// averages are over `batches` (1-based) of the epoch's `of`, not over the whole epoch.
  case partialEpochFinished(epoch: Int, batches: ClosedRange<Int>, of: Int, averages: StepAverages)
  /// `explain step`: the step in order, with its numbers.
  case explainedStep(StepExplanation)
  /// `show gradients`: each network's norms from its last update; nil before one.
  case gradients([(role: NetworkRole, norms: GradientNorms?)])
  /// The diagnoses watch named something going wrong in the step just taken.
  case diagnosis(DiagnosisFinding)
  /// `show diagnoses`: everything the watch named in this session.
  case diagnoses([DiagnosisFinding])
  /// `eval swd`: levels of the pyramid scored so far.
  case evaluating(done: Int, total: Int)
  /// `eval swd`: the score.
  case swd(SWDReport)
  /// `show generator`, `show discriminator`: how each layer computes, and why.
  case paths(NetworkPaths)
}

public struct DataSummary: Sendable {
  public var spec: DataSpec
  public var count: Int
  public var sampleShape: Shape
  public var bytes: Int
  public var skipped: [(file: String, reason: String)]
  /// How long loading took; nil when describing data loaded earlier.
  public var seconds: Double?
  public var batchesPerEpoch: Int
  public var batch: Int
  /// Whether the images came from the on-disk cache, and which file.
  public var fromCache: Bool
  public var cacheFile: String?
  /// Why an existing cache was rebuilt, or why one could not be written.
  public var cacheNote: String?
  /// Cache files removed to keep the cache under its limit, their bytes, and the limit.
  public var cacheTrimmed: (files: Int, bytes: Int, limit: Int)? = nil
  /// Under mpirun, the ranks the images are split across (`bytes` is this rank's share).
  public var ranks = 1
  /// Under mpirun, the files the other ranks' shares skipped (rank 0 names its own).
  public var skippedElsewhere = 0
}

public struct NetworkSummary: Sendable {
  public struct Row: Sendable {
    public var index: Int
    public var kind: String
    public var definition: String
    public var output: Shape
    public var parameters: Int
  }

  public var role: NetworkRole
  public var input: Shape
  public var rows: [Row]
  public var initializer: String
  public var optimizer: String
  public var total: Int { rows.reduce(0) { $0 + $1.parameters } }
}

public struct TrainProgress: Sendable {
  public var last: StepStats
  /// Steps done and planned by this command.
  public var done: Int
  public var planned: Int
  public var elapsed: Double
}

/// Help as data: the executable lays it out.
public enum HelpText: Sendable {
  case commands([(usage: String, summary: String)])
  case command(usage: String, summary: String, help: String, options: [(name: String, help: String)])
  case layers([(usage: String, help: String)])
  case settings([(name: String, help: String)])
  /// `help concepts`: each concept's name and one line.
  case concepts([(name: String, summary: String)])
  /// `help TOPIC` for a concept: a screenful of plain words.
  case concept(name: String, summary: String, text: String)
}
