/// The concepts `help TOPIC` explains, in the order `help concepts` lists them. Every
/// number here is what ganrepl computes and prints (checked against `GANTrainer`,
/// `Loss.evaluate`, `StepStats` and the `Presenter`); `ConceptTests` holds each text to
/// 80 columns and one screen.
enum Concepts {
  static let all: [Concept] = [
    Concept(
      name: "gan", aliases: ["gans"], summary: "two networks trained against each other",
      text: """
        A GAN is two networks trained against each other. The generator G turns
        random noise z into an image; the discriminator D looks at an image and
        gives the probability that it is real. Each 'step' ganrepl:
          1. takes a batch of real images x and makes a batch of fakes G(z);
          2. trains D to say 1 for x and 0 for G(z)            (D's update);
          3. trains G so that D says 1 for G(z), through the updated D (G's).
        G never sees a real image: it learns only from the gradients D sends
        back through the fakes. When both play well D cannot tell real from fake
        and says 0.5 to everything: that balance is the goal, not a failure.

        Numbers to watch on each 'step' line:
          D loss and G loss near 0.693 at the balance     (help losses)
          D(x) and D(G(z)) between about 0.2 and 0.8       (help d-of-x)
        The losses do not fall steadily as in other networks: they see-saw.
        Judge the pictures ('sample 16 "grid.png"'), not the losses alone.
        Try: notebooks/lessons/, six lessons from 2-D points to faces.
        See also: generator, discriminator, mode-collapse, latent-space.
        """),
    Concept(
      name: "generator", aliases: ["g"], summary: "G: turns noise z into an image",
      text: """
        The generator G maps a noise vector z ('latent' numbers, 100 unless 'set
        latent N', drawn from N(0, 1)) to an image of the data's shape. It starts
        out drawing noise and improves only through D's gradients.
        A DCGAN generator grows the image: dense (or deconv) to a small map such
        as 4×4, then deconv layers that double the side (kernel=4 stride=2) with
        batchnorm and relu between them, and a last activation that matches the
        data's range:
          tanh     for data in -1..1     ('data … range=-1..1', PyTorch's DCGAN)
          sigmoid  for data in 0..1      (the default range, the Keras tutorial)
        A mismatch is a classic mistake; ganrepl warns at the line that makes it.

        G loss, with 'loss bce': -ln D(G(z)) averaged over the batch, D's verdict
        after D's update. 0.693 when D says 0.5; it grows as D wins: 2.3 at
        D(G(z)) = 0.1, 4.6 at 0.01. A G loss that climbs and stays high means G
        is losing (help vanishing-gradients).
        'sample 16 "g.png"' draws G's images from fixed noise, so grids from
        different steps show the same z. The command: 'help generator'.
        """),
    Concept(
      name: "discriminator", aliases: ["d", "critic"], summary: "D: says how likely an image is real",
      text: """
        The discriminator D is a classifier: an image in, one number out, the
        probability that the image is real ('dense 1' then 'sigmoid' for bce).
        A DCGAN discriminator shrinks the image: conv layers with stride=2 that
        halve the side, leakyrelu (slope 0.2) between them, no batchnorm on the
        first, then flatten, dense 1, sigmoid.
        Each step D is trained on two half-batches, each a full 'batch': the real
        images towards 'real-label' (1) and the fakes towards 'fake-label' (0).
        Its loss is the mean of the two halves ('set d-loss mean', the default,
        as the Keras tutorial) or their sum ('set d-loss sum', as PyTorch).

        Numbers to watch:
          D(x)      its verdict on the real batch; healthy about 0.5–0.8
          D(G(z))   its verdict on the fakes; healthy about 0.2–0.5
          D loss    0.693 at the balance (mean; 1.386 with sum), → 0 when D wins
        D winning outright (D loss → 0, D(x) → 1, D(G(z)) → 0) leaves G little
        to learn from: D should be good, not perfect. If D wins early, slow it
        down: 'optimizer discriminator adam lr=1e-4'.
        The command: 'help discriminator'; the verdicts: 'help d-of-x'.
        """),
    Concept(
      name: "losses", aliases: ["loss", "bce", "d-loss", "g-loss", "equilibrium"],
      summary: "what D loss and G loss measure; 0.693 and 1.386",
      text: """
        BCE (binary cross-entropy, 'loss bce') measures how surprised D is by the
        truth: -ln p when the answer is "real", -ln(1 − p) when it is "fake",
        averaged over the batch. A sure right answer costs 0; a coin toss
        (p = 0.5) costs ln 2 ≈ 0.693; a sure wrong one a lot (p = 0.01: 4.6).

        What ganrepl prints after 'step' and 'train':
          D loss = (BCE on the real half + BCE on the fake half) / 2
                   with 'set d-loss mean' (the default, the Keras tutorial)
                 = BCE on the real half + BCE on the fake half
                   with 'set d-loss sum' (the PyTorch DCGAN example)
          G loss = BCE of D's verdict on the fakes against "real": -ln D(G(z))
        At the balance D says 0.5 to everything, so:
          D loss 0.693 (ln 2) with d-loss mean, 1.386 (2 ln 2) with d-loss sum
          G loss 0.693 (ln 2)
        D loss well below that: D is winning. G loss above 2–3 while D loss
        nears 0: G is losing (D(G(z)) below about 0.1).
        'loss mse' (least squares, LSGAN) uses (p − target)² instead: at p = 0.5
        D loss is 0.25 (mean) or 0.5 (sum), G loss 0.25.
        'loss hinge' scores raw s (D ends in 'dense 1'): D loss max(0, 1 − s)
        on reals + max(0, 1 + s) on fakes, G loss −s; D(x) shows σ(s), and at
        s = 0 D loss is 1 (mean) or 2 (sum), G loss 0.
        'set real-label 0.9' moves the floors: see 'help label-smoothing'.
        """),
    Concept(
      name: "d-of-x", aliases: ["d(x)", "d(g(z))", "dx", "dgz", "d-of-g-of-z", "verdict", "verdicts"],
      summary: "D(x), D(G(z)) and the a → b that 'step' prints",
      text: """
        D(x) and D(G(z)) are D's verdicts: the mean probability, over a batch,
        that D gives to "this image is real".
          D(x)      on the real batch x, in D's update (before it changes D)
          D(G(z))   on the fakes G(z), printed as two numbers "a → b":
            a   in D's update, before it: the fakes D is trained to reject
            b   after D's update, before G's: the same fakes, scored again by
                the updated D in G's step, where G's loss is measured
        "→" means "then", not a division (PyTorch prints the pair as "a / b").
        Usually b < a: D has just learned to reject those very fakes.

        Healthy, mid-training: D(x) about 0.5–0.8 and D(G(z)) about 0.2–0.5,
        both wobbling from step to step. At the balance both are 0.5.
        Warning signs:
          D(x) → 1 and D(G(z)) → 0    D wins; G learns little (vanishing-gradients)
          D(G(z)) near 1, bad images  G fools a weak D: give D more capacity
          exactly 0.500 every step    D sees nothing (batchnorm with batch 1?)
          a far above b every step    D's learning rate may be too high
        'train' prints the same numbers averaged over each epoch.
        Spellings: help D(x), help "D(G(z))", help d-of-x.
        """),
    Concept(
      name: "mode-collapse", aliases: ["collapse", "modecollapse", "modes"],
      summary: "G makes only a few kinds of output",
      text: """
        Mode collapse: G finds a few outputs that fool D and makes only those:
        many different z give the same face, or on the 2-D toys the points pile
        onto a few of the modes. D then learns to reject them, G jumps to others,
        and the two chase each other round the data ("partial collapse": modes
        come and go from one plot to the next).
        How to see it:
          - on the toys ('data ring', 'data grid'), 'sample 1024 "p.png"' writes
            a scatter plot and says "modes covered 5 of 8": fewer than all;
          - on images, 'sample 64 "g.png"': many near-identical faces, the same
            face for different z;
          - the losses alone do not show it: G loss can look fine meanwhile.
        What to try:
          - Adam with beta1=0.5 and a smaller rate: 'optimizer adam lr=2e-4
            beta1=0.5' (the DCGAN's settings);
          - batchnorm in G; label smoothing ('set real-label 0.9');
          - another start: collapse depends on it ('reset', 'set seed 7').
          - let D judge samples in packs: 'pack 2' first in D (help pacgan),
            or see a batch's variety: 'mbstd' before D's last conv (help concept mbstd).
        Try: notebooks/toy-ring.gan, where modes are lost and regained.
        """),
    Concept(
      name: "vanishing-gradients", aliases: ["vanishing", "vanishing-gradient", "saturation"],
      summary: "D too sure: G gets almost no signal",
      text: """
        G learns only from the gradient D sends back through the fakes. When D
        is too sure (D(G(z)) near 0), that signal becomes small or useless and
        G stops improving while D loss sits near 0.
        The GAN paper's minimax G loss, ln(1 − D(G(z))), is flat exactly there.
        ganrepl's G loss is the paper's "non-saturating" one, -ln D(G(z)), which
        stays steep when D rejects the fakes (2.3 at D(G(z)) = 0.1, 4.6 at 0.01),
        so the signal fades later; a D that wins outright still starves G.
        Deep stacks of sigmoid or tanh shrink gradients too (their slopes are at
        most 0.25 and 1); relu and leakyrelu do not, which is why DCGANs use
        them inside and keep sigmoid/tanh for the last layer.

        Numbers to watch, over many steps:
          D loss below about 0.05 and D(G(z)) below about 0.05
          G loss above about 4 and not coming down
          sample grids that stop changing
        What to try: slow D ('optimizer discriminator adam lr=1e-4') or give G a
        higher rate; label smoothing ('set real-label 0.9'); dropout or fewer
        filters in D; leakyrelu instead of relu in D.
        """),
    Concept(
      name: "batchnorm", aliases: ["batch-norm", "batch-normalization", "batch-normalisation"],
      summary: "normalising over the batch; why batch 1 breaks it",
      text: """
        BatchNorm (the 'batchnorm' layer) normalises each channel to mean 0 and
        variance 1 over the batch (over every image and pixel of it, for conv
        maps), then scales by γ and shifts by β, both learned. It steadies
        training and is in every DCGAN generator; the DCGAN paper leaves it out
        of G's last layer and D's first.
        Two modes:
          training   the current batch's statistics ('step', 'train')
          eval       running averages kept while training (momentum 0.1);
                     'sample' uses them unless told 'mode=train', which uses
                     the batch's, as PyTorch's DCGAN example does
        D sees the real and the fake half-batches separately, so each half is
        normalised by its own statistics.

        Batch 1 is a classic mistake. After a dense layer each channel then has
        one value, so BatchNorm outputs exactly β whatever the input: a D built
        that way gives every image the same verdict, every loss sits at 0.693
        and every verdict at 0.500, and nothing learns. After a conv it
        normalises each image by itself. ganrepl warns when BatchNorm meets
        batch 1, or a last batch of 1 image ('set keep-last-batch false').
        """),
    Concept(
      name: "latent-space", aliases: ["latent", "z", "noise"],
      summary: "where z lives, and why samples use fixed noise",
      text: """
        The latent space is where z lives: vectors of 'latent' numbers (100
        unless 'set latent N'; the Keras tutorial uses 128), each drawn from
        N(0, 1). G maps each z to an image; a trained G maps nearby z to similar
        images, so a walk from one z to another morphs one face into another.
          - 'sample N PATH' uses fixed noise, drawn from the seed when the
            generator is defined, so grids from different steps show the same
            z; 'fresh' draws new z.
          - In many dimensions N(0, 1) vectors lie near a sphere of radius
            √latent (10 for latent 100), not near 0: walk along that sphere
            (slerp), not straight through the middle, where G saw no z.
          - More dimensions are not better by themselves: what matters is that
            G uses them. If every z gives the same image: 'help mode-collapse'.
          - On the 2-D toys 'set latent 8' is plenty.
        Changing 'latent' rebuilds an untrained generator; a trained one
        refuses ('reset' first).
        """),
    Concept(
      name: "checkerboard", aliases: ["checkerboards", "checkerboard-artefacts", "checkerboard-artifacts"],
      summary: "grid patterns from transposed convolutions",
      text: """
        Checkerboard artefacts: a regular grid pattern over generated images,
        made by transposed convolutions ('deconv') whose kernel the stride does
        not divide. Each output pixel then gets a different number of kernel
        taps: with kernel=3 stride=2, alternate rows and columns get 2 taps and
        1, and the unevenness shows as a checkerboard that later layers find
        hard to remove.
          kernel=4 stride=2   even overlap, 2×2 taps for every inner pixel:
                              the DCGAN's choice, mostly clean
          kernel=3 stride=2   uneven overlap: prone to checkerboards
          kernel=8 stride=8   no overlap: each input pixel paints its own 8×8
                              tile, so the tile edges can show as blocks
        How to see it: 'sample 16 "g.png"' and zoom in; a faint grid that stays
        after the first epochs is the sign.
        What to try: a kernel the stride divides (4 with stride 2); see Odena,
        Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts" (Distill,
        2016).
        """),
    Concept(
      name: "label-smoothing", aliases: ["smoothing", "one-sided-label-smoothing", "labels"],
      summary: "real-label 0.9: a D that is never completely sure",
      text: """
        Label smoothing: train D towards 0.9 instead of 1 for real images
        ('set real-label 0.9'), so it is never rewarded for being completely
        sure. A softer D keeps its gradients useful to G and overfits less (one
        of the "ganhacks" tips; Salimans et al., 2016).
        One-sided: keep 'fake-label' at 0. Smoothing the fake label too teaches
        D to give fakes some credit, and G can stop short.

        What changes in the numbers, with 'loss bce':
          - the real half of D's loss can no longer reach 0: its minimum, at
            D(x) = 0.9, is -0.9 ln 0.9 - 0.1 ln 0.1 ≈ 0.325;
          - so when D wins, D loss bottoms out near 0.163 (mean) or 0.325 (sum)
            instead of 0;
          - ganrepl trains G towards the same real-label, so G loss has the
            same floor, 0.325, at D(G(z)) = 0.9;
          - at the balance (D says 0.5) the losses stay 0.693: ln 2 whatever
            the label.
        D(x) settling near 0.9 rather than 1 is expected, not a problem.
        'show settings' lists real-label and fake-label.
        """),
    pacgan,
    minibatchStdDev,
    diagnoses,
  ]
}
