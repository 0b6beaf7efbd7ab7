/// im2col and col2im: the only loops over kernel windows in the fast path.
///
/// image:   [N, H, W, IC]                        (NHWC)
/// columns: [rows.count, KH·KW·IC]                one row per output position
///
/// Output position row r = (n·OH + oh)·OW + ow; its columns are ordered (kh, kw, ic), the
/// order of a `[KH, KW, IC, OC]` kernel, so `columns · kernel[KH·KW·IC, OC]` is the
/// convolution. In NHWC a window row's taps are whole channel vectors: each tap is one
/// contiguous copy of IC floats.

/// Copies the receptive fields of the output positions `rows` into `columns`; taps that
/// fall in the padding are zero.
public func im2col(
  image: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
  columns: UnsafeMutablePointer<Float>
) {
  let ic = g.inputChannels
  let patch = g.patchSize
  var out = columns
  for r in rows {
    let ow = r % g.outputWidth
    let oh = (r / g.outputWidth) % g.outputHeight
    let n = r / g.positionsPerImage
    let imageBase = image + n * g.inputPixelsPerImage
    for kh in 0..<g.kernelHeight {
      let ih = oh * g.strideHeight - g.padTop + kh
      let tapRow = out + kh * g.kernelWidth * ic
      guard ih >= 0 && ih < g.inputHeight else {
        tapRow.update(repeating: 0, count: g.kernelWidth * ic)
        continue
      }
      for kw in 0..<g.kernelWidth {
        let iw = ow * g.strideWidth - g.padLeft + kw
        let tap = tapRow + kw * ic
        if iw >= 0 && iw < g.inputWidth {
          tap.update(from: imageBase + (ih * g.inputWidth + iw) * ic, count: ic)
        } else {
          tap.update(repeating: 0, count: ic)
        }
      }
    }
    out += patch
  }
}

/// Adds every row of `columns` back onto the image positions its window covers (taps in
/// the padding are dropped): the adjoint of `im2col`. Accumulates; the caller zeroes.
public func col2im(
  columns: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
  accumulatingInto image: UnsafeMutablePointer<Float>
) {
  let ic = g.inputChannels
  var source = columns
  for r in rows {
    let ow = r % g.outputWidth
    let oh = (r / g.outputWidth) % g.outputHeight
    let n = r / g.positionsPerImage
    let imageBase = image + n * g.inputPixelsPerImage
    for kh in 0..<g.kernelHeight {
      let ih = oh * g.strideHeight - g.padTop + kh
      guard ih >= 0 && ih < g.inputHeight else { continue }
      for kw in 0..<g.kernelWidth {
        let iw = ow * g.strideWidth - g.padLeft + kw
        guard iw >= 0 && iw < g.inputWidth else { continue }
        let tap = source + (kh * g.kernelWidth + kw) * ic
        let pixel = imageBase + (ih * g.inputWidth + iw) * ic
        for c in 0..<ic { pixel[c] += tap[c] }
      }
    }
    source += g.patchSize
  }
}
