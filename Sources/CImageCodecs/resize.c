#include "ImageCodecs.h"

#include <stdlib.h>
#include <string.h>

/* Taps of one axis, `taps` per output: output o reads source pixels start[o] … start[o] +
   taps − 1 with weights weight[o·taps …] (zero-padded, summing to 1). Area averaging when
   shrinking, bilinear when enlarging: the rule of ResampleAxis in
   Tests/TestSupport/DecodedImage+Resize.swift, which the tests hold this to. A fixed tap count lets
   both passes run without data-dependent loops: the vertical pass vectorises along rows,
   and the horizontal pass has independent sums for every output.

   The tap count grows with the ratio (a 2100-pixel side shrunk to 32 needs 67 taps), so the
   tables are sized from it and live in the caller's scratch, never in a fixed array. */
typedef struct {
  size_t taps;
  int *start;    /* target entries */
  float *weight; /* target × taps entries */
} axis_taps;

/* Taps per output for `length` source pixels onto `target`: ⌊scale⌋ + 2 covers every
   output's span [lo, lo + scale) when shrinking, 2 when enlarging; never more than the
   source has. */
static size_t taps_for(int source, double length, int target) {
  double scale = length / target;
  size_t taps = scale >= 1 ? (size_t)scale + 2 : 2;
  return taps > (size_t)source ? (size_t)source : taps;
}

/* Fills `a` (taps, start and weight already pointing at room for target and target × taps
   entries). Returns nonzero if an output would need more taps than allotted: the arithmetic
   above rules it out, and the check keeps a mistake from writing past the table. */
static int make_axis(axis_taps *a, int source, double first, double length, int target) {
  double scale = length / target;
  size_t taps = a->taps;
  memset(a->weight, 0, sizeof(float) * (size_t)target * taps);
  for (int o = 0; o < target; o++) {
    int i0, i1;
    if (scale >= 1) {
      double lo = first + o * scale, hi = lo + scale;
      i0 = (int)lo;
      i1 = (int)(hi - 1e-9);
      if (i0 < 0) i0 = 0;
      if (i0 > source - 1) i0 = source - 1;
      if (i1 > source - 1) i1 = source - 1;
      if (i1 < i0) i1 = i0;
    } else {
      double centre = first + (o + 0.5) * scale - 0.5;
      int left = (int)(centre >= 0 ? centre : centre - 1);
      i0 = left < 0 ? 0 : (left > source - 1 ? source - 1 : left);
      i1 = left + 1 < 0 ? 0 : (left + 1 > source - 1 ? source - 1 : left + 1);
    }
    /* Place the used taps inside a window of `taps` that stays within the source. */
    int start = (size_t)i0 + taps > (size_t)source ? source - (int)taps : i0;
    if (start < 0 || (size_t)(i1 - start) >= taps) return 1;
    a->start[o] = start;
    float *w = a->weight + (size_t)o * taps; /* w[i − start] for source index i */
    if (scale >= 1) {
      double lo = first + o * scale, hi = lo + scale;
      float total = 0;
      for (int i = i0; i <= i1; i++) {
        double a0 = lo > i ? lo : i, b0 = hi < i + 1 ? hi : i + 1;
        w[i - start] = (float)((b0 > a0 ? b0 - a0 : 0) / scale);
        total += w[i - start];
      }
      for (int i = i0; i <= i1; i++) w[i - start] /= total > 0 ? total : 1;
    } else if (i0 == i1) {
      w[i0 - start] = 1;
    } else {
      double centre = first + (o + 0.5) * scale - 0.5;
      int left = (int)(centre >= 0 ? centre : centre - 1);
      float t = (float)(centre - left);
      w[i0 - start] = 1 - t;
      w[i1 - start] = t;
    }
  }
  return 0;
}

