import Tensors
import Testing

@Suite("CPU features")
struct CPUFeaturesTests {
  @Test("an instruction set is usable only when the OS saves its registers")
  func usableNeedsOSState() {
    #expect(CPUs.noYMM.usable == CPUs.sse)
    #expect(CPUs.noZMM.usable == CPUs.avx2)
    #expect(CPUs.xeon.usable == CPUs.xeon.reported)
    #expect(CPUs.xeon.hasAVX512Core && !CPUs.noZMM.hasAVX512Core && CPUs.noZMM.hasAVX2FMA)
    #expect(CPUFeatures.OSState(xcr0: 0b11) == [])
    #expect(CPUFeatures.OSState(xcr0: 0b111) == .ymm)
    #expect(CPUFeatures.OSState(xcr0: 0xE7) == [.ymm, .zmm])
    #expect(CPUFeatures.OSState(xcr0: 0x6_00E7) == [.ymm, .zmm, .amx])
  }

  @Test("AVX-512 is taken to run in 256-bit halves on AMD family 25 (Zen 4) only: not Zen 5, Zen 3, a Xeon, no ZMM")
  func halves() {
    #expect(CPUs.zen4.runsAVX512InHalves)
    #expect(!CPUs.epycAVX512.runsAVX512InHalves && !CPUs.epycAVX2.runsAVX512InHalves && !CPUs.xeon.runsAVX512InHalves)
    var zen4NoZMM = CPUs.zen4
    zen4NoZMM.osState = .ymm
    #expect(!zen4NoZMM.runsAVX512InHalves, "AVX-512 the OS does not enable is not run at all")
  }

  @Test("the description names the CPU, its sets, and what the OS leaves disabled")
  func description() {
    #expect(
      CPUs.noZMM.description
        == "GenuineIntel: SSE3 SSSE3 SSE4.1 SSE4.2 AVX FMA AVX2; no AVX-512; reported but not enabled by the OS:"
        + " AVX-512F AVX-512BW AVX-512DQ AVX-512VL AVX-512VNNI")
    #expect(CPUs.xeon.description.hasPrefix("Intel(R) Xeon(R) Platinum 8481C (GenuineIntel, family 6, model 143): "))
    #expect(CPUs.xeon.description.hasSuffix("AVX-512BF16 AMX-TILE AMX-INT8 AMX-BF16"))
  }

  @Test("this CPU: what the OS enables is what the CPU reports, at most; x86-64 has SSE3")
  func thisCPU() {
    let cpu = CPUFeatures.current
    #expect(cpu.usable.isSubset(of: cpu.reported))
    #if arch(x86_64)
      #expect(cpu.usable.contains(.sse3), "\(cpu)")
      #expect(!cpu.vendor.isEmpty)
    #endif
  }
}
