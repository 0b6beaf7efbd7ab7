import Testing

@testable import Session

/// `sample` on a toy with a discriminator sends its force plot with the legend as text too,
/// for terminals that draw it in characters; a plain scatter plot has none.
@Suite struct ForcePlotLegendTests {
  static func inline(_ text: String) throws -> InlinePicture? {
    try run(text, in: Interpreter()).compactMap { if case .picture(let p) = $0 { p } else { nil } }.last
  }

  @Test("the force plot's legend: the strip's height, the step, the scale, and the longest push")
  func forcePlot() throws {
    let picture = try #require(try Self.inline(TrainingOptionsTests.ring() + "\nstep 2\nsample 16"))
    let legend = try #require(picture.legend)
    #expect(legend.rows == ForcePlot.legendHeight && picture.image.height == ScatterPlot.size + legend.rows)
    #expect(legend.lines.count == 2)
    #expect(legend.lines[0].hasPrefix("step 2   background: D's verdict, purple = fake"))
    #expect(legend.lines[1].contains("arrows: G's push on the fakes (longest 0."), "\(legend.lines)")
  }

  @Test("without a discriminator the scatter plot has no legend")
  func scatter() throws {
    let text = "set seed 1\ndata ring count=64 batch=16\nset latent 4\ngenerator\n  dense 2\nend\nsample 16"
    #expect(try #require(try Self.inline(text)).legend == nil)
  }
}
