/* The direct convolution on AVX2 + FMA (8 floats, 16 YMM registers): 6 positions ×
   2 vectors of OC in the forward block, 6 patch rows × 2 vectors in the weight block —
   12 accumulators, 2 weight or gradient vectors and 1 broadcast. */
#include "ckernels.h"

#if defined(__x86_64__)
#define DC_WIDTH 8
#define DC_ATTR __attribute__((target("avx2,fma")))
#define DC_TABLE ganrepl_direct_conv_avx2
#define DC_FR 6
#define DC_FV 2
#define DC_WR 6
#define DC_WV 2
#include "direct_conv_template.h"
#else
const ganrepl_direct_conv_kernels *ganrepl_direct_conv_avx2(void) { return 0; }
#endif
