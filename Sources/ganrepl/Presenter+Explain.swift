import Foundation
import Session

/// The words for `step d`, `step g`, `explain step` and `show gradients`.
extension Presenter {
  /// A step of one network: only the numbers its half measured.
  func partialStep(_ s: StepStats) -> String {
    var text = "step \(s.step)  "
    if s.kind == .generator {
      text += "epoch \(s.epoch), no real batch  G only: "
      text += String(format: "G loss %.4f  D(G(z)) %.3f", s.lossG, s.dFakeAfter)
    } else {
      text += "epoch \(s.epoch) batch \(s.batch)/\(s.batchesPerEpoch)  D only: "
      text += String(format: "D loss %.4f  D(x) %.3f  D(G(z)) %.3f", s.lossD, s.dReal, s.dFake)
    }
    if let swd = s.swd { text += String(format: "  SWD %.2f", swd) }  // as `show history`'s full steps
    if timings { text += String(format: "  %.2f s", s.seconds) }
    return text
  }

  /// `explain step`: the step's numbers in the order they happen, one sentence each.
  func explanation(_ e: StepExplanation) -> String {
    let s = e.stats
    let samples = e.points ? "points" : "images"
    let loss = e.loss == .bce ? "binary cross-entropy" : e.loss == .hinge ? "hinge loss" : "squared error"
    let combined = e.discriminatorLoss == .mean ? "the mean" : "the sum"
    func optimizer(_ role: NetworkRole) -> String {
      guard let spec = e.optimizers[role] else { return "its optimiser" }
      switch spec {
      case .adam(let lr, _, _, _): return "Adam (lr \(lr))"
      case .sgd(let lr, _): return "SGD (lr \(lr))"
      }
    }
    func size(_ role: NetworkRole) -> String {
      guard let n = e.norms[role] else { return "" }
      var text = "its gradient norm ‖∇‖ was " + norm(n.gradientNorm)
      if let big = n.largest, n.layers.count > 1 {
        text += ", largest in layer \(big.index) (\(big.definition)): " + norm(big.gradientNorm)
      }
      return text
    }
    // Labels set the other way round (real-label below fake-label) turn every verdict round.
    let swapped = e.loss.hasLabels && e.realLabel < e.fakeLabel
    var lines: [String] = []
    lines.append(
      String(
        format:
          "1. D looks at %d real %@ from the data. Its mean verdict D(x) = %.3f (%g means \"real\", %g \"fake\"); D wants it near %g.",
        e.realCount, samples, s.dReal, swapped ? 0.0 : 1.0, swapped ? 1.0 : 0.0, e.realLabel))
    lines.append(
      String(
        format:
          "2. G turns %d fresh noise vectors z into %d fake %@. D's mean verdict on them D(G(z)) = %.3f; D wants it near %g, G near %g.",
        e.fakeCount, e.fakeCount, samples, s.dFake, e.fakeLabel, e.realLabel))
    lines.append(
      String(
        format:
          "3. D's loss is %@ of its %@ on the real %@ against the label %g (%.4f) and on the fakes"
          + " against %g (%.4f): %.4f. A D that cannot tell them apart scores %.4f.",
        combined, loss, samples, e.realLabel, e.lossReal, e.fakeLabel, e.lossFake, s.lossD, e.undecidedLoss))
    if e.loss == .hinge {
      lines[2] = String(
        format:
          "3. D's loss is %@ of its hinge loss max(0, 1 − score) on the real %@ (%.4f) and max(0, 1 + score)"
          + " on the fakes (%.4f): %.4f. Verdicts are σ(score); a D that cannot tell them apart scores %.4f.",
        combined, samples, e.lossReal, e.lossFake, s.lossD, e.undecidedLoss)
    }
    lines.append(
      "4. D's update: \(optimizer(.discriminator)) moves D's weights to lower that loss; \(size(.discriminator)).")
    lines.append(
      e.freshNoise
        ? String(
          format:
            "5. G turns a fresh z into new fakes (g-noise fresh) and D, updated, looks at them: D(G(z)) %.3f → %.3f"
            + " (the a → b of 'step': b is on the new fakes).", s.dFake, s.dFakeAfter)
        : String(
          format: "5. D looks at the same fakes again: D(G(z)) %.3f → %.3f after its update (the a → b of 'step').",
          s.dFake, s.dFakeAfter))
    lines.append(
      String(
        format: "6. G's loss is the %@ of that verdict against the real label %g: %.4f. It falls as D(G(z)) %@.",
        loss, e.realLabel, s.lossG, swapped ? "falls" : "rises"))
    if e.loss == .hinge {
      lines[5] = String(
        format: "6. G's loss is minus D's mean score on the fakes: %.4f. It falls as D(G(z)) rises.", s.lossG)
    }
    lines.append(
      "7. G's update: the gradient flows back through D (D is not changed) into G; \(optimizer(.generator))"
        + " moves G's weights so D finds the fakes more real; \(size(.generator)).")
    if e.labelNoise > 0 {
      lines.append(
        "Label noise (\(e.labelNoise)): in 3 each of D's targets had \(e.labelNoise)·u added, u uniform in [0, 1) and"
          + " drawn anew for every sample, so D is never taught one exact answer.")
    }
    if !e.augment.isEmpty {
      lines.append(
        "Augment (\(e.augment.joined(separator: ", "))): D saw each real and fake \(samples.dropLast()) only after a"
          + " random change, drawn anew for every pass through D; in 7 G's gradient went back through that change.")
    }
    if e.samplesPerVerdict > 1 {
      let m = e.samplesPerVerdict
      lines.append(
        "Packs of \(m) (PacGAN): D gave one verdict per \(m) consecutive \(samples), so D(x) and D(G(z)) are means"
          + " over \(e.realCount / m) verdicts on packs; a pack of fakes that look alike is easy to reject.")
    }
    for (group, n) in e.minibatchGroups {
      let packs = n == group ? "" : " (\(group) packs)"
      lines.append(
        "Minibatch std (group \(group)): D saw one feature more, how much each group of \(n) \(samples)\(packs)"
          + " differed; fakes that all look alike show it.")
    }
    let title = "step \(s.step), epoch \(s.epoch) batch \(s.batch)/\(s.batchesPerEpoch), in slow motion:"
    return
      ([title] + lines.flatMap { wrapped("  " + $0, width: live ? min(width(), 100) : 100, indent: "     ") } + [
        step(s)
      ])
      .joined(separator: "\n")
  }

