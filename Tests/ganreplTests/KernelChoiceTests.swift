import Foundation
import Tensors
import Testing

@testable import Session
@testable import ganrepl

@Suite("Kernel choice")
struct KernelChoiceTests {
  @Test("the record passed to the re-executed process reads back; anything else is no record")
  func recordRoundTrip() {
    let records = [
      KernelChoice.Record(detected: "Prescott"),
      KernelChoice.Record(detected: "Zen", rejected: ["SkylakeX", "Haswell"]),
      KernelChoice.Record(detected: "Prescott", rejected: ["Prescott"], reference: true),
    ]
    for record in records {
      #expect(KernelChoice.Record(record.encoded) == record, "\(record.encoded)")
    }
    for junk in ["", "Haswell", "detected=", "detected=Zen;colour=blue", "rejected=Zen"] {
      #expect(KernelChoice.Record(junk) == nil, "'\(junk)'")
    }
  }

  @Test("after a failed check: the next lower core, but never one that failed before (OpenBLAS ignoring the variable)")
  func fallbackNeverLoops() {
    let cpu = CPUFeatures(vendor: "GenuineIntel", reported: [.sse42, .avx, .fma, .avx2], osState: .ymm)
    let first = KernelChoice.Record(detected: "Haswell")
    #expect(first.fallback(after: "Haswell", on: cpu) == "Sandybridge")
    let ignored = KernelChoice.Record(detected: "Haswell", rejected: ["Haswell"])
    #expect(ignored.fallback(after: "Haswell", on: cpu) == nil)
    #expect(ignored.fallback(after: "HASWELL", on: cpu) == nil)
    #expect(ignored.fallback(after: "Sandybridge", on: cpu) == "Nehalem")
  }

  @Test("the lines say which kernels run and who chose them")
  func lines() {
    let xeon = CPUFeatures(
      vendor: "GenuineIntel", brand: "Xeon", family: 6, model: 143,
      reported: [.avx, .fma, .avx2, .avx512f, .avx512bw, .avx512dq, .avx512vl], osState: [.ymm, .zmm])
    let chosen = KernelChoice(
      cpu: xeon, core: "SkylakeX", userCoreType: "SkylakeX", record: .init(detected: "Prescott"))
    #expect(
      chosen.lines[1]
        == "OpenBLAS SkylakeX kernels, chosen by ganrepl in place of Prescott: SSE kernels on a CPU with AVX-512;"
        + " OPENBLAS_CORETYPE=NAME overrides")
    #expect(chosen.fallbackNotice == nil)
    let user = KernelChoice(cpu: xeon, core: "Haswell", userCoreType: "Haswell", record: nil)
    #expect(user.lines[1] == "OpenBLAS Haswell kernels: OPENBLAS_CORETYPE=Haswell set by the user")
    let fellBack = KernelChoice(
      cpu: xeon, core: "Haswell", userCoreType: "Haswell", record: .init(detected: "Prescott", rejected: ["SkylakeX"]))
    #expect(
      fellBack.lines[1]
        == "OpenBLAS Haswell kernels, ganrepl's fallback: failed the start-up check: SkylakeX (OpenBLAS chose Prescott);"
        + " OPENBLAS_CORETYPE=NAME overrides")
    #expect(
      fellBack.fallbackNotice
        == "ganrepl: OpenBLAS's SkylakeX kernels computed sgemm wrong in the start-up check;"
        + " running on OpenBLAS's Haswell kernels instead")
  }

  /// `ganrepl --cpu` in a child process whose environment has `coreType` (or no
  /// OPENBLAS_CORETYPE at all): exit status and the kernels line.
  func cpuLines(coreType: String?) throws -> (status: Int32, kernels: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ganreplBinary())
    process.arguments = ["--cpu"]
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_CORETYPE"] = coreType
    environment[KernelChoice.Record.variable] = nil
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let lines = text.split(separator: "\n").map(String.init)
    return (process.terminationStatus, lines.count == 4 ? lines[1] : text)
  }

  @Test("ganrepl --cpu, no OPENBLAS_CORETYPE: OpenBLAS runs kernels of the CPU's best level")
  func chosenByGanrepl() throws {
    let (status, kernels) = try cpuLines(coreType: nil)
    #expect(status == 0)
    let cpu = CPUFeatures.current
    let core = kernels.split(separator: " ").dropFirst().first.map(String.init) ?? ""
    #expect(kernels.hasPrefix("OpenBLAS "), "\(kernels)")
    #expect(OpenBLASCores.level(of: core) == OpenBLASCores.Level(cpu), "\(cpu): \(kernels)")
  }

  @Test("ganrepl --cpu with OPENBLAS_CORETYPE set: the user's core runs, as set")
  func userChoice() throws {
    let (status, kernels) = try cpuLines(coreType: "Sandybridge")
    #expect(status == 0)
    #expect(kernels == "OpenBLAS Sandybridge kernels: OPENBLAS_CORETYPE=Sandybridge set by the user")
  }
}
