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
/// fall in the padding are zero. Rows are split among threads.
public func im2col(
  image: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
  columns: UnsafeMutablePointer<Float>
) {
  let (image, columns) = (SendablePointer(image), SendablePointer(columns))
  parallelRanges(rows.count, grain: max(1, (1 << 15) / max(g.patchSize, 1))) { part in
    im2colRows(
      image.pointer, g, (rows.lowerBound + part.lowerBound)..<(rows.lowerBound + part.upperBound),
      columns.pointer + part.lowerBound * g.patchSize)
  }
}

private func im2colRows(
  _ image: UnsafePointer<Float>, _ g: ConvGeometry, _ rows: Range<Int>, _ columns: UnsafeMutablePointer<Float>
) {
  let ic = g.inputChannels
  var out = columns
  for r in rows {
    let window = g.window(ofRow: r)
    let imageBase = image + window.image * g.inputPixelsPerImage
    let firstColumn = window.left
    for kh in 0..<g.kernelHeight {
      let ih = window.top + kh
      let tapRow = out + kh * g.kernelWidth * ic
      guard ih >= 0 && ih < g.inputHeight else {
        tapRow.update(repeating: 0, count: g.kernelWidth * ic)
        continue
      }
      if firstColumn >= 0 && firstColumn + g.kernelWidth <= g.inputWidth {
        // The window row lies inside the image: its taps are one contiguous run.
        copy(imageBase + (ih * g.inputWidth + firstColumn) * ic, to: tapRow, count: g.kernelWidth * ic)
        continue
      }
      for kw in 0..<g.kernelWidth {
        let iw = firstColumn + kw
        let tap = tapRow + kw * ic
        if iw >= 0 && iw < g.inputWidth {
          copy(imageBase + (ih * g.inputWidth + iw) * ic, to: tap, count: ic)
        } else {
          tap.update(repeating: 0, count: ic)
        }
      }
    }
    out += g.patchSize
  }
}

/// A copy that stays inline for the short runs of few-channel images (the first conv of a
/// discriminator copies 12 floats at a time), and calls memcpy for long ones.
@inline(__always)
private func copy(_ from: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, count: Int) {
  if count <= 32 {
    for i in 0..<count { to[i] = from[i] }
  } else {
    to.update(from: from, count: count)
  }
}

/// Adds every row of `columns` back onto the image positions its window covers (taps in
/// the padding are dropped): the adjoint of `im2col`. Accumulates; the caller zeroes.
/// Windows of one image overlap, so threads split the rows at image boundaries.
public func col2im(
  columns: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
  accumulatingInto image: UnsafeMutablePointer<Float>
) {
  let per = g.positionsPerImage
  let firstImage = rows.lowerBound / per
  let images = (rows.upperBound - 1) / per - firstImage + 1
  let (columns, image) = (SendablePointer(columns), SendablePointer(image))
  parallelRanges(images, grain: images >= 2 && rows.count * g.patchSize >= 1 << 16 ? 1 : images) { part in
    let start = max(rows.lowerBound, (firstImage + part.lowerBound) * per)
    let end = min(rows.upperBound, (firstImage + part.upperBound) * per)
    col2imRows(
      columns.pointer + (start - rows.lowerBound) * g.patchSize, g, start..<end, image.pointer, clearing: false)
  }
}

/// `col2im` on the calling thread that also sets every row of `columns` to zero once it is
/// added (the rows are still in the cache): `columnBlocksBackwardInput`'s next sgemm then
/// accumulates onto zeros.
func col2imClearing(
  columns: UnsafeMutablePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
  accumulatingInto image: UnsafeMutablePointer<Float>
) {
  col2imRows(columns, g, rows, image, clearing: true)
}

private func col2imRows(
  _ columns: UnsafeMutablePointer<Float>, _ g: ConvGeometry, _ rows: Range<Int>, _ image: UnsafeMutablePointer<Float>,
  clearing: Bool
) {
  let ic = g.inputChannels
  var source = columns
  for r in rows {
    let window = g.window(ofRow: r)
    let imageBase = image + window.image * g.inputPixelsPerImage
    for kh in 0..<g.kernelHeight {
      let ih = window.top + kh
      guard ih >= 0 && ih < g.inputHeight else { continue }
      for kw in 0..<g.kernelWidth {
        let iw = window.left + kw
        guard iw >= 0 && iw < g.inputWidth else { continue }
        let tap = source + (kh * g.kernelWidth + kw) * ic
        let pixel = imageBase + (ih * g.inputWidth + iw) * ic
        for c in 0..<ic { pixel[c] += tap[c] }
      }
    }
    if clearing { source.update(repeating: 0, count: g.patchSize) }
    source += g.patchSize
  }
}

extension ConvGeometry {
  /// The window of im2col row r = (n·OH + oh)·OW + ow: its image n, and the input row and
  /// column of its first tap, oh·S − padTop and ow·S − padLeft (negative in the padding).
  @inline(__always)
  func window(ofRow r: Int) -> (image: Int, top: Int, left: Int) {
    let (oh, ow) = ((r / outputWidth) % outputHeight, r % outputWidth)
    return (r / positionsPerImage, oh * strideHeight - padTop, ow * strideWidth - padLeft)
  }
}
