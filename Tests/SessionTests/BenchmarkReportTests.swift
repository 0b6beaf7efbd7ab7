import Foundation
import Testing

@testable import Session

/// The rates `bench` and `bench data` print are computed by their reports (the executable
/// only formats them): checked here on made-up measurements worked out by hand.
@Suite("Benchmark reports")
struct BenchmarkReportTests {
  /// Equal to 12 digits (the rates are scaled by 1e-9, which is not exact in binary).
  static func close(_ a: Double?, _ b: Double?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
  }

  static func row(_ network: NetworkRole, convolution: Bool, seconds: [Double], flops: [Double])
    -> BenchmarkReport.LayerRow
  {
    let phases = zip(seconds, flops).map { BenchmarkReport.PhaseTime(seconds: $0, calls: 1, flops: $1) }
    return .init(
      network: network, index: 0, definition: "", isConvolution: convolution, multiplyAdds: 1,
      forward: phases[0], backwardInput: phases[1], backwardParameters: phases[2])
  }

  @Test("step, layer and convolution rates, and shares of the sgemm peak")
  func training() {
    let report = BenchmarkReport(
      architecture: .dcgan, batch: 64, steps: 3, stepSeconds: [4, 1, 2], flopsPerImage: 2e9, sgemmPeak: 50,
      layers: [
        Self.row(.generator, convolution: true, seconds: [1, 0.5, 0.5], flops: [40e9, 10e9, 30e9]),
        Self.row(.generator, convolution: false, seconds: [1, 1, 0], flops: [0, 0, 0]),
        Self.row(.discriminator, convolution: true, seconds: [1, 1, 1], flops: [90e9, 90e9, 90e9]),
      ],
      threads: 2, blasCore: "Haswell", peakResidentBytes: 0, tensorAllocations: 0)
    #expect(report.medianStep == 2)
    #expect(report.imagesPerSecond == 32)
    #expect(Self.close(report.gflops, 64))
    #expect(Self.close(report.percentOfPeak(report.gflops), 128))
    // Only the generator's convolution: 80 GFLOP in 2 s.
    #expect(Self.close(report.generatorConvolutionGFLOPs, 40))
    #expect(zip(report.layers[0].phases.map(\.gflops), [40, 20, 60]).allSatisfy(Self.close))
    #expect(report.layers[0].seconds == 2)
    #expect(report.layers[1].phases.map(\.gflops) == [nil, nil, nil])
  }

  @Test("files per second, the CelebA estimate, seconds per step and the share spent waiting")
  func data() {
    let report = DataBenchmarkReport(
      spec: DataSpec(source: .folder("f")), files: 4, images: 4, skipped: 0, coldSeconds: 2, cachedSeconds: 0.1,
      peakAfterLoad: 0, peakAtEnd: 0, bytes: 0, steps: 4, stepSeconds: 8, dataWaitSeconds: 0.2)
    #expect(report.filesPerSecond == 2)
    #expect(report.secondsPerFile == 0.5)
    #expect(Self.close(report.celebASeconds, 101_299.5))
    #expect(report.secondsPerStep == 2)
    #expect(Self.close(report.dataWaitPercent, 2.5))
  }
}

extension BenchmarkReportTests {
  @Test("bench data on images the tutorial's networks do not take: loading measured, training not")
  func dataOfAnotherSize() throws {
    let folder = temporaryFolder()
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for i in 0..<3 {
      try DecodedImage(width: 8, height: 8, channels: 1, pixels: (0..<64).map { UInt8(($0 + i) % 256) }).writePNG(
        to: folder + "/\(i).png")
    }
    var spec = DataSpec(source: .folder(folder))
    (spec.size, spec.channels) = (8, 1)
    let report = try Interpreter().benchmarkData(spec, steps: 3)
    #expect(report.images == 3 && report.files == 3)
    #expect(report.steps == 0 && report.stepSeconds == 0)
  }
}
