#ifndef GANREPL_CKERNELS_H
#define GANREPL_CKERNELS_H

/* ganrepl's own convolution kernels: a direct convolution for small patches, written once
   (direct_conv_template.h) and compiled per instruction set. Shapes, NHWC throughout:

     input  [N, H, W, IC]    weight [KH, KW, IC, OC]    output [N, OH, OW, OC]

   Output (oh, ow) reads input rows oh·SH − padTop + kh and columns ow·SW − padLeft + kw;
   taps outside the image read as zero (no padded copy, no im2col buffer). Every output
   element is computed by one call in a fixed order, so splitting the rows or units among
   threads never changes a bit. */

typedef struct {
  long batch;                                              /* N */
  long inputHeight, inputWidth, inputChannels;             /* H, W, IC */
  long outputHeight, outputWidth, outputChannels;          /* OH, OW, OC */
  long kernelHeight, kernelWidth, strideHeight, strideWidth; /* KH, KW, SH, SW */
  long padTop, padLeft;
} ganrepl_conv_geometry;

/* One instruction set's kernels. */
typedef struct {
  /* Floats per vector: 4 (SSE2), 8 (AVX2), 16 (AVX-512). */
  int width;
  /* output[n, oh, ow, :] = Σ taps input · weight (overwrites), for output rows
     row = n·OH + oh in [rowStart, rowEnd). */
  void (*forward)(const ganrepl_conv_geometry *g, const float *input, const float *weight, float *output,
                  long rowStart, long rowEnd);
  /* gradInput[n, ih, iw, :] += Σ over the outputs whose window reads (ih, iw) of
     gradOutput · weightᵀ, for input rows row = n·H + ih in [rowStart, rowEnd). */
  void (*backwardInput)(const ganrepl_conv_geometry *g, const float *gradOutput, const float *weight,
                        float *gradInput, long rowStart, long rowEnd);
  /* How many independent units `backwardWeight` splits into (blocks of output channels). */
  long (*weightUnits)(const ganrepl_conv_geometry *g);
  /* gradWeight[kh, kw, ic, oc] += Σ over all positions of input · gradOutput, for the
     output channels of units [unitStart, unitEnd). */
  void (*backwardWeight)(const ganrepl_conv_geometry *g, const float *input, const float *gradOutput,
                         float *gradWeight, long unitStart, long unitEnd);
} ganrepl_direct_conv_kernels;

/* x86-64's SSE2, which every x86-64 CPU runs (elsewhere: the compiler's portable vectors). */
const ganrepl_direct_conv_kernels *ganrepl_direct_conv_baseline(void);
/* AVX2 and FMA; NULL when this build has no x86 code for them. Call only on a CPU (and OS)
   that runs them. */
const ganrepl_direct_conv_kernels *ganrepl_direct_conv_avx2(void);
/* AVX-512 F, BW, DQ, VL; NULL as above. */
const ganrepl_direct_conv_kernels *ganrepl_direct_conv_avx512(void);

/* Winograd F(4×4, 2×2) transforms (winograd_f4_template.h, one table per instruction
   set as for the direct convolution; the matrices in
   Sources/Tensors/WinogradF4Transforms.swift). Plane k = 5i + j of a transformed tile,
   planes `planeStride` floats apart; c channels (or `count` elements) each. */
typedef struct {
  /* p[25]: the 5×5 input tile's pixels (a row of zeros where outside); V = BᵀdB into v. */
  void (*input)(const float *const *p, long c, float *v, long planeStride);
  /* p[16]: the 4×4 gradient tile's pixels; A·dY·Aᵀ into z. */
  void (*gradient)(const float *const *p, long c, float *z, long planeStride);
  /* Y = AᵀMA into q[16] (NULL: outside, skipped), added to what is there when `accumulate`. */
  void (*output)(const float *m, long planeStride, long c, float *const *q, int accumulate);
  /* g[4]: taps (0,0) (0,1) (1,0) (1,1) of `count` elements; GgGᵀ into u. */
  void (*kernel)(const float *const *g, long count, float *u, long planeStride);
  /* GᵀdU·G of `count` elements added into t[4], the taps in the same order. */
  void (*kernelGradient)(const float *d, long planeStride, long count, float *const *t);
} ganrepl_winograd4_kernels;

/* The same sets as the direct convolution's, NULL where this build has none. */
const ganrepl_winograd4_kernels *ganrepl_winograd4_baseline(void);
const ganrepl_winograd4_kernels *ganrepl_winograd4_avx2(void);
const ganrepl_winograd4_kernels *ganrepl_winograd4_avx512(void);

/* Adam's constants for one update: β1, β2, lr, ε, and the bias corrections 1 − β1ᵗ and
   1 − β2ᵗ. */
typedef struct {
  float beta1, beta2, learningRate, epsilon, correction1, correction2;
} ganrepl_adam_constants;

/* One Adam update of n parameters w, g, m, v [n], in place (PyTorch's expression, in float):
     m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g·g;  w −= lr·(m / c1) / (√(v / c2) + ε) */
void ganrepl_adam(float *w, const float *g, float *m, float *v, long n, const ganrepl_adam_constants *k);

/* C = alpha · op(A) · op(B) + beta · C, row-major, each element summed over k in order
   with a multiply then an add (no FMA): the same bits on every x86-64 CPU
   (fixed_order_gemm.c). Returns -1 when its scratch cannot be allocated, else 0. */
int ganrepl_fixed_order_gemm(int transposeA, int transposeB, long m, long n, long k, float alpha, const float *a,
                             long lda, const float *b, long ldb, float beta, float *c, long ldc);
/* The same with the vectors chosen: AVX (avx ≠ 0, only where the CPU has it) or SSE2. */
int ganrepl_fixed_order_gemm_vectors(int avx, int transposeA, int transposeB, long m, long n, long k, float alpha,
                                     const float *a, long lda, const float *b, long ldb, float beta, float *c,
                                     long ldc);

#endif
