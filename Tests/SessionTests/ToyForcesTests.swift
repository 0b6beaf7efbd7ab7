import Foundation
import Layers
import Tensors
import Testing

@testable import Session

@Suite("the toy views: D's verdict as a heat map, G's push on the fakes as arrows")
struct ToyForcesTests {
  /// A small GAN on the ring after `steps` steps; `extra` goes after D's first layer. D is
  /// smooth (tanh), so central differences meet no kink. `head` ends D: `sigmoid`, or nothing
  /// for `loss hinge`'s raw scores.
  static func toy(steps: Int, loss: String = "bce", extra: String = "", head: String = "sigmoid") throws -> Interpreter
  {
    let interpreter = Interpreter()
    try run(
      """
      set seed 5
      data ring count=1000 batch=100
      set latent 4
      generator
        dense 24
        leakyrelu 0.1
        dense 2
      end
      discriminator
        dense 32
        \(extra)
        tanh
        dense 1
        \(head)
      end
      loss \(loss)
      optimizer adam lr=2e-3 beta1=0.5
      """ + (steps > 0 ? "\nstep \(steps)" : ""), in: interpreter)
    return interpreter
  }

  /// Points [N, 2] from (x, y) pairs.
  static func points(_ xy: [(Float, Float)]) -> Tensor {
    let t = Tensor(zeros: Shape(xy.count, 2))
    for (i, p) in xy.enumerated() { (t[2 * i], t[2 * i + 1]) = p }
    return t
  }

