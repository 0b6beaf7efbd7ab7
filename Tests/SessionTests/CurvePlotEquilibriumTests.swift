import Foundation
import Layers
import Testing

@testable import Session

/// `plot`'s loss panel has a dashed line where BCE's losses sit at equilibrium: ln 2 for
/// G's loss and each half of D's, so D's loss at ln 2 (`d-loss mean`) or 2 ln 2 (`sum`).
@Suite("The ln 2 line of plot")
struct CurvePlotEquilibriumTests {
  @Test("BCE gets ln 2 (and 2 ln 2 for D with d-loss sum); MSE and hinge get none")
  func lines() {
    #expect(CurvePlot.equilibrium(.bce, .mean) == [.init(value: log(2), label: "ln 2")])
    #expect(CurvePlot.equilibrium(.bce, .sum).map(\.value) == [log(2), 2 * log(2)])
    #expect(CurvePlot.equilibrium(.bce, .sum).map(\.label) == ["ln 2 (G)", "2 ln 2 (D)"])
    #expect(CurvePlot.equilibrium(.mse, .mean).isEmpty && CurvePlot.equilibrium(.hinge, .sum).isEmpty)
  }

  /// Columns of the loss panel's row at `value` drawn in the reference colour.
  static func dashed(_ image: DecodedImage, at value: Double, in panel: CurvePlot.Panel) -> Int {
    let canvas = Canvas(image)
    return (panel.left..<(panel.left + panel.width)).filter {
      canvas.color(x: $0, y: panel.y(value)) == CurvePlot.referenceColor
    }.count
  }

  @Test("the lines are dashed across the loss panel, which reaches up to them, and absent without references")
  func drawn() {
    // Losses all below 0.5: the panel still reaches 2 ln 2.
    let history = (1...40).map { i in
      StepStats(
        step: i, epoch: 1, batch: i, batchesPerEpoch: 40, lossD: 0.3, lossG: 0.4, dReal: 0.8, dFake: 0.3,
        dFakeAfter: 0.25, seconds: 0.01)
    }
    let references = CurvePlot.equilibrium(.bce, .sum)
    let panel = CurvePlot.panels(history, references: references).losses
    #expect(panel.high >= 2 * log(2))
    let image = CurvePlot.draw(history, references: references)
    for r in references {
      let count = Self.dashed(image, at: r.value, in: panel)
      // Dashes of 6 on, 6 off: about half the columns (the label covers a few at the right).
      #expect(count > panel.width * 2 / 5 && count < panel.width * 3 / 5, "\(r.label): \(count) columns")
    }
    let plain = CurvePlot.draw(history)
    #expect(Self.dashed(plain, at: log(2), in: panel) == 0 && Self.dashed(plain, at: 0.3, in: panel) == 0)
  }

  @Test("plot says which lines it drew")
  func reported() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    let events = try run(tinyGAN + "\nstep 2\nset d-loss sum\nplot \"\(folder)/c.png\"", in: interpreter)
    let wrote = events.compactMap { if case .wrote(_, let what) = $0 { what } else { nil } }
    #expect(wrote.last?.hasSuffix("; dashed: ln 2 (G) and 2 ln 2 (D), the BCE equilibrium") == true, "\(wrote)")
  }
}
