/* The transforms of Winograd's F(4×4, 2×2) over NHWC tiles, written once for every
   instruction set: winograd_f4_<isa>.c defines

     WF_WIDTH   floats per vector (4 SSE2, 8 AVX2, 16 AVX-512)
     WF_ATTR    the attribute that lets the compiler use the set (empty for the baseline)
     WF_TABLE   the name of the public function returning the table

   and includes this file. The matrices and the reasoning are in
   Sources/Tensors/WinogradF4Transforms.swift. Every channel of a tile at once, WF_WIDTH
   channels per vector, the last vector partial. Plane k = 5i + j of a transformed tile
   holds frequency (i, j); planes lie `planeStride` floats apart. The same expressions run
   on every lane and on the partial vector, so a channel's result does not depend on the
   channel count. AVX-512's 32 registers hold most of a tile's 25 input vectors and their
   row transforms at once; narrower sets spill more to the stack. Contraction into FMA is
   off, so every set computes the same bits (its multiplications by 2, 3, 4, 8 and 1/6
   would otherwise round differently where a set has FMA). */

#pragma STDC FP_CONTRACT OFF

#include <string.h>

#include "ckernels.h"

typedef float vf __attribute__((vector_size(WF_WIDTH * sizeof(float))));
#define KFN static inline __attribute__((always_inline)) WF_ATTR
#define W WF_WIDTH

KFN vf load(const float *p, int lanes) {
  vf v = {0};
  memcpy(&v, p, (size_t)lanes * sizeof(float));
  return v;
}

KFN void store(float *p, vf v, int lanes) { memcpy(p, &v, (size_t)lanes * sizeof(float)); }

/* Bᵀ along one axis: five values in, five out. */
KFN void b5(const vf d[5], vf o[5]) {
  o[0] = 2 * d[0] - d[1] - 2 * d[2] + d[3];
  o[1] = d[3] - 2 * d[1] - d[2];
  o[2] = 2 * d[1] - 3 * d[2] + d[3];
  o[3] = d[3] - d[1];
  o[4] = 2 * d[1] - d[2] - 2 * d[3] + d[4];
}

/* Aᵀ along one axis: five products in, four outputs. */
KFN void a5(const vf m[5], vf o[4]) {
  o[0] = m[0] + m[1] + m[2] + m[3];
  o[1] = m[1] - m[2] + 2 * m[3];
  o[2] = m[1] + m[2] + 4 * m[3];
  o[3] = m[1] - m[2] + 8 * m[3] + m[4];
}

/* A along one axis: four gradients in, five out. */
KFN void a4(const vf d[4], vf o[5]) {
  o[0] = d[0];
  o[1] = d[0] + d[1] + d[2] + d[3];
  o[2] = d[0] - d[1] + d[2] - d[3];
  o[3] = d[0] + 2 * d[1] + 4 * d[2] + 8 * d[3];
  o[4] = d[3];
}

/* G along one axis: two taps in, five out. */
KFN void g2(vf g0, vf g1, vf o[5]) {
  o[0] = 0.5f * g0;
  o[1] = -0.5f * (g0 + g1);
  o[2] = (g1 - g0) / 6;
  o[3] = (g0 + 2 * g1) / 6;
  o[4] = g1;
}

/* Gᵀ along one axis: five values in, two out. */
KFN void gt5(const vf u[5], vf o[2]) {
  o[0] = 0.5f * (u[0] - u[1]) + (u[3] - u[2]) / 6;
  o[1] = (u[2] + 2 * u[3]) / 6 - 0.5f * u[1] + u[4];
}

KFN void input_block(const float *const *p, long ch, float *v, long ps, int lanes) {
  vf d[25], t[25];
  for (int k = 0; k < 25; k++) d[k] = load(p[k] + ch, lanes);
  for (int j = 0; j < 5; j++) {
    vf column[5] = {d[j], d[5 + j], d[10 + j], d[15 + j], d[20 + j]}, out[5];
    b5(column, out);
    for (int i = 0; i < 5; i++) t[5 * i + j] = out[i];
  }
  for (int i = 0; i < 5; i++) {
    vf out[5];
    b5(t + 5 * i, out);
    for (int j = 0; j < 5; j++) store(v + (5 * i + j) * ps + ch, out[j], lanes);
  }
}

