/* The direct convolution, written once for every instruction set: direct_conv_<isa>.c
   defines these and includes this file.

     DC_WIDTH        floats per vector (4 SSE2, 8 AVX2, 16 AVX-512)
     DC_ATTR         the attribute that lets the compiler use the set (empty for the baseline)
     DC_TABLE        the name of the public function returning the kernel table
     DC_FR, DC_FV    forward register block: DC_FR output positions × DC_FV vectors of OC
     DC_WR, DC_WV    weight register block: DC_WR patch rows × DC_WV vectors of OC

   Shapes (NHWC; see ckernels.h): input [N, H, W, IC], weight [KH, KW, IC, OC] read as a
   [KH, L, OC] matrix with L = KW·IC, output [N, OH, OW, OC]. The taps of one kernel row kh
   at output (oh, ow) are L consecutive floats of the input — its row ih = oh·SH − padTop + kh
   from column iw = ow·SW − padLeft on — so a window is read in place: "interior" positions
   (whole window inside the row) take all L, edge positions the part inside the image, and
   kernel rows outside the image are skipped. Padding costs nothing and nothing is copied.

   Every output element is summed by one call in a fixed order (taps in order kh, kw, ic;
   positions in order n, oh, ow), whatever the row or unit ranges: any split among threads
   gives the same bits. */

#include <string.h>

#include "ckernels.h"

typedef float vf __attribute__((vector_size(DC_WIDTH * sizeof(float))));
#define W DC_WIDTH
#define KFN static inline __attribute__((always_inline)) DC_ATTR
#define BC 4 /* backward input: input channels per block */

static inline long min_l(long a, long b) { return a < b ? a : b; }
static inline long max_l(long a, long b) { return a > b ? a : b; }
/* a mod s in [0, s) for any sign of a. */
static inline long mod_l(long a, long s) { return ((a % s) + s) % s; }

/* The first `lanes` floats at p (the rest zero); `lanes` is W except at the end of OC. */
KFN vf load(const float *p, int lanes) {
  vf v = {0};
  memcpy(&v, p, (size_t)lanes * sizeof(float));
  return v;
}

KFN void store(float *p, vf v, int lanes) { memcpy(p, &v, (size_t)lanes * sizeof(float)); }

/* The lanes' sum, pairwise: the same order on every call. */
KFN float hsum(vf v) {
  float t[W];
  memcpy(t, &v, sizeof v);
  for (int n = W / 2; n >= 1; n /= 2)
    for (int i = 0; i < n; i++) t[i] += t[i + n];
  return t[0];
}

/* Output positions [first, end) of a row whose windows lie wholly inside the input row. */
static void interior_columns(const ganrepl_conv_geometry *g, long *first, long *end) {
  long a = 0;
  while (a < g->outputWidth && a * g->strideWidth - g->padLeft < 0) a++;
  long b = a;
  while (b < g->outputWidth && b * g->strideWidth - g->padLeft + g->kernelWidth <= g->inputWidth) b++;
  *first = a;
  *end = b;
}

/* ---- forward ---------------------------------------------------------------------- */

/* out[ow + r, oc0 + v·W …] for r < R, v < V (the last vector `lanes` wide) of one output
   row: Σ over kernel rows [kh0, kh1) and segment entries j in [j0, j1) (j = kw·IC + ic). */
KFN void forward_tile(const ganrepl_conv_geometry *g, const float *image, const float *weight, float *out, long ih0,
                      long ow, long kh0, long kh1, long j0, long j1, long oc0, const int R, const int V,
                      const int lanes) {
  const long IC = g->inputChannels, OC = g->outputChannels, L = g->kernelWidth * IC;
  const long step = g->strideWidth * IC;
  vf acc[DC_FR][DC_FV];
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++) acc[r][v] = (vf){0};
  for (long kh = kh0; kh < kh1; kh++) {
    const float *w = weight + kh * L * OC + oc0;
    const long base = ((ih0 + kh) * g->inputWidth + ow * g->strideWidth - g->padLeft) * IC;
    for (long j = j0; j < j1; j++) {
      vf wv[DC_FV];
      for (int v = 0; v < V; v++) wv[v] = load(w + j * OC + v * W, v == V - 1 ? lanes : W);
      for (int r = 0; r < R; r++) {
        const float b = image[base + r * step + j];
        for (int v = 0; v < V; v++) acc[r][v] += b * wv[v];
      }
    }
  }
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++) store(out + (ow + r) * OC + oc0 + v * W, acc[r][v], v == V - 1 ? lanes : W);
}

