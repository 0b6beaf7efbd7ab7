import Layers

extension DataSpec {
  /// The values `data` accepts: the binder reads them, `validate` checks a loaded session.
  public enum Limits {
    public static let faces = 1...1_000_000
    public static let points = 1...10_000_000
    public static let size = 4...1024
    public static let channels = 1...3
    public static let limit = 1...100_000_000
  }

  /// Checks every field against `Limits`; fields are the spec's JSON paths.
  public func validate() throws(RuleViolation) {
    switch source {
    case .folder(let path):
      guard !path.isEmpty else {
        throw RuleViolation(field: "source.folder._0", value: "\"\"", expected: "a folder path")
      }
    case .faces(let count): try Rule.check(count, in: Limits.faces, "source.faces.count")
    case .ring(let count): try Rule.check(count, in: Limits.points, "source.ring.count")
    case .grid(let count): try Rule.check(count, in: Limits.points, "source.grid.count")
    }
    try Rule.check(size, in: Limits.size, "size")
    guard channels == 1 || channels == 3 else {
      throw RuleViolation(field: "channels", value: "\(channels)", expected: "1 (gray) or 3 (RGB)")
    }
    if let limit { try Rule.check(limit, in: Limits.limit, "limit") }
  }
}

extension EveryRule {
  /// How often a rule may fire: every 1 to 10⁹ steps, batches or epochs.
  public static let periods = 1...1_000_000_000
  /// Images in a periodic sample grid.
  public static let sampleCounts = 1...SamplingLimits.maximum

  /// Checks the period and the action; fields are the rule's JSON paths.
  public func validate() throws(RuleViolation) {
    switch period {
    case .steps(let n): try Rule.check(n, in: Self.periods, "period.steps._0")
    case .batches(let n): try Rule.check(n, in: Self.periods, "period.batches._0")
    case .epochs(let n): try Rule.check(n, in: Self.periods, "period.epochs._0")
    }
    switch action {
    case .sample(let count, let path, _):
      try Rule.check(count, in: Self.sampleCounts, "action.sample.count")
      guard path?.isEmpty != true else {
        throw RuleViolation(field: "action.sample.path", value: "\"\"", expected: "a file path or none")
      }
    case .save(let path):
      guard !path.isEmpty else {
        throw RuleViolation(field: "action.save.path", value: "\"\"", expected: "a folder path")
      }
    }
  }
}
