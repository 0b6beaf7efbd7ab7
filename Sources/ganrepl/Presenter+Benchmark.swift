import Foundation
import Session

/// The words for `bench` and `bench data`: the rates, the sgemm peak beside them, and the
/// per-layer table.
extension Presenter {
  func dataBenchmark(_ r: DataBenchmarkReport) -> String {
    [
      "bench data \(r.spec.source) (\(r.spec.size)×\(r.spec.size)×\(r.spec.channels), \(r.spec.resize.rawValue)):",
      String(
        format:
          "  first load, no cache: %@ files in %.2f s = %@ files/s (%.1f µs per file; %@ files would take %.1f s)",
        grouped(r.files), r.coldSeconds, grouped(Int(r.filesPerSecond)), r.secondsPerFile * 1e6,
        grouped(DataBenchmarkReport.celebAFiles), r.celebASeconds),
      "  \(grouped(r.images)) images kept, \(r.skipped) skipped; \(bytes(r.bytes)) of pixels",
      String(format: "  second load, from the cache: %.2f s", r.cachedSeconds),
      "  peak resident memory: \(bytes(r.peakAfterLoad)) after loading, \(bytes(r.peakAtEnd)) "
        + (r.steps == 0 ? "at the end" : "after training"),
      r.steps == 0
        ? "  training: not measured (the tutorial's networks take 64×64×3 images; size=64 channels=3 measures it)"
        : String(
          format:
            "  training (the tutorial's networks, batch 32): %d step%@ after the first, %.2f s/step;"
            + " waiting for data %.4f s in all = %.3f%% of step time",
          r.steps, r.steps == 1 ? "" : "s", r.secondsPerStep, r.dataWaitSeconds, r.dataWaitPercent),
    ].joined(separator: "\n")
  }

  /// A debug build's Swift loops run many times slower: its figures are not ganrepl's speed.
  static var debugBuildNote: String {
    #if DEBUG
      "\n  (a debug build: its Swift code runs many times slower; time a release build, 'swift build -c release')"
    #else
      ""
    #endif
  }

  func benchmark(_ r: BenchmarkReport) -> String {
    /// "ms pct%" (the milliseconds and the share of the sgemm peak), the milliseconds alone
    /// for a phase that multiplies nothing, empty for one that did not run.
    func cell(_ p: BenchmarkReport.PhaseTime) -> String {
      guard p.seconds > 0 else { return "" }
      let ms = String(format: "%.1f", p.seconds * 1000)
      guard let gflops = p.gflops else { return ms }
      return ms + String(format: " %3.0f%%", r.percentOfPeak(gflops))
    }
    var lines = [
      String(
        format: "bench %@: batch %d, %d steps, median %.3f s/step → %.2f images/s, %.1f GFLOP/s (%.2f GFLOP/image)",
        r.architecture.rawValue, r.batch, r.steps, r.medianStep, r.imagesPerSecond, r.gflops, r.flopsPerImage * 1e-9)
        + Self.debugBuildNote,
      String(
        format:
          "  sgemm 2048³ in the same run: %.1f GFLOP/s (OpenBLAS %@ kernels, %d threads);"
          + " the step runs at %.0f%% of it",
        r.sgemmPeak, r.blasCore, r.threads, r.percentOfPeak(r.gflops)),
      String(
        format:
          "  the generator's convolutions together: %.1f GFLOP/s = %.0f%% of the sgemm peak (direct-method flops)",
        r.generatorConvolutionGFLOPs, r.percentOfPeak(r.generatorConvolutionGFLOPs)),
      "  peak resident memory \(bytes(r.peakResidentBytes));"
        + " tensor buffers allocated in the timed steps: \(r.tensorAllocations)",
      "  per layer (G generator, D discriminator): ms per step, % of the sgemm peak (direct-method flops)",
    ]
    lines.insert(contentsOf: KernelChoice.current.lines.map { "  " + $0 }, at: 1)
    let shown = r.layers.filter { $0.seconds >= 0.0005 }
    let legend = BenchmarkReport.pathLegend(of: shown)
    var rows = [["", "#", "layer", "forward", "backward input", "backward weights", "paths"]]
    for l in shown {
      let paths = l.paths.map { pathNumbers($0, ran: l.phases.map { $0.calls > 0 }, legend) } ?? ""
      let network = l.network == .generator ? "G" : "D"
      rows.append([network, "\(l.index)", shortDefinition(l.definition)] + l.phases.map(cell) + [paths])
    }
    lines += tableLines(rows) { $0 == 1 || (3..<6).contains($0) }
    lines.append("  paths (forward / backward input / backward weights), and why:")
    lines += (pathNotes(legend) + Self.pathLetters).map { "    " + $0 }
    return lines.joined(separator: "\n")
  }
}
