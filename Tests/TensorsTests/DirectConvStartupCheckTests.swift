import Testing

@testable import Tensors

@Suite("Direct convolution start-up check and choice")
struct DirectConvStartupCheckTests {
  @Test("every set this CPU runs passes the check, and the best one is chosen")
  func kernelsPass() {
    let runnable = DirectConvISA.runnable(on: .current)
    #expect(runnable.first == .avx512 || !CPUFeatures.current.hasAVX512Core)
    for isa in runnable { #expect(DirectConvStartupCheck.run(isa) == nil, "\(isa)") }
    #expect(DirectConv.isa == runnable.first)
    #expect(DirectConv.choice.notice == nil)
  }

  /// Faulty passes, each wrong in one way a broken kernel could be.
  static let faults: [(String, @Sendable (DirectConvStartupCheck.Passes) -> DirectConvStartupCheck.Passes)] = [
    (
      "forward leaves the last output channel of the last position alone",
      { good in
        var bad = good
        bad.forward = { x, w, g, y, n in
          let last = y[y.count - 1]
          good.forward(x, w, g, y, n)
          y[y.count - 1] = last
        }
        return bad
      }
    ),
    (
      "backward input overwrites instead of accumulating",
      { good in
        var bad = good
        bad.backwardInput = { dy, w, g, dx, n in
          dx.zero()
          good.backwardInput(dy, w, g, dx, n)
        }
        return bad
      }
    ),
    (
      "backward weight off by one ulp in one element",
      { good in
        var bad = good
        bad.backwardWeight = { x, dy, g, dw, n in
          good.backwardWeight(x, dy, g, dw, n)
          dw[3] = dw[3].nextUp
        }
        return bad
      }
    ),
  ]

  @Test("a faulty pass is caught", arguments: faults.indices)
  func faultCaught(index: Int) {
    let (name, fault) = Self.faults[index]
    let isa = DirectConvISA.runnable(on: .current)[0]
    let mismatch = DirectConvStartupCheck.run(isa, fault(.kernels(isa)))
    #expect(mismatch != nil, "\(name)")
  }

  static let avx2CPU = CPUFeatures(vendor: "AuthenticAMD", reported: [.avx, .avx2, .fma], osState: .ymm)
  static func failing(_ failing: Set<DirectConvISA>) -> (DirectConvISA) -> DirectConvStartupCheck.Mismatch? {
    { isa in
      failing.contains(isa)
        ? .init(isa: isa, pass: "forward", geometry: "g", index: 0, got: 1, expected: 2) : nil
    }
  }

  @Test("a set that fails the check gives way to the next lower one, and says so")
  func fallback() {
    let choice = DirectConvChoice(cpu: Self.avx2CPU, request: nil, check: Self.failing([.avx2]))
    #expect(choice.isa == .baseline)
    #expect(choice.rejected.map(\.isa) == [.avx2])
    #expect(
      choice.notice
        == "ganrepl: the direct convolution computed AVX2+FMA forward on g: element 0 = 1.0, expected 2.0"
        + " in the start-up check; running on its SSE2 kernels instead")
    let none = DirectConvChoice(cpu: Self.avx2CPU, request: nil, check: Self.failing([.avx2, .baseline]))
    #expect(none.isa == nil)
    #expect(none.notice?.hasSuffix("running on the GEMM methods (columns, shifted, Winograd) instead") == true)
    #expect(none.line == "Direct convolution kernels: off: every instruction set failed the start-up check")
  }

  @Test("GANREPL_DIRECT_CONV: off, a lower set, a set the CPU lacks, a misspelling")
  func request() {
    let pass = Self.failing([])
    let off = DirectConvChoice(cpu: Self.avx2CPU, request: "off", check: pass)
    #expect(off.isa == nil && off.notice == nil)
    #expect(DirectConvChoice(cpu: Self.avx2CPU, request: "SSE2", check: pass).isa == .baseline)
    #expect(DirectConvChoice(cpu: Self.avx2CPU, request: nil, check: pass).isa == .avx2)
    let lacking = DirectConvChoice(cpu: Self.avx2CPU, request: "avx512", check: pass)
    #expect(lacking.isa == .avx2)
    #expect(
      lacking.notice
        == "ganrepl: GANREPL_DIRECT_CONV=avx512 asks for AVX-512, which this CPU does not run; using AVX2+FMA")
    let typo = DirectConvChoice(cpu: Self.avx2CPU, request: "avx", check: pass)
    #expect(typo.isa == .avx2)
    #expect(
      typo.notice == "ganrepl: GANREPL_DIRECT_CONV=avx is not one of off, sse2, avx2, avx512; using AVX2+FMA")
  }
}
