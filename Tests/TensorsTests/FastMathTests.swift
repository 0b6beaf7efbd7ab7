import Foundation
import Tensors
import Testing

@Suite("Fast math")
struct FastMathTests {
  @Test("fastExp is within 4 ulp of libm over [−87, 87]")
  func exp() {
    var worst: Float = 0
    for i in -87_000...87_000 {
      let x = Float(i) / 1000
      let reference = Foundation.exp(x)
      worst = max(worst, abs(fastExp(x) - reference) / reference.ulp)
    }
    #expect(worst <= 4, "worst \(worst) ulp")
  }

  @Test("fastTanh is within 3·10⁻⁷ of libm everywhere, and exactly odd")
  func tanh() {
    var worst: Float = 0
    for i in -200_000...200_000 {
      let x = Float(i) / 10_000
      worst = max(worst, abs(fastTanh(x) - tanhf(x)))
      #expect(fastTanh(-x) == -fastTanh(x))
    }
    #expect(worst <= 3e-7, "worst \(worst)")
    #expect(fastTanh(50) == 1 && fastTanh(-50) == -1 && fastTanh(0) == 0)
  }
}
