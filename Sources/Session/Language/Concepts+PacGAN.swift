extension Concepts {
  /// `help pacgan`: why judging samples in packs stops mode collapse.
  static let pacgan = Concept(
    name: "pacgan", aliases: ["packing"], summary: "D judges M samples at once: 'pack 2'",
    text: """
      PacGAN (Lin et al., 2018): D judges M samples packed together instead of
      one at a time. 'pack 2' first in the discriminator groups consecutive
      rows of each batch in twos, real with real and fake with fake, and puts
      them side by side (points end to end, images channel on channel); D
      gives one verdict per pack and G's gradient flows back to both samples.
      Why it stops mode collapse: one sample on a mode looks real whatever
      the others do, but two fakes from a collapsed G land on the same mode
      far more often than two real samples do. A pack shows D the variety of
      G's output, so D can punish a G that drops modes, and G must spread out.

        discriminator
          pack 2            D's input: [2] → [4] on 2-D points
          dense 128
          ...
      The batch must be a multiple of M (one label per pack, so D's loss is
      over B/M verdicts); the paper tries M = 2, 3, 4. D grows only in its
      first layer. Try: notebooks/toy-grid.gan, 25 modes; see mode-collapse.
      """)
}