/* All output channels of positions ow..ow+R−1, in blocks of DC_FV vectors, then single ones. */
KFN void forward_positions(const ganrepl_conv_geometry *g, const float *image, const float *weight, float *out,
                           long ih0, long ow, long kh0, long kh1, long j0, long j1, const int R) {
  const long OC = g->outputChannels;
  long oc = 0;
  for (; oc + DC_FV * W <= OC; oc += DC_FV * W) forward_tile(g, image, weight, out, ih0, ow, kh0, kh1, j0, j1, oc, R, DC_FV, W);
  for (; oc + W <= OC; oc += W) forward_tile(g, image, weight, out, ih0, ow, kh0, kh1, j0, j1, oc, R, 1, W);
  if (oc < OC) forward_tile(g, image, weight, out, ih0, ow, kh0, kh1, j0, j1, oc, R, 1, (int)(OC - oc));
}

DC_ATTR static void forward(const ganrepl_conv_geometry *g, const float *input, const float *weight, float *output,
                            long rowStart, long rowEnd) {
  const long IC = g->inputChannels, L = g->kernelWidth * IC;
  long first, end;
  interior_columns(g, &first, &end);
  for (long row = rowStart; row < rowEnd; row++) {
    const long n = row / g->outputHeight, oh = row % g->outputHeight;
    const float *image = input + n * g->inputHeight * g->inputWidth * IC;
    float *out = output + row * g->outputWidth * g->outputChannels;
    const long ih0 = oh * g->strideHeight - g->padTop;
    const long kh0 = max_l(0, -ih0), kh1 = min_l(g->kernelHeight, g->inputHeight - ih0);
    for (long ow = 0; ow < g->outputWidth;) {
      if (ow >= first && ow + DC_FR <= end) {
        forward_positions(g, image, weight, out, ih0, ow, kh0, kh1, 0, L, DC_FR);
        ow += DC_FR;
      } else {
        const long iw0 = ow * g->strideWidth - g->padLeft;
        const long j0 = max_l(0, -iw0) * IC, j1 = min_l(g->kernelWidth, g->inputWidth - iw0) * IC;
        forward_positions(g, image, weight, out, ih0, ow, kh0, kh1, j0, j1, 1);
        ow += 1;
      }
    }
  }
}

/* ---- backward input --------------------------------------------------------------- */

/* gradInput[pixel, ic0 + c] += Σ over the taps that read this pixel, Σ_oc gradOutput ·
   weight, for c < C: OC-long dot products, two accumulators per channel (the FMA latency).
   The pixel's taps: kh = kh0 + a·SH reading output row oh0 − a (likewise kw, ow), kept while
   both stay in range; found without a division per pixel. */
KFN void backward_input_pixel(const ganrepl_conv_geometry *g, const float *gradOutput, const float *weight,
                              float *dst, long n, long kh0, long oh0, long kw0, long ow0, long ic0, const int C) {
  const long OC = g->outputChannels, IC = g->inputChannels;
  vf acc[BC][2];
  for (int c = 0; c < C; c++) acc[c][0] = acc[c][1] = (vf){0};
  for (long kh = kh0, oh = oh0; kh < g->kernelHeight && oh >= 0; kh += g->strideHeight, oh--) {
    if (oh >= g->outputHeight) continue;
    for (long kw = kw0, ow = ow0; kw < g->kernelWidth && ow >= 0; kw += g->strideWidth, ow--) {
      if (ow >= g->outputWidth) continue;
      const float *go = gradOutput + ((n * g->outputHeight + oh) * g->outputWidth + ow) * OC;
      const float *w = weight + ((kh * g->kernelWidth + kw) * IC + ic0) * OC;
      long oc = 0;
      for (; oc + 2 * W <= OC; oc += 2 * W) {
        const vf g0 = load(go + oc, W), g1 = load(go + oc + W, W);
        for (int c = 0; c < C; c++) {
          acc[c][0] += g0 * load(w + c * OC + oc, W);
          acc[c][1] += g1 * load(w + c * OC + oc + W, W);
        }
      }
      for (; oc + W <= OC; oc += W) {
        const vf g0 = load(go + oc, W);
        for (int c = 0; c < C; c++) acc[c][0] += g0 * load(w + c * OC + oc, W);
      }
      if (oc < OC) {
        const int lanes = (int)(OC - oc);
        const vf g0 = load(go + oc, lanes);
        for (int c = 0; c < C; c++) acc[c][1] += g0 * load(w + c * OC + oc, lanes);
      }
    }
  }
  for (int c = 0; c < C; c++) dst[ic0 + c] += hsum(acc[c][0] + acc[c][1]);
}

