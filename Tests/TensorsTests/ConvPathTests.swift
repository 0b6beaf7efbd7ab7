import TestSupport
import Testing

@testable import Tensors

/// The path a convolution's pass reports (`ConvGeometry.path(of:)`) is the method the pass
/// runs, and its reason names the rule that chose it.
@Suite("Convolution paths and their reasons")
struct ConvPathTests {
  static func conv(_ size: Int, _ ic: Int, _ oc: Int, kernel: Int, stride: Int, padding: Padding) -> ConvGeometry {
    try! ConvGeometry(
      inputHeight: size, inputWidth: size, inputChannels: ic, outputChannels: oc, kernel: (kernel, kernel),
      stride: (stride, stride), padding: padding)
  }

  @Test("over the whole grid, the reported path is the method the pass runs, with a reason")
  func sameAsMethod() {
    for c in convCases() {
      for pass in ConvPass.allCases {
        let path = c.geometry.path(of: pass)
        #expect(path.name == "\(ConvMethod(pass, c.geometry))", "\(pass) \(c)")
        #expect(!path.reason.isEmpty && path.description == "\(path.name): \(path.reason)", "\(pass) \(c)")
      }
    }
  }

  @Test("the classic DCGAN's discriminator and the tutorial's last conv: each rule and its reason")
  func dcganRules() {
    let first = Self.conv(64, 3, 64, kernel: 4, stride: 2, padding: .explicit(1))
    if DirectConv.isa != nil {
      #expect(first.path(of: .forward).name == "direct")
      #expect(first.path(of: .forward).reason.hasPrefix("patch of 48 ≤ 64 floats: ganrepl's own kernel"))
      #expect(first.path(of: .backwardWeight).name == "direct")
    } else {
      #expect(first.path(of: .forward).name == "columns")
      #expect(first.path(of: .forward).reason.hasPrefix("4×4 stride 2, IC < 16: im2col + sgemm"))
    }
    // The backward input's Winograd from 128 input channels, or 64 where this CPU's reach says.
    let reach = WinogradF4.choice.reach
    let from = reach == .fma256 ? 64 : 128
    #expect(first.path(of: .backwardInput).reason.hasPrefix("4×4 stride 2, IC < \(from): sgemm + col2im"))
    // A 16×16 output: the large tile wherever this machine takes it; an 8×8 one (conv256
    // below) only where FMAs are 256 bits wide.
    let narrow = reach == .fma256
    let conv128 = Self.conv(32, 64, 128, kernel: 4, stride: 2, padding: .explicit(1))
    if let reach {
      #expect(conv128.path(of: .forward).name == "winograd4")
      #expect(
        conv128.path(of: .forward).reason.hasPrefix(
          "4×4 stride 2, IC ≥ 16, tiles over ≥ \(reach.grid)×\(reach.grid) pixels: Winograd F(4×4"))
      #expect(conv128.path(of: .backwardWeight).name == "winograd4")
    } else {
      #expect(conv128.path(of: .forward).name == "winograd")
      #expect(conv128.path(of: .forward).reason.hasPrefix("4×4 stride 2, IC ≥ 16: Winograd F(2×2"))
      #expect(conv128.path(of: .backwardWeight).name == "winograd")
    }
    #expect(conv128.path(of: .backwardInput).name == (narrow ? "winograd4" : "columns"), "64 input channels")
    if !narrow {
      #expect(conv128.path(of: .backwardInput).reason.hasPrefix("4×4 stride 2, IC < 128: sgemm + col2im"))
    }
    let conv256 = Self.conv(16, 128, 256, kernel: 4, stride: 2, padding: .explicit(1))
    #expect(conv256.path(of: .forward).name == (narrow ? "winograd4" : "winograd"), "an 8×8 output")
    #expect(conv256.path(of: .backwardInput).name == (narrow ? "winograd4" : "winograd"))
    let conv512 = Self.conv(8, 256, 512, kernel: 4, stride: 2, padding: .explicit(1))
    #expect(
      conv512.path(of: .backwardInput).reason.hasPrefix(
        "4×4 stride 2, IC ≥ \(from)" + (narrow ? ", tiles over ≥ 4×4 pixels: Winograd F(4×4" : ": Winograd F(2×2")))
    let last = Self.conv(4, 512, 1, kernel: 4, stride: 1, padding: .explicit(0))
    #expect(last.path(of: .forward).name == "columns")
    #expect(last.path(of: .forward).reason.contains("the image is its own im2col matrix"))
    let tutorialLast = Self.conv(64, 512, 3, kernel: 5, stride: 1, padding: .same)
    #expect(tutorialLast.path(of: .forward).name == "shifted")
    #expect(tutorialLast.path(of: .backwardInput).reason.hasPrefix("stride 1, OC < IC"))
  }

  @Test("a kernel as large as the image and the general case name their rules")
  func columnsRules() {
    // 8 input channels: patches of 128 and 72 floats, beyond the direct kernels' 64.
    let whole = Self.conv(4, 8, 8, kernel: 4, stride: 1, padding: .valid)
    #expect(whole.columnsAreInput)
    #expect(whole.path(of: .forward).reason.contains("its own im2col matrix"))
    let general = Self.conv(9, 8, 8, kernel: 3, stride: 1, padding: .same)
    #expect(
      ConvPass.allCases.map { general.path(of: $0).description } == [
        "columns: general: im2col + sgemm", "columns: general: sgemm + col2im", "columns: general: im2col + sgemm",
      ])
  }
}
