#include "ImageCodecs.h"

#include <stdlib.h>
#include <string.h>

/* Taps of one axis, `taps` per output: output o reads source pixels start[o] … start[o] +
   taps − 1 with weights weight[o·taps …] (zero-padded, summing to 1). Area averaging when
   shrinking, bilinear when enlarging: the rule of ResampleAxis in
   Sources/Session/ImageResize.swift, which the tests hold this to. A fixed tap count lets
   both passes run without data-dependent loops: the vertical pass vectorises along rows,
   and the horizontal pass has independent sums for every output. */
typedef struct {
  int taps;
  int *start;
  float *weight;
} axis_taps;

static int make_axis(axis_taps *a, int source, double first, double length, int target) {
  double scale = length / target;
  int taps = scale >= 1 ? (int)scale + 2 : 2;
  if (taps > source) taps = source;
  a->taps = taps;
  a->start = malloc(sizeof(int) * target);
  a->weight = calloc((size_t)target * taps, sizeof(float));
  if (!a->start || !a->weight) return 1;
  for (int o = 0; o < target; o++) {
    int i0, i1;
    float w[64];
    if (scale >= 1) {
      double lo = first + o * scale, hi = lo + scale;
      i0 = (int)lo;
      i1 = (int)(hi - 1e-9);
      if (i0 < 0) i0 = 0;
      if (i1 > source - 1) i1 = source - 1;
      if (i1 < i0) i1 = i0;
      float total = 0;
      for (int i = i0; i <= i1; i++) {
        double a0 = lo > i ? lo : i, b0 = hi < i + 1 ? hi : i + 1;
        w[i - i0] = (float)((b0 > a0 ? b0 - a0 : 0) / scale);
        total += w[i - i0];
      }
      for (int i = i0; i <= i1; i++) w[i - i0] /= total > 0 ? total : 1;
    } else {
      double centre = first + (o + 0.5) * scale - 0.5;
      int left = (int)(centre >= 0 ? centre : centre - 1);
      float t = (float)(centre - left);
      i0 = left < 0 ? 0 : (left > source - 1 ? source - 1 : left);
      i1 = left + 1 < 0 ? 0 : (left + 1 > source - 1 ? source - 1 : left + 1);
      if (i0 == i1) {
        w[0] = 1;
      } else {
        w[0] = 1 - t;
        w[1] = t;
      }
    }
    /* Place the used taps inside a window of `taps` that stays within the source. */
    int start = i0 + taps > source ? source - taps : i0;
    a->start[o] = start;
    for (int i = i0; i <= i1; i++) a->weight[(size_t)o * taps + (i - start)] = w[i - i0];
  }
  return 0;
}

/* out[o] = Σ_t w[o][t] · lines[start[o] + t], for lines of `length` floats. */
static void resample_lines(const float *lines, int length, const axis_taps *a, int target, float *out) {
  for (int o = 0; o < target; o++) {
    float *restrict to = out + (size_t)o * length;
    const float *wt = a->weight + (size_t)o * a->taps;
    const float *restrict from = lines + (size_t)a->start[o] * length;
    float w0 = wt[0];
    for (int i = 0; i < length; i++) to[i] = w0 * from[i];
    for (int t = 1; t < a->taps; t++) {
      const float *restrict next = from + (size_t)t * length;
      float wt_t = wt[t];
      for (int i = 0; i < length; i++) to[i] += wt_t * next[i];
    }
  }
}