DC_ATTR static void backward_input(const ganrepl_conv_geometry *g, const float *gradOutput, const float *weight,
                                   float *gradInput, long rowStart, long rowEnd) {
  const long IC = g->inputChannels, SW = g->strideWidth;
  for (long row = rowStart; row < rowEnd; row++) {
    const long n = row / g->inputHeight, ih = row % g->inputHeight;
    /* ih + padTop = oh0·SH + kh0 with 0 ≤ kh0 < SH; likewise iw + padLeft = ow0·SW + kw0. */
    const long kh0 = mod_l(ih + g->padTop, g->strideHeight), oh0 = (ih + g->padTop - kh0) / g->strideHeight;
    long kw0 = mod_l(g->padLeft, SW), ow0 = (g->padLeft - kw0) / SW;
    for (long iw = 0; iw < g->inputWidth; iw++) {
      float *dst = gradInput + (row * g->inputWidth + iw) * IC;
      for (long ic0 = 0; ic0 < IC; ic0 += BC) {
        switch (min_l(BC, IC - ic0)) {
        case 4: backward_input_pixel(g, gradOutput, weight, dst, n, kh0, oh0, kw0, ow0, ic0, 4); break;
        case 3: backward_input_pixel(g, gradOutput, weight, dst, n, kh0, oh0, kw0, ow0, ic0, 3); break;
        case 2: backward_input_pixel(g, gradOutput, weight, dst, n, kh0, oh0, kw0, ow0, ic0, 2); break;
        default: backward_input_pixel(g, gradOutput, weight, dst, n, kh0, oh0, kw0, ow0, ic0, 1); break;
        }
      }
      if (++kw0 == SW) kw0 = 0, ow0++;
    }
  }
}

/* ---- backward weight -------------------------------------------------------------- */

/* One patch row of a weight tile at one output row: where its input row starts (offset of
   kw = 0, ic = 0 of output column 0's window), its entry j = kw·IC + ic, and whether its
   kernel row falls inside the image. */
typedef struct {
  long offset, j;
  int inside;
} patch_row;

/* acc[r][v] += Σ over output columns [ow0, ow1) of input · gradOutput, for the tile's rows
   r < R and channel vectors v < V (the last `lanes` wide). `checked`: columns whose windows
   leave the image row, or a tile with a kernel row outside the image. */
KFN void weight_span(const ganrepl_conv_geometry *g, const float *image, const float *go, vf acc[DC_WR][DC_WV],
                     const patch_row rows[DC_WR], long ow0, long ow1, const int R, const int V, const int lanes,
                     const int checked) {
  const long IC = g->inputChannels, OC = g->outputChannels;
  for (long ow = ow0; ow < ow1; ow++) {
    const long iw0 = ow * g->strideWidth - g->padLeft;
    const long lo = checked ? max_l(0, -iw0) * IC : 0;
    const long hi = checked ? min_l(g->kernelWidth, g->inputWidth - iw0) * IC : 0;
    vf gv[DC_WV];
    for (int v = 0; v < V; v++) gv[v] = load(go + ow * OC + v * W, v == V - 1 ? lanes : W);
    for (int r = 0; r < R; r++) {
      if (checked && (!rows[r].inside || rows[r].j < lo || rows[r].j >= hi)) continue;
      const float b = image[rows[r].offset + iw0 * IC];
      for (int v = 0; v < V; v++) acc[r][v] += b * gv[v];
    }
  }
}

