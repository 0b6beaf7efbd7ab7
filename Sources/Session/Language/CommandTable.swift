import Layers
import Tensors

/// Every command of the notebook language: its name, usage, help, the words it takes and
/// how they become a `Command`. The table is what the parser, `help` and completion all read.
enum CommandTable: WordTable {
  static let entries: [CommandEntry] = [
    CommandEntry(
      name: "help", aliases: ["?"], usage: "help [COMMAND | layers | concepts | TOPIC]",
      summary: "list commands, or explain one; 'help concepts' for GAN ideas",
      help:
        "help alone lists the commands; 'help train' explains one; 'help layers' and 'help settings' list"
        + " the layers and settings; 'help concepts' lists GAN concepts and 'help mode-collapse' (or"
        + " 'help concept generator') explains one.",
      syntax: Syntax(positionals: [.init(name: "topic", optional: true, computed: { helpTopics })], variadic: true)
    ) { args throws(SessionError) in try helpCommand(args) },
    CommandEntry(
      name: "param", usage: "param NAME = VALUE",
      summary: "declare a notebook parameter with a default",
      help: """
        Declares $NAME for the lines that follow; a later param line (or this one typed again)
        changes it. --set NAME=VALUE on the command line wins over every param line. Use it as
        a word ($data) or inside a string ("${run}/grid.png").
        Example: param data = "../shared/data/img_align_celeba" (or param data="…", as --set writes it)
        """,
      syntax: Syntax(
        positionals: [.init(name: "name", optional: true), .init(name: "value", optional: true)], variadic: true)
    ) { args throws(SessionError) in try paramCommand(args) },
    CommandEntry(
      name: "set", usage: "set NAME VALUE [layers=A..B]", summary: "change a setting (see 'help settings')",
      help: "Settings: " + Setting.Name.allCases.map { "\($0.rawValue) — \($0.help)" }.joined(separator: "; ")
        + ". 'set ema-warmup K layers=A..B' gives the generator's layers A to B (as 'summary generator'"
        + " numbers them) their own K; 'set ema-warmup K' alone sets it for every layer.",
      syntax: Syntax(
        positionals: [.init(name: "name", choices: settingChoices), .init(name: "value")],
        options: [.init(name: "layers", help: "ema-warmup only: the generator's layers that take this K (0..1)")])
    ) { args throws(SessionError) in try setCommand(args) },
    CommandEntry(
      name: "data",
      usage:
        "data PATH|faces|ring|grid [size=64] [channels=3] [range=0..1|-1..1] [resize=squash|crop] [limit=N]"
        + " [flip] [cache=false] [batch=N] [count=N]",
      summary: "load an image folder (JPEG/PNG), the built-in faces, or 2-D toy points",
      help: """
        Loads every .jpg/.jpeg/.png under PATH (recursively), resized to size×size with
        `resize` (squash: like Keras; crop: shorter side then centre crop, like PyTorch),
        as `channels` (1 gray or 3 RGB), scaled to `range`; unreadable files are skipped and
        named. The decoded images are cached (~/.cache/ganrepl), so the next load of the same
        folder takes about a second; cache=false skips the cache. `flip` mirrors half the
        images at random each epoch. 'faces' draws built-in faces (count=N, default 2048) so
        you can start without a download; 'ring' (8 Gaussians) and 'grid' (25) are 2-D points
        for watching mode collapse (count=N, default 10000). batch=N sets the batch size.
        """,
      syntax: Syntax(
        positionals: [.init(name: "source", choices: dataSources, other: folderSource)],
        options: [
          .init(name: "size", help: "side of the square images (64)"),
          .init(name: "channels", help: "1 (gray) or 3 (RGB) (3)", choices: ["1", "3"]),
          .init(name: "range", help: "0..1 or -1..1 (0..1)", choices: DataSpec.PixelRange.allCases.map(\.rawValue)),
          .init(name: "resize", help: "squash or crop (squash)", choices: DataSpec.Resize.allCases.map(\.rawValue)),
          .init(name: "limit", help: "use only the first N files"),
          .init(name: "flip", isFlag: true, help: "mirror half the images at random each epoch"),
          .init(name: "cache", help: "use and keep the decoded-image cache (true)", choices: ["true", "false"]),
          .init(name: "batch", help: "images per step"),
          .init(name: "count", help: "how many built-in faces (2048) or points (10000)"),
        ])
    ) { args throws(SessionError) in try dataCommand(args) },
    CommandEntry(
      name: "generator", usage: "generator [init=glorot|normal] [std=0.02] … end",
      summary: "define the generator, one layer per line, closed by 'end'",
      help: """
        Starts a block of layers (see 'help layers') closed by 'end'. The input is the noise z
        (size 'latent'); a first conv/deconv layer sees it as 1×1×latent. init=glorot is
        Keras's default; init=normal draws N(0, std²) like the DCGAN paper.
        """,
      syntax: networkSyntax
    ) { args throws(SessionError) in .network(.generator, try networkHeader(args)) },
    CommandEntry(
      name: "discriminator", usage: "discriminator [init=glorot|normal] [std=0.02] … end",
      summary: "define the discriminator, one layer per line, closed by 'end'",
      help: """
        Starts a block of layers closed by 'end'. The input is an image (the data's
        size×size×channels); the output must be one score per image (dense 1, then sigmoid
        for bce).
        """,
      syntax: networkSyntax
    ) { args throws(SessionError) in .network(.discriminator, try networkHeader(args)) },
    CommandEntry(
      name: "loss", usage: "loss bce|mse|hinge", summary: "choose the GAN loss",
      help:
        "bce: binary cross-entropy (DCGAN); mse: least squares (LSGAN); hinge: max(0, 1 − D(x)) + max(0, 1 + D(G(z)))"
        + " for D and −D(G(z)) for G (SAGAN, BigGAN) on raw scores: end D with 'dense 1', no sigmoid;"
        + " D(x) and D(G(z)) then show σ(score).",
      syntax: Syntax(positionals: [.init(name: "loss", choices: Loss.allCases.map { .init($0.rawValue) })])
    ) { args throws(SessionError) in .loss(Loss(rawValue: try args.choice("loss")!)!) },
    CommandEntry(
      name: "optimizer",
      usage: "optimizer [generator|discriminator] adam|sgd [lr=…] [beta1=…] [beta2=…] [eps=…] [momentum=…]",
      summary: "choose each network's optimiser",
      help: """
        Applies to both networks unless one is named. Adam defaults are Keras's (lr 0.001,
        beta1 0.9, beta2 0.999, eps 1e-7); sgd takes lr and momentum. Changing only the
        learning rate mid-training keeps the optimiser's state.
        """,
      syntax: Syntax(
        positionals: [.init(name: "first", choices: optimizerChoices)],
        options: [
          .init(name: "lr", help: "learning rate"), .init(name: "beta1", help: "Adam β1 (0.9)"),
          .init(name: "beta2", help: "Adam β2 (0.999)"), .init(name: "eps", help: "Adam ε (1e-7)"),
          .init(name: "momentum", help: "SGD momentum (0)"),
        ])
    ) { args throws(SessionError) in try optimizerCommand(args) },
    CommandEntry(
      name: "summary", usage: "summary [generator|discriminator]",
      summary: "table of layers, output shapes and parameter counts",
      help: "Shows each layer, its output shape and parameters, like Keras's model.summary().",
      syntax: Syntax(positionals: [
        .init(name: "network", optional: true, choices: NetworkRole.allCases.map { .init($0.rawValue) })
      ])
    ) { args throws(SessionError) in .summary(try roles(args, "network")) },
    CommandEntry(
      name: "step", usage: "step [N] | step d [N] | step g [N]",
      summary: "train N batches (1), printing each; d or g: one network only",
      help: """
        Runs N training steps, printing D loss, G loss, D(x) and D(G(z)) for each.
        'step d' trains only the discriminator: a real batch and fresh fakes, D's loss and
        update; G's weights stay as they are. 'step g' trains only the generator: fresh
        fakes, G's loss through D, G's update; D's weights stay as they are, and no real
        batch is used, so the epoch does not move. 'every' rules run after full steps only.
        'explain step' tells one full step in words.
        """,
      syntax: Syntax(positionals: [.init(name: "count", optional: true, choices: stepHalves)])
    ) { args throws(SessionError) in try stepCommand(args) },
    CommandEntry(
      name: "train", usage: "train N [epochs|steps] | train until epoch|step N",
      summary: "train N epochs or steps, or until epoch|step N, with a progress bar",
      help: """
        Trains with a progress bar, then prints the averages. Ctrl-C stops after the current
        step. 'train 5 epochs' counts from where the session is (after a load, 5 more);
        'train until epoch 60' trains until epoch 60 has ended, counting from the session's
        start, so a run loaded from its checkpoint finishes what it planned (as Keras's
        fit(initial_epoch=…, epochs=60)); 'train until step 5000' likewise.
        """,
      syntax: Syntax(positionals: [
        .init(name: "count", choices: trainUntil),
        .init(
          name: "unit", optional: true,
          choices: [.init("epochs", aliases: ["epoch"]), .init("steps", aliases: ["step"])]),
      ])
    ) { args throws(SessionError) in try trainCommand(args) },
    CommandEntry(
      name: "every",
      usage:
        "every N [steps|batches|epochs] sample COUNT [PATH] | every N [steps|batches|epochs] save PATH | every off [N]",
      summary: "during training, sample or save periodically",
      help: """
        Adds a rule that runs while training: 'every 500 steps sample 64 "out/{step}.png"'
        writes a grid after steps 1, 501, 1001, …; 'every 100 batches …' after batches 0,
        100, 200, … of each epoch (the tutorial's rule); 'every 1 epoch save "runs/x"' saves
        the session when an epoch ends. {epoch}, {step} and {index} (batch in the epoch,
        from 0) are filled in. Without a PATH ('every 50 steps sample 16') the grid is a
        flip-book in the terminal, redrawn in place while training. 'every off' clears the
        rules.
        A rule that writes where another writes (the same PATH, or the flip-book) replaces it.
        'show every' lists the rules, numbered; 'every off N' removes rule N. 'reset' keeps
        the rules, as it keeps the data and settings.
        """,
      syntax: Syntax(positionals: everyPositionals, variadic: true)
    ) { args throws(SessionError) in try everyCommand(args) },
    CommandEntry(
      name: "sample", usage: "sample COUNT [PATH] [fresh] [mode=eval|train]",
      summary: "draw a grid of generated images, or write it (PNG)",
      help: """
        Generates COUNT images (1–4096) from the session's fixed noise, so grids are comparable
        over time; 'fresh' draws new noise. mode=eval (default, like Keras's training=False)
        uses BatchNorm's running statistics; mode=train uses the batch's, as the PyTorch
        DCGAN example's samples do. Without a PATH the grid is drawn in the terminal (kitty
        or iTerm2 images, else coloured half-blocks, else characters); when the output is
        not a terminal it is written to pictures/sample-stepN.png instead.
        On 2-D data (ring, grid) it draws COUNT points over the real ones, and once D exists
        D's verdict behind them (green: real, purple: fake, white: 0.5) and G's push on the
        fakes as arrows (the way each one's G loss falls), with a legend and the step.
        """,
      syntax: Syntax(
        positionals: [.init(name: "count"), .init(name: "path", optional: true)],
        options: [
          .init(name: "fresh", isFlag: true, help: "use new noise instead of the fixed noise"),
          .init(
            name: "mode", help: "eval (running statistics) or train (batch statistics)", choices: ["eval", "train"]),
        ])
    ) { args throws(SessionError) in
      .sample(
        count: try args.int("count", in: 1...SamplingLimits.maximum)!,
        path: try args.token("path").map { token throws(SessionError) in try gridPath(token, at: args.location) },
        fresh: try args.flag("fresh"),
        batchStatistics: try args.choice("mode", default: "eval") == "train")
    },
    CommandEntry(
      name: "show",
      usage:
        "show data [COUNT [PATH]] | show settings | show history [N] [PATH] | show params | show gradients | show diagnoses"
        + " | show every | show generator | show discriminator",
      summary:
        "show real images, settings, the loss history, parameters, gradients, diagnoses, every rules"
        + " or how each layer computes",
      help:
        "'show data' describes the loaded data, 'show data 16 \"real.png\"' writes a grid of real images;"
        + " 'show data 16' draws it in the terminal (or writes pictures/data-16.png when the output is not one);"
        + " 'show history 20' lists the last 20 steps, 'show history 500 \"h.csv\"' writes them as CSV"
        + " ('show history \"h.csv\"': every step);"
        + " 'show gradients' lists each layer's weight and gradient norms from its network's last update;"
        + " 'show diagnoses' lists what the diagnoses watch named while training ('set diagnose off' turns it off);"
        + " 'show every' lists the every rules, numbered;"
        + " 'show generator' and 'show discriminator' name the method each layer's forward and backward passes"
        + " run (im2col + sgemm, Winograd, shifted, …) and the rule that chose it.",
      syntax: Syntax(positionals: [.init(name: "topic", choices: showTopics)])
    ) { args throws(SessionError) in try showCommand(args) },
    CommandEntry(
      name: "save", usage: "save PATH", summary: "save the whole session to a folder",
      help:
        "Saves networks, optimiser state, random state, counters and history,"
        + " so 'load' continues exactly where this stopped.",
      syntax: Syntax(positionals: [.init(name: "path")])
    ) { args throws(SessionError) in .save(path: args.text("path")!) },
    CommandEntry(
      name: "load", usage: "load PATH [discard]", summary: "load a saved session",
      help: """
        Replaces the current session with a saved one and reloads its data. If the current
        session has trained since it was last saved or loaded, 'load' refuses to throw that
        training away unless told to with 'discard' (the REPL asks instead: repeat the load
        to go ahead).
        """,
      syntax: Syntax(
        positionals: [.init(name: "path")],
        options: [.init(name: "discard", isFlag: true, help: "load even if training since the last save is lost")])
    ) { args throws(SessionError) in .load(path: args.text("path")!, discard: try args.flag("discard")) },
    CommandEntry(
      name: "bench",
      usage:
        "bench [tutorial|dcgan|all] [steps=N] | bench data PATH [size=64] [channels=3] [resize=squash|crop] [steps=N]",
      summary: "measure training or data-loading speed",
      help: """
        Times training steps of the tutorial's networks (batch 32) and the classic DCGAN's
        (batch 64) on a random batch in memory, and reports images/s, GFLOP/s, the share of
        this machine's sgemm speed (measured in the same run), per-layer forward and backward
        times, threads, the BLAS kernels, peak memory and tensor allocations per step, and
        which method each layer's passes run and why (numbered notes below the table).
        'bench data PATH' loads a folder without a cache and again from the cache it wrote
        (then deletes it), reports files/s, seconds and peak memory, and trains the tutorial's
        networks on it for N steps to measure how long steps wait for data. The current
        session is not touched.
        """,
      syntax: Syntax(
        positionals: [.init(name: "which", optional: true, choices: benchChoices)],
        options: [
          .init(name: "steps", help: "timed steps (5; bench data: 8)"),
          .init(name: "size", help: "bench data: image side (64)"),
          .init(name: "channels", help: "bench data: 1 or 3 (3)"),
          .init(
            name: "resize", help: "bench data: squash or crop (squash)",
            choices: DataSpec.Resize.allCases.map(\.rawValue)),
        ])
    ) { args throws(SessionError) in
      let which = try args.choice("which", default: "all")!
      if which == "data" {
        guard let path = args.text("path") else {
          throw SessionError(
            .missingArgument("the folder to load", usage: "bench data PATH [size=64] [steps=N]"), at: args.location)
        }
        var spec = DataSpec(source: .folder(path))
        spec.size = try args.int("size", in: 4...1024, default: 64)!
        spec.channels = try args.int("channels", in: 1...3, default: 3)!
        spec.resize = DataSpec.Resize(rawValue: try args.choice("resize", default: "squash")!)!
        return .benchData(spec, steps: try args.int("steps", in: 2...10_000, default: 8)!)
      }
      let architectures = which == "all" ? BenchmarkArchitecture.allCases : [BenchmarkArchitecture(rawValue: which)!]
      return .bench(architectures, steps: try args.int("steps", in: 1...10_000, default: 5)!)
    },
    CommandEntry(
      name: "reset", usage: "reset [discard]", summary: "forget the networks and training, keep data and settings",
      help:
        "Drops both networks, their optimisers, counters, history and diagnoses, so they can be defined again."
        + " The data, the settings and the every rules stay (the notice says how many rules;"
        + " 'every off' removes them). At the REPL, a reset that would throw away training since"
        + " the last save warns once; 'reset' again, or 'reset discard', goes ahead.",
      syntax: Syntax(options: [
        .init(name: "discard", isFlag: true, help: "reset without asking, even if training since the last save is lost")
      ])
    ) { args throws(SessionError) in .reset(discard: try args.flag("discard")) },
    CommandEntry(
      name: "quit", aliases: ["exit"], usage: "quit", summary: "leave ganrepl",
      help: """
        Leaves the REPL (Ctrl-D does too). If the session has trained since it was last
        saved, the REPL says so first; 'quit' or Ctrl-D again leaves anyway. A notebook may
        end or quit without saving.
        """,
      syntax: Syntax()
    ) { _ throws(SessionError) in .quit },
    plotEntry, interpolateEntry, nearestEntry,
    CommandEntry(
      name: "explain", usage: "explain step", summary: "run one step and tell what happens in it, with its numbers",
      help: """
        Runs one full training step, like 'step', and tells it in order: the real batch and
        D's verdict on it, D(x); the fakes G made and D's verdict, D(G(z)); D's loss (real
        part + fake part) and its update; D's verdict on the same fakes after the update
        (the a → b of 'step'); G's loss and update; and how large each network's gradients
        were. 'show gradients' then lists them layer by layer.
        """,
      syntax: Syntax(positionals: [.init(name: "what to explain", choices: [.init("step")])])
    ) { args throws(SessionError) in
      // `explain train`, `explain gan`: say what explain does and where the rest is.
      if let t = args.token("what to explain"), t.text.lowercased() != "step" {
        throw SessionError(
          .invalidValue(
            t.text, for: "what to explain",
            expected: "'step': explain runs one training step and tells it; 'train' then 'plot' shows a run,"
              + " and 'help concepts' lists the ideas explained",
            suggestion: closest(to: t.text.lowercased(), among: ["step"])),
          at: args.location.at(column: t.column))
      }
      return .explainStep
    },
    exportEntry, importEntry, evalEntry, augmentEntry, recordEntry,
  ]

}

/// How many samples one grid or plot may hold: as many as the fixed noise has.
enum SamplingLimits {
  static let maximum = 4096
}
