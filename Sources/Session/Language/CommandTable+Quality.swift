/// `eval swd`: a quality score of the generator (`MultiScaleSWD`).
extension CommandTable {
  static let evalEntry = CommandEntry(
    name: "eval", usage: "eval swd [count=N] [mode=eval|train] [\"FOLDER\"]",
    summary: "score the generator against the data: sliced Wasserstein distance (lower is closer)",
    help: """
      Scores N generated images (from fresh noise, in eval mode; the moving average when
      'set ema' is on) against N images of the loaded data with the multi-scale sliced
      Wasserstein distance of Progressive GANs (Karras et al. 2018): a Laplacian pyramid
      down to 16×16, 128 random 7×7 neighbourhoods per image and level, 512 random
      projections; each level ×10³, and their mean. Lower is closer; 0 is out of reach, as
      two draws of the same images differ. With a FOLDER, its images (loaded as the data
      was: size, channels, range) are scored instead, e.g. another program's samples.
      count: 2 or more, never more than the data (or the folder) holds; by default the
      data's size, at most 2048. A score of generated images goes into the history
      ('show history', its CSV). Needs images of at least 16×16.
      mode=train (generated images only) normalises BatchNorm over each 64 generated
      images instead of using its running statistics, as PyTorch's DCGAN example draws
      its samples (the running statistics are left as they were).
      Example: eval swd count=1000
      """,
    syntax: Syntax(
      positionals: [.init(name: "metric", choices: [.init("swd")]), .init(name: "folder", optional: true)],
      options: [
        .init(name: "count", help: "images in each set (default: the data's size, at most 2048)"),
        .init(
          name: "mode", help: "eval (running statistics) or train (batch statistics)", choices: ["eval", "train"]),
      ])
  ) { args throws(SessionError) in
    _ = try args.choice("metric")
    return .evaluate(
      count: try args.int("count", in: 2...65_536), folder: args.text("folder"),
      batchStatistics: try args.choice("mode", default: "eval") == "train")
  }
}
