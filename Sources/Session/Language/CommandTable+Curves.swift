/// The commands that draw what training did and what the generator learnt: `plot`,
/// `interpolate` and `nearest` (`show history N PATH` is in `show`).
extension CommandTable {
  static let plotEntry = CommandEntry(
    name: "plot", usage: "plot PATH", summary: "draw the losses and verdicts against the step (PNG)",
    help: """
      Draws the session's whole history (a loaded session's included) as two panels over
      the step: D loss and G loss above, D(x) and D(G(z)) before and after D's update
      below (0..1, dashed at 0.5). Every step is drawn as recorded, nothing smoothed.
      Example: plot "out/curves.png"
      """,
    syntax: Syntax(positionals: [.init(name: "path")])
  ) { args throws(SessionError) in .plot(path: try picturePath(args.token("path")!, of: "plot", at: args.location)) }

  static let interpolateUsage = "interpolate A B [steps=8] [PATH]"
  static let interpolateEntry = CommandEntry(
    name: "interpolate", usage: interpolateUsage,
    summary: "walk the latent space between two fixed-noise samples (drawn, or PNG)",
    help: """
      Generates STEPS images (2–64, both ends included) on the great circle (slerp) from
      fixed-noise sample A to sample B, in inference mode, as one row. A and B count the
      images of 'sample' from 0 (0–\(SamplingLimits.maximum - 1)).
      Smooth changes mean the generator learnt a continuous space; sudden jumps or
      repeats, that it did not. Without a PATH the row is drawn in the terminal (or written
      to pictures/walk.png when the output is not one), like 'sample 16'.
      Example: interpolate 0 5 steps=10 "out/walk.png"
      """,
    syntax: Syntax(
      positionals: [
        .init(name: "index A", about: "A, the first sample index"),
        .init(name: "index B", about: "B, the second sample index"), .init(name: "path", optional: true),
      ],
      options: [.init(name: "steps", help: "images in the walk, both ends included (8)")])
  ) { args throws(SessionError) in
    let index = 0...(SamplingLimits.maximum - 1)
    try pathNotIndex("index B", about: "B, the second sample index", in: args, usage: interpolateUsage)
    try pathNotIndex("index A", about: "A, the first sample index", in: args, usage: interpolateUsage)
    let (a, b) = (try args.int("index A", in: index)!, try args.int("index B", in: index)!)
    guard a != b else {
      // A walk from a sample to itself is one image repeated.
      throw SessionError(
        .invalidValue(
          "\(b)", for: "index B", expected: "another sample than A (\(a)), for a walk between two images"),
        at: args.location.at(column: args.token("index B")!.column))
    }
    return .interpolate(
      from: a, to: b,
      steps: try args.int("steps", in: 2...64, default: 8)!,
      path: try optionalPicturePath(args, of: "latent walk"))
  }

  static let nearestEntry = CommandEntry(
    name: "nearest", usage: "nearest N [PATH]",
    summary: "generated images beside their 3 nearest training images (drawn, or PNG)",
    help: """
      Generates N images (1–64, the first N of 'sample') and puts each in a row with the 3
      training images nearest to it by pixel distance (L2 over the whole dataset). A
      generator that memorises shows its training images as their own neighbours, at an
      RMS difference near 0; one that generalises shows faces that are only alike.
      Without a PATH it is drawn in the terminal (or written to pictures/nearest.png).
      Example: nearest 8 "out/nn.png"
      """,
    syntax: Syntax(positionals: [
      .init(name: "count", about: "N, how many generated images"), .init(name: "path", optional: true),
    ])
  ) { args throws(SessionError) in
    try pathNotIndex("count", about: "N, how many generated images", in: args, usage: "nearest N [PATH]")
    return .nearest(
      count: try args.int("count", in: 1...64)!, path: try optionalPicturePath(args, of: "nearest-images grid"))
  }

  /// `interpolate 0 "w.png"`: a path standing where an index belongs means the index is
  /// missing (the path is optional, so the path took the index's place), not that the
  /// index is a bad number.
  static func pathNotIndex(_ name: String, about: String, in args: Arguments, usage: String) throws(SessionError) {
    guard let token = args.token(name), token.looksLikePath else { return }
    throw SessionError(.missingArgument(about, usage: usage), at: args.location.at(column: token.column))
  }

  /// A picture's path when one is given (it must name a PNG); nil draws it in the terminal.
  static func optionalPicturePath(_ args: Arguments, of picture: String) throws(SessionError) -> String? {
    try args.token("path").map { token throws(SessionError) in
      try picturePath(token, of: picture, at: args.location)
    }
  }

  /// `show history N PATH`: the path must name a CSV file.
  static func csvPath(_ token: Token, at location: SourceLocation) throws(SessionError) -> String {
    guard token.text.lowercased().hasSuffix(".csv") else {
      throw SessionError(
        .invalidValue(token.text, for: "history file", expected: "a name ending in .csv, e.g. \"out/history.csv\""),
        at: location.at(column: token.column))
    }
    return token.text
  }
}
