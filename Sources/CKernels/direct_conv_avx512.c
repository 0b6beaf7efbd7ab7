/* The direct convolution on AVX-512 F, BW, DQ, VL (16 floats, 32 ZMM registers): 6
   positions × 4 vectors of OC in the forward block (24 accumulators), 12 patch rows ×
   2 vectors in the weight block (2 vectors of OC per unit, so a 64-channel layer still
   splits between two threads). */
#include "ckernels.h"

#if defined(__x86_64__)
#define DC_WIDTH 16
#define DC_ATTR __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define DC_TABLE ganrepl_direct_conv_avx512
#define DC_FR 6
#define DC_FV 4
#define DC_WR 12
#define DC_WV 2
#include "direct_conv_template.h"
#else
const ganrepl_direct_conv_kernels *ganrepl_direct_conv_avx512(void) { return 0; }
#endif
