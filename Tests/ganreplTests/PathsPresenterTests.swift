import Layers
import Tensors
import Testing

@testable import Session
@testable import ganrepl

/// How `bench` and `show generator` print paths: a compact path per pass with its note
/// number, and each distinct path's reason once below the table. (Timings cannot be golden:
/// the bench table is checked by its structure.)
@Suite("Paths in bench and show")
struct PathsPresenterTests {
  static let columns = ComputePath(name: "columns", reason: "general: im2col + sgemm")
  static let winograd = ComputePath(name: "winograd", reason: "4×4 stride 2, IC ≥ 16: Winograd")
  /// A method added later names itself and its instruction set through the same fields.
  static let direct = ComputePath(name: "direct", reason: "IC·KH·KW ≤ 64: direct micro-kernel, AVX2")

  static func row(_ index: Int, _ definition: String, _ paths: LayerPaths?, backwardInputCalls: Double = 1)
    -> BenchmarkReport.LayerRow
  {
    let phase = BenchmarkReport.PhaseTime(seconds: 0.01, calls: 1, flops: 1e9)
    var skipped = phase
    skipped.calls = backwardInputCalls
    skipped.seconds = backwardInputCalls > 0 ? 0.01 : 0
    return .init(
      network: .discriminator, index: index, definition: definition, isConvolution: paths != nil, multiplyAdds: 1,
      forward: phase, backwardInput: skipped, backwardParameters: phase, paths: paths)
  }

  @Test("the bench table: a paths column, '–' for a pass that did not run, one note per distinct path")
  func benchTable() {
    let report = BenchmarkReport(
      architecture: .dcgan, batch: 64, steps: 1, stepSeconds: [1], flopsPerImage: 1e9, sgemmPeak: 100,
      layers: [
        Self.row(
          0, "conv 64", LayerPaths(forward: Self.direct, backwardInput: Self.direct, backwardParameters: Self.direct),
          backwardInputCalls: 0),
        Self.row(1, "leakyrelu 0.2", nil),
        Self.row(
          2, "conv 128",
          LayerPaths(forward: Self.winograd, backwardInput: Self.columns, backwardParameters: Self.winograd)),
        Self.row(
          3, "dense 1", LayerPaths(forward: .denseGEMM, backwardInput: .denseGEMM, backwardParameters: .denseGEMM)),
      ],
      threads: 2, blasCore: "Zen", peakResidentBytes: 0, tensorAllocations: 0)
    let lines = Presenter(timings: false, live: false).benchmark(report).split(separator: "\n").map(String.init)
    let header = lines.firstIndex { $0.contains("backward weights") }!
    #expect(lines[header].hasSuffix("paths"))
    #expect(
      lines[header + 1].hasPrefix("  D  0  conv 64 ") && lines[header + 1].hasSuffix("  1 – 1"), "\(lines[header + 1])")
    #expect(lines[header + 2].contains("leakyrelu") && !lines[header + 2].hasSuffix("1"))
    #expect(lines[header + 3].hasSuffix("  2 3 2"))
    #expect(lines[header + 4].hasSuffix("  4 4 4"))
    #expect(lines[header + 3].contains("  10.0 100%"), "10 ms at 100 GFLOP/s, all of the 100 GFLOP/s peak")
    #expect(
      Array(lines[(header + 5)...].prefix(5)) == [
        "  paths (forward / backward input / backward weights), and why:",
        "    [1] direct: IC·KH·KW ≤ 64: direct micro-kernel, AVX2",
        "    [2] winograd: 4×4 stride 2, IC ≥ 16: Winograd",
        "    [3] columns: general: im2col + sgemm",
        "    [4] sgemm: dense: one sgemm over the whole batch",
      ])
  }

  @Test("the bench table of the classic DCGAN's widest layer fits 100 columns")
  func benchTableWidth() {
    let conv = LayerPaths(forward: Self.winograd, backwardInput: Self.columns, backwardParameters: Self.direct)
    var row = Self.row(12, "deconv 512 kernel=4 stride=1 padding=0 bias=false", conv)
    row.network = .generator
    for phase in [\BenchmarkReport.LayerRow.forward, \.backwardInput, \.backwardParameters] {
      row[keyPath: phase].seconds = 1.2345
      row[keyPath: phase].flops = 1e12
    }
    let report = BenchmarkReport(
      architecture: .dcgan, batch: 64, steps: 1, stepSeconds: [1], flopsPerImage: 1e9, sgemmPeak: 100,
      layers: [row], threads: 2, blasCore: "Zen", peakResidentBytes: 0, tensorAllocations: 0)
    let lines = Presenter(timings: false, live: false).benchmark(report).split(separator: "\n").map(String.init)
    let header = lines.firstIndex { $0.contains("backward weights") }!
    #expect(
      lines[header + 1]
        == "  G  12  deconv 512 k=4 s=1 p=0 bias=false  1234.5 810%     1234.5 810%       1234.5 810%  1 2 3")
    #expect(lines[(header - 1)...(header + 1)].allSatisfy { $0.count <= 100 }, "\(lines[header])")
  }

  @Test("show generator: a table of the layers that multiply, then the notes")
  func showTable() {
    let paths = NetworkPaths(
      role: .generator,
      rows: [
        .init(
          index: 0, definition: "dense 1024",
          paths: LayerPaths(forward: .denseGEMM, backwardInput: .denseGEMM, backwardParameters: .denseGEMM)),
        .init(
          index: 4, definition: "deconv 3 kernel=4 stride=2 padding=1",
          paths: LayerPaths(forward: Self.columns, backwardInput: Self.winograd, backwardParameters: Self.winograd)),
      ])
    let text = Presenter(timings: false, live: false).networkPaths(paths)
    #expect(
      text == """
        generator: how each layer computes its passes
          #  layer                 forward      backward input  backward weights
          0  dense 1024            sgemm [1]    sgemm [1]       sgemm [1]
          4  deconv 3 k=4 s=2 p=1  columns [2]  winograd [3]    winograd [3]
          [1] sgemm: dense: one sgemm over the whole batch
          [2] columns: general: im2col + sgemm
          [3] winograd: 4×4 stride 2, IC ≥ 16: Winograd
          IC, OC: the conv's input and output channels (a deconv's are those of the conv it is the adjoint of)
          k, s, p: the kernel's size, the stride and the padding
        """)
    let none = NetworkPaths(role: .discriminator, rows: [])
    #expect(
      Presenter(timings: false, live: false).networkPaths(none).hasSuffix(
        "no layer multiplies (no dense, conv or deconv)"))
  }
}