  @Test(
    "the push on a fake is −∂ℓ/∂x of its own G loss, by central differences (BCE from logits, MSE, G's hinge −D(x), BatchNorm and dropout in inference)",
    arguments: [
      ("bce", "", "sigmoid"), ("mse", "", "sigmoid"), ("bce", "batchnorm\n  dropout 0.3", "sigmoid"), ("hinge", "", ""),
    ])
  func pushIsTheNegativeInputGradient(lossName: String, extra: String, head: String) throws {
    let interpreter = try Self.toy(steps: 30, loss: lossName, extra: extra, head: head)
    let field = try #require(DiscriminatorField(interpreter.state))
    let d = field.discriminator
    let at = Self.points([(0.3, -0.7), (1.9, 0.2), (-2.4, 1.1), (0.05, 2.6), (-1.2, -1.8)])
    if lossName == "hinge" {
      // Raw scores beyond 1 at some points, where D's own real-side hinge max(0, 1 − s) is flat
      // and G's −s is not.
      for parameter in d.layers[d.layers.count - 1].parameters { parameter.value.scale(by: 8) }
      let scores = d.forward(at, mode: .inference)
      #expect((0..<scores.count).contains { scores[$0] > 1.2 } && (0..<scores.count).contains { scores[$0] < 0.8 })
    }
    let push = field.push(on: at)
    #expect(push.shape == at.shape)
    func objective(_ x: Float, _ y: Float) -> Double {
      let scores = d.forward(Self.points([(x, y)]), mode: .inference)
      return field.loss.evaluate(
        scores, target: field.realLabel, input: .probabilities, gradient: Tensor(zeros: scores.shape), generator: true)
    }
    let h: Float = 1e-3
    for i in 0..<at.shape[0] {
      let (x, y) = (at[2 * i], at[2 * i + 1])
      let numeric = [
        -(objective(x + h, y) - objective(x - h, y)) / (2 * Double(h)),
        -(objective(x, y + h) - objective(x, y - h)) / (2 * Double(h)),
      ]
      for k in 0..<2 {
        let analytic = Double(push[2 * i + k])
        #expect(
          abs(analytic - numeric[k]) <= 2e-2 * max(abs(analytic), abs(numeric[k]), 1e-2),
          "point \(i) (\(x), \(y)) axis \(k): analytic \(analytic), numeric \(numeric[k])")
      }
    }
  }

  @Test(
    "the heat map's verdicts are D's own at each cell's centre, top row first, over several batches (hinge: σ of its raw score)",
    arguments: [("bce", "sigmoid"), ("hinge", "")])
  func verdictsAreDsOwn(lossName: String, head: String) throws {
    let interpreter = try Self.toy(steps: 20, loss: lossName, head: head)
    let field = try #require(DiscriminatorField(interpreter.state))
    let (extent, resolution) = (Float(3), 100)  // 10,000 cells: three batches of 4,096, the last partial
    let verdicts = field.verdicts(extent: extent, resolution: resolution)
    #expect(verdicts.count == resolution * resolution)
    let cell = 2 * extent / Float(resolution)
    for (row, column) in [(0, 0), (0, 99), (40, 3), (41, 57), (81, 80), (99, 0), (99, 99)] {
      let centre = (-extent + (Float(column) + 0.5) * cell, extent - (Float(row) + 0.5) * cell)
      let score = field.discriminator.forward(Self.points([centre]), mode: .inference)[0]
      let direct = lossName == "hinge" ? sigmoid(score) : score
      #expect(abs(verdicts[row * resolution + column] - direct) < 1e-5, "cell (\(row), \(column)) at \(centre)")
    }
  }

  @Test("the colour scale: white at 0.5, green where D says real, purple where it says fake")
  func colourScale() {
    #expect(ForcePlot.color(verdict: 0.5) == .white)
    let (real, fake) = (ForcePlot.color(verdict: 1), ForcePlot.color(verdict: 0))
    #expect(real.g > real.r + 40 && real.g > real.b + 40, "\(real)")
    #expect(fake.r > fake.g + 40 && fake.b > fake.g + 40, "\(fake)")
    #expect(ForcePlot.color(verdict: 0.9) != ForcePlot.color(verdict: 0.6), "the colour deepens with confidence")
  }

  @Test("the picture: heat map cells, an arrow along the push, dots, and the legend with the step")
  func pictureContent() {
    let resolution = 8
    let verdicts = (0..<resolution * resolution).map { Float($0 % resolution) / Float(resolution - 1) }
    let plot = ForcePlot(
      real: Self.points([(-1.5, -1.5)]), generated: Self.points([(0, 0), (-1.717, -2.803)]), extent: 2.5,
      verdicts: verdicts,
      resolution: resolution, arrows: [(at: SIMD2(0, 0), push: SIMD2(0.4, 0))], step: 7)
    let image = plot.draw()
    let canvas = Canvas(image)
    #expect(image.width == 512 && image.height == 512 + ForcePlot.legendHeight)
    // Cells are 64 pixels; the grid lines are at pixels 51, 153, 256, 358 and 460.
    #expect(canvas.color(x: 20, y: 20) == ForcePlot.color(verdict: 0), "the left column says fake")
    #expect(canvas.color(x: 490, y: 20) == ForcePlot.color(verdict: 1), "the right column says real")
    #expect(canvas.color(x: 20, y: 20).g < canvas.color(x: 20, y: 20).r)
    // The fake at the origin, pixel (256, 255): a red dot, and an arrow 32 pixels to the right.
    #expect(canvas.color(x: 256, y: 257) == ScatterPlot.generatedColor)
    #expect(canvas.color(x: 272, y: 255) == ForcePlot.arrowColor, "the shaft")
    #expect(canvas.color(x: 288, y: 255) == ForcePlot.arrowColor, "the tip")
    #expect(canvas.color(x: 296, y: 255) != ForcePlot.arrowColor, "no longer than the longest arrow")
    #expect(canvas.color(x: 256, y: 240) != ForcePlot.arrowColor, "nothing across the push")
    let (rx, ry) = ScatterPlot.pixel(-1.5, -1.5, extent: 2.5)
    #expect(canvas.color(x: rx, y: ry) == ScatterPlot.realColor)
    // The legend's text is drawn where it belongs: every ink pixel of "step 7" alone.
    var alone = Canvas(width: 512, height: 512 + ForcePlot.legendHeight)
    alone.text("step 7", x: 8, y: 522, ForcePlot.ink, scale: 2)
    var inked = 0
    for y in 512..<alone.height {
      for x in 0..<200 where alone.color(x: x, y: y) == ForcePlot.ink {
        inked += 1
        #expect(canvas.color(x: x, y: y) == ForcePlot.ink, "legend pixel (\(x), \(y))")
      }
    }
    #expect(inked > 50)
    let legendInk = (512..<image.height).reduce(0) { sum, y in
      sum + (0..<512).filter { canvas.color(x: $0, y: y) == ForcePlot.ink }.count
    }
    #expect(legendInk > inked * 5, "the scale's and the marks' words too")
    #expect(ScatterPlot.pixel(-1.717, -2.803, extent: 2.5) == (80, 542))
    #expect(canvas.color(x: 80, y: 542) == .white, "a fake below the square is not drawn over the legend")
  }

  @Test("sample after training D: the heat map is D's verdict where D is confident, and the fakes carry arrows")
  func sampledPicture() throws {
    let interpreter = try Self.toy(steps: 0)
    // D alone learns to tell the ring from G's first fakes: then it is sure of much of the plane.
    let events = try run("step d 200\nsample 256\nshow data 16", in: interpreter)
    let pictures = events.compactMap { event -> InlinePicture? in
      if case .picture(let p) = event { return p }
      return nil
    }
    try #require(pictures.count == 2)
    #expect(pictures[0].image.height == 512 + ForcePlot.legendHeight && pictures[0].content == .plot)
    #expect(pictures[1].image.height == 512, "show data keeps the plain scatter plot")
    let canvas = Canvas(pictures[0].image)
    let field = try #require(DiscriminatorField(interpreter.state))
    let points = try #require(interpreter.state.dataset as? PointDataset)
    let resolution = DiscriminatorField.resolution
    let verdicts = field.verdicts(extent: points.extent, resolution: resolution)
    // The cells D is surest of, each way; checked at a pixel that no mark covers.
    let surest = [
      verdicts.indices.max { verdicts[$0] < verdicts[$1] }!, verdicts.indices.min { verdicts[$0] < verdicts[$1] }!,
    ]
    #expect(
      verdicts[surest[0]] > 0.8 || verdicts[surest[1]] < 0.2,
      "D is confident somewhere after 200 steps of D: \(verdicts[surest[0]]), \(verdicts[surest[1]])")
    var checked = 0
    for cell in surest {
      let (row, column) = (cell / resolution, cell % resolution)
      let expected = ForcePlot.color(verdict: verdicts[cell])
      let pixels = (0..<4).flatMap { dy in (0..<4).map { dx in (column * 4 + dx, row * 4 + dy) } }
      if pixels.contains(where: { canvas.color(x: $0.0, y: $0.1) == expected }) { checked += 1 }
    }
    #expect(checked == 2, "both cells show their verdict's colour")
    let arrowPixels = (0..<512).reduce(0) { sum, y in
      sum + (0..<512).filter { canvas.color(x: $0, y: y) == ForcePlot.arrowColor }.count
    }
    #expect(arrowPixels > 100, "arrows on the fakes (\(arrowPixels) pixels)")
  }

  @Test("without a discriminator, or before the networks, sample and show data draw the plain scatter plot")
  func plainWithoutD() throws {
    let interpreter = Interpreter()
    let events = try run(
      """
      data ring count=100 batch=10
      show data 50
      generator
        dense 8
        relu
        dense 2
      end
      sample 10
      """, in: interpreter)
    let heights = events.compactMap { event -> Int? in
      if case .picture(let p) = event { return p.image.height }
      return nil
    }
    #expect(heights == [512, 512])
    #expect(DiscriminatorField(interpreter.state).map { _ in "a field" } == nil)
  }
}
