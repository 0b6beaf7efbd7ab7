import Layers
import Tensors
import Testing

@testable import Session

/// `show generator` / `show discriminator` and `bench`'s path notes: each layer that
/// multiplies, its passes' paths, and each distinct path numbered once.
@Suite("Compute paths in show and bench")
struct ComputePathsTests {
  @Test("show generator lists the layers that multiply with their paths; the legend numbers each path once")
  func showGenerator() throws {
    let events = try run(tinyGAN + "\nshow generator\nshow discriminator", in: Interpreter())
    let shown = events.compactMap { if case .paths(let p) = $0 { p } else { nil } }
    #expect(shown.map(\.role) == [.generator, .discriminator])
    let g = try #require(shown.first)
    // dense, deconv, deconv: layers 0, 4 and 7 of tinyGAN's generator.
    #expect(g.rows.map(\.index) == [0, 4, 7])
    #expect(
      g.rows.map(\.definition) == [
        "dense 128", "deconv 4 kernel=4 stride=2 padding=1", "deconv 3 kernel=4 stride=2 padding=1",
      ])
    #expect(g.rows[0].paths.passes.allSatisfy { $0 == .denseGEMM })
    let legend = g.legend
    #expect(legend.number(of: .denseGEMM) == 1)
    #expect(Set(legend.paths).count == legend.paths.count)
    for row in g.rows {
      for path in row.paths.passes { #expect(legend.number(of: path) != nil, "\(path)") }
    }
  }

  @Test("show discriminator before there is one says what to do")
  func missingNetwork() {
    do {
      _ = try run("show discriminator", in: Interpreter())
      Issue.record("show discriminator without one did not fail")
    } catch {
      #expect(error.message == "no discriminator yet", "\(error)")
      #expect(error.hint == "define one with a 'discriminator' block", "\(error)")
    }
  }

  @Test("the bench report's legend: paths in order of first appearance, element-wise layers skipped")
  func benchLegend() {
    let columns = ComputePath(name: "columns", reason: "general: im2col + sgemm")
    let winograd = ComputePath(name: "winograd", reason: "4×4 stride 2, IC ≥ 16: Winograd")
    func row(_ paths: LayerPaths?, backwardInputCalls: Double = 1) -> BenchmarkReport.LayerRow {
      let phase = BenchmarkReport.PhaseTime(seconds: 1, calls: 1, flops: 1)
      return .init(
        network: .discriminator, index: 0, definition: "", isConvolution: true, multiplyAdds: 1, forward: phase,
        backwardInput: .init(seconds: 0, calls: backwardInputCalls, flops: 0), backwardParameters: phase, paths: paths)
    }
    let direct = ComputePath(name: "direct", reason: "IC·KH·KW ≤ 64: direct micro-kernel, AVX2")
    let rows = [
      row(LayerPaths(forward: winograd, backwardInput: direct, backwardParameters: winograd), backwardInputCalls: 0),
      row(nil),
      row(LayerPaths(forward: .denseGEMM, backwardInput: .denseGEMM, backwardParameters: .denseGEMM)),
      row(LayerPaths(forward: columns, backwardInput: columns, backwardParameters: columns)),
    ]
    let legend = BenchmarkReport.pathLegend(of: rows)
    #expect(legend.paths == [winograd, .denseGEMM, columns], "a pass that did not run adds no note")
    #expect(legend.number(of: .denseGEMM) == 2)
    #expect(legend.number(of: direct) == nil)
  }
}