  /// `show gradients`: per layer, weight norm, gradient norm and their ratio.
  func gradients(_ networks: [(role: NetworkRole, norms: GradientNorms?)]) -> String {
    if networks.allSatisfy({ $0.norms == nil }) {
      return "no gradients yet: nothing was trained since the networks were built or loaded; run 'step' first"
    }
    var lines: [String] = []
    for (role, norms) in networks {
      guard let norms else {
        lines.append("\(role): not trained since it was built or loaded")
        continue
      }
      lines.append("\(role), after its update in step \(norms.step):")
      var rows = [["#", "layer", "params", "‖weights‖", "‖gradient‖", "gradient/weights"]]
      for l in norms.layers {
        rows.append([
          "\(l.index)", shortDefinition(l.definition), grouped(l.parameters), norm(l.weightNorm), norm(l.gradientNorm),
          norm(l.ratio),
        ])
      }
      rows.append([
        "", "all", grouped(norms.layers.reduce(0) { $0 + $1.parameters }), norm(norms.weightNorm),
        norm(norms.gradientNorm), norm(norms.weightNorm > 0 ? norms.gradientNorm / norms.weightNorm : 0),
      ])
      let widths = (0..<6).map { c in rows.map { $0[c].count }.max()! }
      for row in rows {
        lines.append("  " + (0..<6).map { pad(row[$0], widths[$0], right: $0 != 1) }.joined(separator: "  "))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// `line` broken at spaces into lines of at most `width` characters, the later ones indented.
  private func wrapped(_ line: String, width: Int, indent: String) -> [String] {
    var lines: [String] = []
    let margin = String(line.prefix { $0 == " " })
    var current = margin
    for word in line.split(separator: " ") {
      if current.count > margin.count && current.count + 1 + word.count > width {
        lines.append(current)
        current = indent + word
      } else {
        current += (current.count > margin.count ? " " : "") + word
      }
    }
    return lines + [current]
  }

  /// A norm to 4 significant digits: 0.0001234, 12.35, 1.235e+04.
  private func norm(_ x: Double) -> String { String(format: "%.4g", x) }
}