/* rows × columns pixels of c floats → columns × rows (c = 1 and 3 get their own loops). */
static void transpose_pixels(const float *restrict in, int rows, int columns, int c, float *restrict out) {
  if (c == 3) {
    for (int r = 0; r < rows; r++) {
      const float *from = in + (size_t)r * columns * 3;
      float *to = out + (size_t)r * 3;
      for (int x = 0; x < columns; x++) {
        to[(size_t)x * rows * 3] = from[3 * x];
        to[(size_t)x * rows * 3 + 1] = from[3 * x + 1];
        to[(size_t)x * rows * 3 + 2] = from[3 * x + 2];
      }
    }
  } else if (c == 1) {
    for (int r = 0; r < rows; r++)
      for (int x = 0; x < columns; x++) out[(size_t)x * rows + r] = in[(size_t)r * columns + x];
  } else {
    for (int r = 0; r < rows; r++)
      for (int x = 0; x < columns; x++)
        for (int ch = 0; ch < c; ch++) out[((size_t)x * rows + r) * c + ch] = in[((size_t)r * columns + x) * c + ch];
  }
}

/* Scratch memory kept per thread: fresh allocations of this size would be handed back to
   the system and page-faulted in again on every image (measured: 145 µs per 89×109 RGB
   image, 25 µs with reuse). */
static __thread float *scratch = NULL;
static __thread size_t scratch_floats = 0;

static float *scratch_floats_for(size_t count) {
  if (scratch_floats < count) {
    free(scratch);
    scratch = malloc(sizeof(float) * count);
    scratch_floats = scratch ? count : 0;
  }
  return scratch;
}

int gr_resize(const uint8_t *in, int width, int height, int in_channels, int size, int out_channels,
              int crop, uint8_t *out) {
  double x0 = 0, y0 = 0, w = width, h = height;
  if (crop) {
    double side = width < height ? width : height;
    x0 = (width - side) / 2;
    y0 = (height - side) / 2;
    w = h = side;
  }
  /* RGB → gray first (BT.601 luma, as PIL's convert("L")); gray → RGB last, by copying. */
  int c = in_channels == 3 && out_channels == 1 ? 1 : in_channels;
  axis_taps columns = {0, 0, 0}, rows = {0, 0, 0};
  size_t need_source = (size_t)width * (height > size ? height : size) * c;
  size_t need_vertical = (size_t)size * (width > size ? width : size) * c;
  float *source = scratch_floats_for(need_source + need_vertical + (size_t)size * size * c);
  float *vertical = source ? source + need_source : NULL;
  float *result = source ? vertical + need_vertical : NULL;
  int failed = !source || make_axis(&columns, width, x0, w, size) || make_axis(&rows, height, y0, h, size);
  if (!failed) {
    size_t pixels = (size_t)width * height;
    if (c == in_channels) {
      const uint8_t *restrict bytes = in;
      float *restrict floats = source;
      for (size_t i = 0; i < pixels * c; i++) floats[i] = bytes[i];
    } else {
      for (size_t i = 0; i < pixels; i++)
        source[i] = (float)((299 * in[3 * i] + 587 * in[3 * i + 1] + 114 * in[3 * i + 2] + 500) / 1000);
    }
    /* Vertical pass: each output row is a weighted sum of whole source rows; then the same
       along the other axis on the transposed rows. Both loops vectorise. */
    int line = width * c;
    resample_lines(source, line, &rows, size, vertical);
    float *transposed = source; /* free again: width × size × c floats fit */
    transpose_pixels(vertical, size, width, c, transposed);
    float *columns_done = vertical; /* size × size × c floats fit */
    resample_lines(transposed, size * c, &columns, size, columns_done);
    transpose_pixels(columns_done, size, size, c, result);
    size_t n = (size_t)size * size * c;
    uint8_t *restrict bytes = out_channels == c ? out : (uint8_t *)vertical; /* vertical is free */
    for (size_t i = 0; i < n; i++) {
      float v = result[i];
      v = v < 0 ? 0 : (v > 255 ? 255 : v);
      bytes[i] = (uint8_t)(v + 0.5f);
    }
    if (out_channels != c) /* gray → RGB */
      for (size_t i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = bytes[i];
  }
  free(columns.start);
  free(columns.weight);
  free(rows.start);
  free(rows.weight);
  return failed;
}