/* out[o] = Σ_t w[o][t] · lines[start[o] + t], for lines of `length` floats. */
static void resample_lines(const float *lines, size_t length, const axis_taps *a, int target, float *out) {
  for (int o = 0; o < target; o++) {
    float *restrict to = out + (size_t)o * length;
    const float *wt = a->weight + (size_t)o * a->taps;
    const float *restrict from = lines + (size_t)a->start[o] * length;
    float w0 = wt[0];
    for (size_t i = 0; i < length; i++) to[i] = w0 * from[i];
    for (size_t t = 1; t < a->taps; t++) {
      const float *restrict next = from + (size_t)t * length;
      float wt_t = wt[t];
      for (size_t i = 0; i < length; i++) to[i] += wt_t * next[i];
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
   image, 25 µs with reuse). The rare image whose scratch exceeds SCRATCH_KEPT gets memory
   for its own call only, so one huge file does not pin gigabytes in every loader thread. */
static __thread unsigned char *scratch = NULL;
static __thread size_t scratch_bytes = 0;
#define SCRATCH_KEPT ((size_t)64 << 20)

/* a·b + c, or SIZE_MAX if that overflows. */
static size_t mul_add(size_t a, size_t b, size_t c) {
  size_t r;
  if (__builtin_mul_overflow(a, b, &r) || __builtin_add_overflow(r, c, &r)) return SIZE_MAX;
  return r;
}

int gr_resize(const uint8_t *in, int width, int height, int in_channels, int size, int out_channels,
              int crop, uint8_t *out) {
  if (width < 1 || height < 1 || size < 1 || (in_channels != 1 && in_channels != 3) ||
      (out_channels != 1 && out_channels != 3))
    return 1;
  double x0 = 0, y0 = 0, w = width, h = height;
  if (crop) {
    double side = width < height ? width : height;
    x0 = (width - side) / 2;
    y0 = (height - side) / 2;
    w = h = side;
  }
  /* RGB → gray first (BT.601 luma, as PIL's convert("L")); gray → RGB last, by copying. */
  size_t c = in_channels == 3 && out_channels == 1 ? 1 : (size_t)in_channels;
  axis_taps columns = {taps_for(width, w, size), NULL, NULL};
  axis_taps rows = {taps_for(height, h, size), NULL, NULL};
  /* Scratch, in floats (all parts are 4-byte values): the source as floats (later its
     transpose), the vertical pass (later the horizontal one), the result, both weight
     tables, then both start tables. Every size is checked: SIZE_MAX poisons the total. */
  size_t n = (size_t)size;
  size_t need_source = mul_add(mul_add((size_t)width, (size_t)(height > size ? height : size), 0), c, 0);
  size_t need_vertical = mul_add(mul_add(n, (size_t)(width > size ? width : size), 0), c, 0);
  size_t floats = mul_add(n * n, c, need_source);
  floats = mul_add(1, floats, need_vertical);
  floats = mul_add(n, columns.taps, floats);
  floats = mul_add(n, rows.taps, floats);
  floats = mul_add(n, 2, floats);
  if (floats == SIZE_MAX || floats > SIZE_MAX / sizeof(float)) return 1;
  size_t bytes_needed = floats * sizeof(float);
  unsigned char *memory;
  int kept = bytes_needed <= SCRATCH_KEPT;
  if (!kept) {
    memory = malloc(bytes_needed);
  } else {
    if (scratch_bytes < bytes_needed) {
      free(scratch);
      scratch = malloc(bytes_needed);
      scratch_bytes = scratch ? bytes_needed : 0;
    }
    memory = scratch;
  }
  if (!memory) return 1;
  float *source = (float *)memory;
  float *vertical = source + need_source;
  float *result = vertical + need_vertical;
  columns.weight = result + n * n * c;
  rows.weight = columns.weight + n * columns.taps;
  columns.start = (int *)(rows.weight + n * rows.taps);
  rows.start = columns.start + n;
  int failed = make_axis(&columns, width, x0, w, size) || make_axis(&rows, height, y0, h, size);
  if (!failed) {
    size_t pixels = (size_t)width * height;
    if (c == (size_t)in_channels) {
      const uint8_t *restrict bytes = in;
      float *restrict values = source;
      for (size_t i = 0; i < pixels * c; i++) values[i] = bytes[i];
    } else {
      for (size_t i = 0; i < pixels; i++)
        source[i] = (float)((299 * in[3 * i] + 587 * in[3 * i + 1] + 114 * in[3 * i + 2] + 500) / 1000);
    }
    /* Vertical pass: each output row is a weighted sum of whole source rows; then the same
       along the other axis on the transposed rows. Both loops vectorise. */
    resample_lines(source, (size_t)width * c, &rows, size, vertical);
    float *transposed = source; /* free again: width × size × c floats fit */
    transpose_pixels(vertical, size, width, (int)c, transposed);
    float *columns_done = vertical; /* size × size × c floats fit */
    resample_lines(transposed, n * c, &columns, size, columns_done);
    transpose_pixels(columns_done, size, size, (int)c, result);
    size_t count = n * n * c;
    uint8_t *restrict bytes = (size_t)out_channels == c ? out : (uint8_t *)vertical; /* vertical is free */
    for (size_t i = 0; i < count; i++) {
      float v = result[i];
      v = v < 0 ? 0 : (v > 255 ? 255 : v);
      bytes[i] = (uint8_t)(v + 0.5f);
    }
    if ((size_t)out_channels != c) /* gray → RGB */
      for (size_t i = 0; i < count; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = bytes[i];
  }
  if (!kept) free(memory);
  return failed;
}
