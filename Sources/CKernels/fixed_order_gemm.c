/* A matrix product whose every element is summed in one fixed order on every x86-64 CPU:
   `set portable on`. Shapes, row-major as BLAS.gemm:

     C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C

   Each C[i][j] is s = 0; for k = 0 … K−1: s = s + a(i,k) · b(k,j) (one rounded multiply,
   then one rounded add: contraction into FMA is off), then alpha · s (+ beta · C[i][j]).
   Vectors run across j only, never across k, so the lanes compute exactly the scalar
   sums: the SSE2 and AVX builds below give the same bits, on any CPU, on any number of
   threads (a call never splits a sum). OpenBLAS orders its sums by its kernel and blocking,
   which differ between CPUs; this is several times slower than it. */
#include "ckernels.h"
#include <stdlib.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF
/* Never build this file with -ffast-math or -ffp-contract=fast: they override the pragma. */

typedef float fixed_vector __attribute__((vector_size(32)));
enum { lanes = 8, rows = 4, vectors = 2, columns = lanes * vectors };

/* Rows [i, i + count) of C, count ≤ rows, over the packed B (K × padded, zero past N). */
#define FIXED_BLOCK(NAME, ATTRIBUTES)                                                                   \
  ATTRIBUTES static void NAME(long i, long count, long n, long k, float alpha, const float *a,     \
                              long lda, int transposeA, const float *packed, long padded, float beta,  \
                              float *c, long ldc) {                                                   \
    for (long j = 0; j < n; j += columns) {                                                          \
      fixed_vector sum[rows][vectors];                                                             \
      memset(sum, 0, sizeof sum);                                                                   \
      for (long p = 0; p < k; p++) {                                                                 \
        fixed_vector b[vectors];                                                                     \
        memcpy(b, packed + p * padded + j, sizeof b);                                                \
        for (long r = 0; r < count; r++) {                                                           \
          float x = transposeA ? a[p * lda + i + r] : a[(i + r) * lda + p];                          \
          for (int v = 0; v < vectors; v++) sum[r][v] = sum[r][v] + x * b[v];                       \
        }                                                                                            \
      }                                                                                              \
      long width = n - j < columns ? n - j : columns;                                                \
      for (long r = 0; r < count; r++) {                                                             \
        float out[columns];                                                                          \
        memcpy(out, sum[r], sizeof out);                                                             \
        float *row = c + (i + r) * ldc + j;                                                          \
        for (long q = 0; q < width; q++) row[q] = alpha * out[q] + (beta == 0 ? 0 : beta * row[q]);  \
      }                                                                                              \
    }                                                                                                \
  }

FIXED_BLOCK(fixed_block_sse2, )
#if defined(__x86_64__)
FIXED_BLOCK(fixed_block_avx, __attribute__((target("avx"))))
#else
#define fixed_block_avx fixed_block_sse2 /* the same sums, in whatever vectors the target has */
#endif

int ganrepl_fixed_order_gemm(int transposeA, int transposeB, long m, long n, long k, float alpha, const float *a,
                             long lda, const float *b, long ldb, float beta, float *c, long ldc) {
#if defined(__x86_64__)
  int avx = __builtin_cpu_supports("avx");
#else
  int avx = 0;
#endif
  return ganrepl_fixed_order_gemm_vectors(avx, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

int ganrepl_fixed_order_gemm_vectors(int avx, int transposeA, int transposeB, long m, long n, long k, float alpha,
                                     const float *a, long lda, const float *b, long ldb, float beta, float *c,
                                     long ldc) {
  if (m <= 0 || n <= 0) return 0;
  long padded = (n + columns - 1) / columns * columns;
  /* B as K rows of `padded` floats, zero past N: a vector load never reads past it. */
  float *packed = calloc((size_t)(k > 0 ? k : 1) * (size_t)padded, sizeof(float));
  if (!packed) return -1;
  for (long p = 0; p < k; p++)
    for (long j = 0; j < n; j++) packed[p * padded + j] = transposeB ? b[j * ldb + p] : b[p * ldb + j];
  for (long i = 0; i < m; i += rows) {
    long count = m - i < rows ? m - i : rows;
    if (avx)
      fixed_block_avx(i, count, n, k, alpha, a, lda, transposeA, packed, padded, beta, c, ldc);
    else
      fixed_block_sse2(i, count, n, k, alpha, a, lda, transposeA, packed, padded, beta, c, ldc);
  }
  free(packed);
  return 0;
}