/* gradWeight patch rows p0 … p0+R−1, channels oc0 …, += this output row's contributions. */
KFN void weight_tile(const ganrepl_conv_geometry *g, const float *image, const float *go, float *gradWeight, long ih0,
                     long p0, long oc0, long first, long end, const int R, const int V, const int lanes) {
  const long IC = g->inputChannels, OC = g->outputChannels, L = g->kernelWidth * IC;
  float *dw = gradWeight + p0 * OC + oc0;
  vf acc[DC_WR][DC_WV];
  patch_row rows[DC_WR];
  int inside = 1;
  for (int r = 0; r < R; r++) {
    const long ih = ih0 + (p0 + r) / L, j = (p0 + r) % L;
    rows[r] = (patch_row){ih * g->inputWidth * IC + j, j, ih >= 0 && ih < g->inputHeight};
    inside &= rows[r].inside;
    for (int v = 0; v < V; v++) acc[r][v] = load(dw + r * OC + v * W, v == V - 1 ? lanes : W);
  }
  if (inside) {
    weight_span(g, image, go, acc, rows, 0, first, R, V, lanes, 1);
    weight_span(g, image, go, acc, rows, first, end, R, V, lanes, 0);
    weight_span(g, image, go, acc, rows, end, g->outputWidth, R, V, lanes, 1);
  } else {
    weight_span(g, image, go, acc, rows, 0, g->outputWidth, R, V, lanes, 1);
  }
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++) store(dw + r * OC + v * W, acc[r][v], v == V - 1 ? lanes : W);
}

/* Channels oc0 … of patch rows [p0, p1), their terms from output row `row` (= n·OH + oh).
   The tiles run across kernel rows, so a 1-channel 4×4 kernel still fills the register block. */
KFN void weight_unit(const ganrepl_conv_geometry *g, const float *input, const float *gradOutput, float *gradWeight,
                     long row, long oc0, long p0, long p1, long first, long end, const int V, const int lanes) {
  const long IC = g->inputChannels;
  const long n = row / g->outputHeight, oh = row % g->outputHeight;
  const float *image = input + n * g->inputHeight * g->inputWidth * IC;
  const float *go = gradOutput + row * g->outputWidth * g->outputChannels + oc0;
  const long ih0 = oh * g->strideHeight - g->padTop;
  long p = p0;
  for (; p + DC_WR <= p1; p += DC_WR) weight_tile(g, image, go, gradWeight, ih0, p, oc0, first, end, DC_WR, V, lanes);
  for (; p < p1; p++) weight_tile(g, image, go, gradWeight, ih0, p, oc0, first, end, 1, V, lanes);
}

/* Units: blocks of DC_WV vectors of output channels × groups of patch rows (up to 4, each
   a multiple of DC_WR rows and at least 4·DC_WR), so small layers still split among threads. */
static long row_groups(const ganrepl_conv_geometry *g) {
  const long P = g->kernelHeight * g->kernelWidth * g->inputChannels;
  return min_l(4, max_l(1, P / (4 * DC_WR)));
}

/* Patch rows per group: a multiple of DC_WR. */
static long group_rows(const ganrepl_conv_geometry *g) {
  const long P = g->kernelHeight * g->kernelWidth * g->inputChannels, G = row_groups(g);
  return ((P + G - 1) / G + DC_WR - 1) / DC_WR * DC_WR;
}

static long weight_units(const ganrepl_conv_geometry *g) {
  return (g->outputChannels + DC_WV * W - 1) / (DC_WV * W) * row_groups(g);
}

DC_ATTR static void backward_weight(const ganrepl_conv_geometry *g, const float *input, const float *gradOutput,
                                    float *gradWeight, long unitStart, long unitEnd) {
  const long P = g->kernelHeight * g->kernelWidth * g->inputChannels, G = row_groups(g), rows = group_rows(g);
  long first, end;
  interior_columns(g, &first, &end);
  /* Output rows outermost: each row's gradients and input rows are read from memory once
     for all the units, then from L1; each element still sums its terms in row order. */
  for (long row = 0; row < g->batch * g->outputHeight; row++) {
    for (long unit = unitStart; unit < unitEnd; unit++) {
      const long oc0 = unit / G * DC_WV * W, ocEnd = min_l(g->outputChannels, oc0 + DC_WV * W);
      const long p0 = min_l(P, unit % G * rows), p1 = min_l(P, p0 + rows);
      if (ocEnd - oc0 == DC_WV * W) {
        weight_unit(g, input, gradOutput, gradWeight, row, oc0, p0, p1, first, end, DC_WV, W);
        continue;
      }
      long oc = oc0;
      for (; oc + W <= ocEnd; oc += W)
        weight_unit(g, input, gradOutput, gradWeight, row, oc, p0, p1, first, end, 1, W);
      if (oc < ocEnd)
        weight_unit(g, input, gradOutput, gradWeight, row, oc, p0, p1, first, end, 1, (int)(ocEnd - oc));
    }
  }
}

const ganrepl_direct_conv_kernels *DC_TABLE(void) {
  static const ganrepl_direct_conv_kernels table = {
      W, forward, backward_input, weight_units, backward_weight,
  };
  return &table;
}
