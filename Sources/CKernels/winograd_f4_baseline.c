/* Winograd F(4×4, 2×2) transforms on 4-float vectors with no target attribute: SSE2 on
   x86-64, the compiler's portable vector code elsewhere. */
#define WF_WIDTH 4
#define WF_ATTR
#define WF_TABLE ganrepl_winograd4_baseline
#include "winograd_f4_template.h"
