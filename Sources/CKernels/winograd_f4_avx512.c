/* Winograd F(4×4, 2×2) transforms on AVX-512 F, BW, DQ, VL (16 floats, 32 registers: a
   5×5 input tile and its row transforms stay in registers). */
#include "ckernels.h"

#if defined(__x86_64__)
#define WF_WIDTH 16
#define WF_ATTR __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define WF_TABLE ganrepl_winograd4_avx512
#include "winograd_f4_template.h"
#else
const ganrepl_winograd4_kernels *ganrepl_winograd4_avx512(void) { return 0; }
#endif
