/// The shifted formulation ("kn2row") for stride-1 convolutions with fewer output than
/// input channels. Multiply every input pixel by every tap of the kernel first, then add
/// the products into place; the im2col matrix is then K²·OC wide instead of K²·IC.
///
/// The shift is the col2im/im2col of the *flipped* geometry g′: image = the conv's output
/// grid (OH×OW×OC), positions = the conv's input pixels (H×W), same kernel size, stride 1,
/// padding KH−1−padTop. Its window for input pixel q covers output pixel q + pad − (kh, kw)
/// at flipped tap (KH−1−kh, KW−1−kw), exactly the outputs q contributes to. So, with
/// Wflip[IC, (kh′, kw′, OC)] = weight[KH−1−kh′, KW−1−kw′, IC, OC]:
///
///   forward          Y[N·H·W, K²·OC] = input[N·H·W, IC] · Wflip;   output = col2im_g′(Y)
///   backward input   G = im2col_g′(gradOutput);                    gradInput += G · Wflipᵀ
///   backward weight  dWflip[IC, K²·OC] = inputᵀ · G;               gradWeight += unflip(dWflip)

func shiftedForward(
  _ input: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ output: Tensor, _ n: Int, _ workspace: Workspace
) {
  let f = g.flipped
  let width = f.patchSize  // K²·OC
  let wflip = flippedKernel(weight, g, workspace)
  let y = workspace.floats(chunkRows(n * g.inputHeight * g.inputWidth, width, workspace) * width, .columns)
  output.zero()
  forEachChunk(of: n * g.inputHeight * g.inputWidth, floatsPerRow: width, workspace) { rows in
    gemm(
      m: rows.count, n: width, k: g.inputChannels,
      a: input.pointer + rows.lowerBound * g.inputChannels, lda: g.inputChannels,
      b: wflip, ldb: width, c: y, ldc: width)
    col2im(columns: y, geometry: f, rows: rows, accumulatingInto: output.pointer)
  }
}

func shiftedBackwardInput(
  _ gradOutput: Tensor, _ weight: Tensor, _ g: ConvGeometry, _ gradInput: Tensor, _ n: Int,
  _ workspace: Workspace
) {
  let f = g.flipped
  let width = f.patchSize
  let wflip = flippedKernel(weight, g, workspace)
  let columns = workspace.floats(chunkRows(n * g.inputHeight * g.inputWidth, width, workspace) * width, .columns)
  forEachChunk(of: n * g.inputHeight * g.inputWidth, floatsPerRow: width, workspace) { rows in
    im2col(image: gradOutput.pointer, geometry: f, rows: rows, columns: columns)
    gemm(
      transposeB: true, m: rows.count, n: g.inputChannels, k: width,
      a: columns, lda: width, b: wflip, ldb: width,
      beta: 1, c: gradInput.pointer + rows.lowerBound * g.inputChannels, ldc: g.inputChannels)
  }
}

func shiftedBackwardWeight(
  _ input: Tensor, _ gradOutput: Tensor, _ g: ConvGeometry, _ gradWeight: Tensor, _ n: Int,
  _ workspace: Workspace
) {
  let f = g.flipped
  let width = f.patchSize
  let dwflip = workspace.floats(g.inputChannels * width, .kernel)
  dwflip.update(repeating: 0, count: g.inputChannels * width)
  let columns = workspace.floats(chunkRows(n * g.inputHeight * g.inputWidth, width, workspace) * width, .columns)
  forEachChunk(of: n * g.inputHeight * g.inputWidth, floatsPerRow: width, workspace) { rows in
    im2col(image: gradOutput.pointer, geometry: f, rows: rows, columns: columns)
    gemm(
      transposeA: true, m: g.inputChannels, n: width, k: rows.count,
      a: input.pointer + rows.lowerBound * g.inputChannels, lda: g.inputChannels,
      b: columns, ldb: width, beta: 1, c: dwflip, ldc: width)
  }
  forEachFlippedTap(g) { kernelIndex, flippedIndex in
    for ic in 0..<g.inputChannels {
      let to = gradWeight.pointer + (kernelIndex * g.inputChannels + ic) * g.outputChannels
      let from = dwflip + ic * width + flippedIndex * g.outputChannels
      for oc in 0..<g.outputChannels { to[oc] += from[oc] }
    }
  }
}

extension ConvGeometry {
  /// The flipped geometry g′ described above.
  var flipped: ConvGeometry {
    ConvGeometry(
      input: (outputHeight, outputWidth, outputChannels), output: (inputHeight, inputWidth, inputChannels),
      kernel: (kernelHeight, kernelWidth), stride: (1, 1),
      pad: (kernelHeight - 1 - padTop, kernelWidth - 1 - padLeft))
  }
}

/// Wflip[IC, (kh′, kw′, OC)] = weight[KH−1−kh′, KW−1−kw′, IC, OC], in the workspace.
private func flippedKernel(_ weight: Tensor, _ g: ConvGeometry, _ workspace: Workspace) -> UnsafeMutablePointer<Float> {
  let width = g.kernelHeight * g.kernelWidth * g.outputChannels
  let wflip = workspace.floats(g.inputChannels * width, .kernel)
  forEachFlippedTap(g) { kernelIndex, flippedIndex in
    for ic in 0..<g.inputChannels {
      let from = weight.pointer + (kernelIndex * g.inputChannels + ic) * g.outputChannels
      (wflip + ic * width + flippedIndex * g.outputChannels).update(from: from, count: g.outputChannels)
    }
  }
  return wflip
}

/// Calls `body(kh·KW + kw, (KH−1−kh)·KW + (KW−1−kw))` for every tap.
private func forEachFlippedTap(_ g: ConvGeometry, _ body: (Int, Int) -> Void) {
  for kh in 0..<g.kernelHeight {
    for kw in 0..<g.kernelWidth {
      body(kh * g.kernelWidth + kw, (g.kernelHeight - 1 - kh) * g.kernelWidth + (g.kernelWidth - 1 - kw))
    }
  }
}
