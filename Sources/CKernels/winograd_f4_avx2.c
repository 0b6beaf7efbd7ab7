/* Winograd F(4×4, 2×2) transforms on AVX2 + FMA (8 floats). */
#include "ckernels.h"

#if defined(__x86_64__)
#define WF_WIDTH 8
#define WF_ATTR __attribute__((target("avx2,fma")))
#define WF_TABLE ganrepl_winograd4_avx2
#include "winograd_f4_template.h"
#else
const ganrepl_winograd4_kernels *ganrepl_winograd4_avx2(void) { return 0; }
#endif