WF_ATTR static void input(const float *const *p, long c, float *v, long planeStride) {
  long ch = 0;
  for (; ch + W <= c; ch += W) input_block(p, ch, v, planeStride, W);
  if (ch < c) input_block(p, ch, v, planeStride, (int)(c - ch));
}

KFN void gradient_block(const float *const *p, long ch, float *z, long ps, int lanes) {
  vf d[16], t[20];
  for (int k = 0; k < 16; k++) d[k] = load(p[k] + ch, lanes);
  for (int j = 0; j < 4; j++) {
    vf column[4] = {d[j], d[4 + j], d[8 + j], d[12 + j]}, out[5];
    a4(column, out);
    for (int i = 0; i < 5; i++) t[4 * i + j] = out[i];
  }
  for (int i = 0; i < 5; i++) {
    vf out[5];
    a4(t + 4 * i, out);
    for (int j = 0; j < 5; j++) store(z + (5 * i + j) * ps + ch, out[j], lanes);
  }
}

WF_ATTR static void gradient(const float *const *p, long c, float *z, long planeStride) {
  long ch = 0;
  for (; ch + W <= c; ch += W) gradient_block(p, ch, z, planeStride, W);
  if (ch < c) gradient_block(p, ch, z, planeStride, (int)(c - ch));
}

KFN void output_block(const float *m, long ps, long ch, float *const *q, int accumulate, int lanes) {
  vf t[20];
  for (int j = 0; j < 5; j++) {
    vf column[5], out[4];
    for (int i = 0; i < 5; i++) column[i] = load(m + (5 * i + j) * ps + ch, lanes);
    a5(column, out);
    for (int y = 0; y < 4; y++) t[5 * y + j] = out[y];
  }
  for (int y = 0; y < 4; y++) {
    vf out[4];
    a5(t + 5 * y, out);
    for (int x = 0; x < 4; x++) {
      float *target = q[4 * y + x];
      if (!target) continue;
      store(target + ch, accumulate ? load(target + ch, lanes) + out[x] : out[x], lanes);
    }
  }
}

WF_ATTR static void output(const float *m, long planeStride, long c, float *const *q, int accumulate) {
  long ch = 0;
  for (; ch + W <= c; ch += W) output_block(m, planeStride, ch, q, accumulate, W);
  if (ch < c) output_block(m, planeStride, ch, q, accumulate, (int)(c - ch));
}

KFN void kernel_block(const float *const *g, long i, float *u, long ps, int lanes) {
  vf c0[5], c1[5];
  g2(load(g[0] + i, lanes), load(g[2] + i, lanes), c0); /* G down each column of g */
  g2(load(g[1] + i, lanes), load(g[3] + i, lanes), c1);
  for (int r = 0; r < 5; r++) {
    vf out[5];
    g2(c0[r], c1[r], out);
    for (int j = 0; j < 5; j++) store(u + (5 * r + j) * ps + i, out[j], lanes);
  }
}

WF_ATTR static void kernel(const float *const *g, long count, float *u, long planeStride) {
  long i = 0;
  for (; i + W <= count; i += W) kernel_block(g, i, u, planeStride, W);
  if (i < count) kernel_block(g, i, u, planeStride, (int)(count - i));
}

KFN void kernel_gradient_block(const float *d, long ps, long i, float *const *t, int lanes) {
  vf rows[10];
  for (int r = 0; r < 5; r++) {
    vf u[5], out[2];
    for (int j = 0; j < 5; j++) u[j] = load(d + (5 * r + j) * ps + i, lanes);
    gt5(u, out);
    rows[r] = out[0];
    rows[5 + r] = out[1];
  }
  vf left[2], right[2]; /* Gᵀ down the tap columns 0 and 1 */
  gt5(rows, left);
  gt5(rows + 5, right);
  vf taps[4] = {left[0], right[0], left[1], right[1]};
  for (int k = 0; k < 4; k++) store(t[k] + i, load(t[k] + i, lanes) + taps[k], lanes);
}

WF_ATTR static void kernel_gradient(const float *d, long planeStride, long count, float *const *t) {
  long i = 0;
  for (; i + W <= count; i += W) kernel_gradient_block(d, planeStride, i, t, W);
  if (i < count) kernel_gradient_block(d, planeStride, i, t, (int)(count - i));
}

const ganrepl_winograd4_kernels *WF_TABLE(void) {
  static const ganrepl_winograd4_kernels table = {input, gradient, output, kernel, kernel_gradient};
  return &table;
}
