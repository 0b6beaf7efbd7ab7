/// Direct nested-loop convolutions, written from the definition rather than from im2col.
/// Slow and obvious; the tests hold `convForward`, `convBackwardInput` and
/// `convBackwardWeight` (and the layers built on them) to these. Sums are in `Double`.
///
/// input [N, H, W, IC] · kernel [KH, KW, IC, OC] → output [N, OH, OW, OC], with the
/// window of output (oh, ow) at input rows oh·S − padTop + kh (see `ConvGeometry`).
public enum ConvReference {
  /// output[n, oh, ow, oc] = Σ_{kh, kw, ic} input[n, ih, iw, ic] · kernel[kh, kw, ic, oc]
  public static func forward(input: Tensor, kernel: Tensor, geometry g: ConvGeometry) -> Tensor {
    let n = input.shape[0]
    var sums = [Double](repeating: 0, count: n * g.outputPixelsPerImage)
    forEachProduct(g, n) { i, k, o in sums[o] += Double(input[i]) * Double(kernel[k]) }
    return Tensor(shape: Shape(n, g.outputHeight, g.outputWidth, g.outputChannels), values: sums.map(Float.init))
  }

  /// gradInput[n, ih, iw, ic] = Σ over the outputs whose window reads (ih, iw) of
  /// gradOutput[n, oh, ow, oc] · kernel[kh, kw, ic, oc]
  public static func backwardInput(gradOutput: Tensor, kernel: Tensor, geometry g: ConvGeometry)
    -> Tensor
  {
    let n = gradOutput.shape[0]
    var sums = [Double](repeating: 0, count: n * g.inputPixelsPerImage)
    forEachProduct(g, n) { i, k, o in sums[i] += Double(gradOutput[o]) * Double(kernel[k]) }
    return Tensor(shape: Shape(n, g.inputHeight, g.inputWidth, g.inputChannels), values: sums.map(Float.init))
  }

  /// gradKernel[kh, kw, ic, oc] = Σ_{n, oh, ow} input[n, ih, iw, ic] · gradOutput[n, oh, ow, oc]
  public static func backwardKernel(input: Tensor, gradOutput: Tensor, geometry g: ConvGeometry)
    -> Tensor
  {
    let n = input.shape[0]
    var sums = [Double](repeating: 0, count: g.patchSize * g.outputChannels)
    forEachProduct(g, n) { i, k, o in sums[k] += Double(input[i]) * Double(gradOutput[o]) }
    return Tensor(
      shape: Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels),
      values: sums.map(Float.init))
  }

  /// A transposed convolution in its scatter form: each input pixel adds
  /// `input[n, h, w, :] · kernel[kh, kw, oc, :]` at output (h·S − padTop + kh, w·S − padLeft + kw).
  /// `g` is the geometry of the adjoint conv (its input is this op's output);
  /// input [N, OH, OW, OC of g], kernel [KH, KW, IC of g, OC of g].
  public static func transposedForward(input: Tensor, kernel: Tensor, geometry g: ConvGeometry)
    -> Tensor
  {
    let n = input.shape[0]
    var sums = [Double](repeating: 0, count: n * g.inputPixelsPerImage)
    for b in 0..<n {
      for h in 0..<g.outputHeight {
        for w in 0..<g.outputWidth {
          for kh in 0..<g.kernelHeight {
            for kw in 0..<g.kernelWidth {
              let y = h * g.strideHeight - g.padTop + kh
              let x = w * g.strideWidth - g.padLeft + kw
              guard y >= 0 && y < g.inputHeight && x >= 0 && x < g.inputWidth else { continue }
              for oc in 0..<g.inputChannels {
                var s = 0.0
                for ic in 0..<g.outputChannels {
                  s +=
                    Double(input[index(b, h, w, ic, g.outputHeight, g.outputWidth, g.outputChannels)])
                    * Double(kernel[((kh * g.kernelWidth + kw) * g.inputChannels + oc) * g.outputChannels + ic])
                }
                sums[index(b, y, x, oc, g.inputHeight, g.inputWidth, g.inputChannels)] += s
              }
            }
          }
        }
      }
    }
    return Tensor(shape: Shape(n, g.inputHeight, g.inputWidth, g.inputChannels), values: sums.map(Float.init))
  }

  /// Calls `body(i, k, o)` for every product of the convolution's definition: input
  /// element i = [n, ih, iw, ic] times kernel element k = [kh, kw, ic, oc] adds into output
  /// element o = [n, oh, ow, oc] (flat indices), taps outside the image left out. In the
  /// order n, oh, ow, kh, kw, ic, oc, so each output sums its terms in (kh, kw, ic) order.
  private static func forEachProduct(_ g: ConvGeometry, _ n: Int, _ body: (Int, Int, Int) -> Void) {
    let (ic, oc) = (g.inputChannels, g.outputChannels)
    for b in 0..<n {
      for oh in 0..<g.outputHeight {
        for ow in 0..<g.outputWidth {
          let o = index(b, oh, ow, 0, g.outputHeight, g.outputWidth, oc)
          for kh in 0..<g.kernelHeight {
            for kw in 0..<g.kernelWidth {
              let ih = oh * g.strideHeight - g.padTop + kh
              let iw = ow * g.strideWidth - g.padLeft + kw
              guard ih >= 0 && ih < g.inputHeight && iw >= 0 && iw < g.inputWidth else { continue }
              let i = index(b, ih, iw, 0, g.inputHeight, g.inputWidth, ic)
              let k = (kh * g.kernelWidth + kw) * ic * oc
              for c in 0..<ic {
                for d in 0..<oc { body(i + c, k + c * oc + d, o + d) }
              }
            }
          }
        }
      }
    }
  }

  private static func index(_ n: Int, _ y: Int, _ x: Int, _ c: Int, _ h: Int, _ w: Int, _ cs: Int) -> Int {
    ((n * h + y) * w + x) * cs + c
  }
}
