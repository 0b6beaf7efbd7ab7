/* The direct convolution on 4-float vectors with no target attribute: SSE2 on x86-64 (the
   ISA every x86-64 CPU runs), the compiler's portable vector code elsewhere. No FMA: each
   multiply-add rounds twice. 16 registers: 6 positions × 2 vectors (forward), 6 rows ×
   2 vectors (weights). */
#define DC_WIDTH 4
#define DC_ATTR
#define DC_TABLE ganrepl_direct_conv_baseline
#define DC_FR 6
#define DC_FV 2
#define DC_WR 6
#define DC_WV 2
#include "direct_conv_template.h"
