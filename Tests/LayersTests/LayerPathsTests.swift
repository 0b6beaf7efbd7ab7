import Tensors
import Testing

@testable import Layers

/// What each layer reports as its passes' paths (`Layer.computePaths`): a conv its
/// geometry's, a deconv the adjoint's with forward and backward input swapped, a dense
/// layer one sgemm, `sn` the layer it wraps, element-wise layers nothing.
@Suite("Layer paths")
struct LayerPathsTests {
  @Test("conv, deconv, dense, sn and element-wise layers")
  func kinds() throws {
    let network = try Sequential(
      input: Shape(16),
      specs: [
        .dense(units: 4 * 4 * 64, bias: true), .reshape(Shape(4, 4, 64)),
        .deconv(filters: 32, kernel: 4, stride: 2, padding: .explicit(1), bias: false), .leakyReLU(slope: 0.2),
        .spectralNorm(.conv(filters: 3, kernel: 3, stride: 1, padding: .same, bias: true)),
      ],
      initializer: .glorot, random: RandomSource(seed: 1))
    let layers = network.layers
    #expect(layers[0].computePaths?.passes == Array(repeating: ComputePath.denseGEMM, count: 3))
    #expect(layers[1].computePaths == nil && layers[3].computePaths == nil)

    let deconv = try #require(layers[2] as? Conv2DTranspose)
    let paths = try #require(deconv.computePaths)
    #expect(paths.forward == deconv.geometry.path(of: .backwardInput))
    #expect(paths.backwardInput == deconv.geometry.path(of: .forward))
    #expect(paths.backwardParameters == deconv.geometry.path(of: .backwardWeight))
    // The adjoint conv has 32 input channels: Winograd forward (its large tile on a 4×4 grid
    // where FMAs are 256 bits wide), columns backward input.
    let winograd = WinogradF4.choice.reach == .fma256 ? "winograd4" : "winograd"
    #expect(paths.backwardInput.name == winograd && paths.forward.name == "columns")

    let normalized = try #require(layers[4] as? SpectralNorm)
    let conv = try #require(normalized.inner as? Conv2D)
    #expect(normalized.computePaths == conv.computePaths)
    #expect(conv.computePaths?.passes == ConvPass.allCases.map { conv.geometry.path(of: $0) })
    #expect(conv.computePaths?.forward.name == "shifted")
  }
}
