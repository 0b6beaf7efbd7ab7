extension Concepts {
  /// `help mbstd`: the minibatch standard deviation, another way for D to see G's variety.
  static let minibatchStdDev = Concept(
    name: "mbstd", aliases: ["minibatch-stddev", "minibatchstd"],
    summary: "D sees how much a batch's samples differ: 'mbstd'",
    text: """
      Minibatch standard deviation (Karras et al., Progressive GANs, 2018):
      one layer, placed before D's last conv, that adds one channel: how much
      the samples of a small group differ. Consecutive samples form groups of
      4 ('mbstd group=N' for others; the last group takes the remainder).
      For each group it takes the standard deviation of every value over the
      group's samples, averages them into one number, and gives every sample
      of the group that number as a channel of its own, the same at every
      position. Real faces differ; fakes from a G that draws one face again
      and again do not, so D can tell by that channel alone, and G must
      spread out. D sees real and fake batches apart, so no group mixes them.

        discriminator
          ...
          leakyrelu 0.2       4×4×512
          mbstd               4×4×512 → 4×4×513
          conv 1 kernel=4
          ...
      No weights; it works the same in training and inference, and only in a
      discriminator. Unlike 'pack' (help pacgan), D still gives one verdict
      per sample. On the toys, D's field at a point is its verdict on a group
      of copies of it: what D says to a G that collapsed there. See
      mode-collapse.
      """)
}
