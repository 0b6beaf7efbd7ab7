import Tensors
import Testing

@Suite("Convolution geometry")
struct ConvGeometryTests {
  @Test("Keras same padding: 64 → 32 with k4 s2 pads one row on each side")
  func kerasSameStride2() throws {
    let g = try ConvGeometry(
      inputHeight: 64, inputWidth: 64, inputChannels: 3, outputChannels: 64,
      kernel: (4, 4), stride: (2, 2), padding: .same)
    #expect(g.outputHeight == 32 && g.outputWidth == 32)
    #expect(g.padTop == 1 && g.padLeft == 1)
  }

  @Test("same padding with an odd total puts the extra row at the bottom (TensorFlow)")
  func sameOddTotal() throws {
    // 8 → 4 with k3 s2: total (4−1)·2 + 3 − 8 = 1, so top 0 and bottom 1.
    let g = try ConvGeometry(
      inputHeight: 8, inputWidth: 8, inputChannels: 1, outputChannels: 1,
      kernel: (3, 3), stride: (2, 2), padding: .same)
    #expect(g.outputHeight == 4 && g.padTop == 0)
  }

  @Test("transposed sizes: Keras same doubles, PyTorch k4 s2 p1 doubles, k4 s1 p0 lifts 1×1 to 4×4")
  func transposedSizes() throws {
    let same = try ConvGeometry.transposed(
      inputHeight: 8, inputWidth: 8, inputChannels: 128, outputChannels: 128,
      kernel: (4, 4), stride: (2, 2), padding: .same)
    #expect(same.inputHeight == 16 && same.padTop == 1)
    let torch = try ConvGeometry.transposed(
      inputHeight: 4, inputWidth: 4, inputChannels: 512, outputChannels: 256,
      kernel: (4, 4), stride: (2, 2), padding: .explicit(1))
    #expect(torch.inputHeight == 8 && torch.padTop == 1)
    let lift = try ConvGeometry.transposed(
      inputHeight: 1, inputWidth: 1, inputChannels: 100, outputChannels: 512,
      kernel: (4, 4), stride: (1, 1), padding: .valid)
    #expect(lift.inputHeight == 4 && lift.columnsAreInput)
  }

  @Test("a kernel larger than the input is an error that suggests same padding")
  func tooSmall() {
    #expect {
      _ = try ConvGeometry(
        inputHeight: 3, inputWidth: 3, inputChannels: 1, outputChannels: 1,
        kernel: (5, 5), stride: (1, 1), padding: .valid)
    } throws: { ($0 as? GeometryError)?.description.contains("padding same") == true }
  }

  @Test("explicit padding as large as the kernel is rejected")
  func paddingTooLarge() {
    #expect(throws: GeometryError.self) {
      _ = try ConvGeometry(
        inputHeight: 8, inputWidth: 8, inputChannels: 1, outputChannels: 1,
        kernel: (3, 3), stride: (1, 1), padding: .explicit(3))
    }
  }
}
