/* Adam's update over n parameters, PyTorch's expression (see ckernels.h), four lanes at a
   time in the compiler's portable vectors (SSE2 on x86-64). Division and square root are
   correctly rounded in every lane, and contraction into FMA is off, so each lane gives
   the bits of the scalar expression. Swift's loop did not vectorise (a call to sqrtf per
   element): a tenth of the classic DCGAN's step on a Zen 5. */
#include "ckernels.h"

#pragma STDC FP_CONTRACT OFF
/* Never build this file with -ffast-math or -ffp-contract=fast: they override the pragma,
   and fused multiply-adds would change the bits (54,276 of a million in a review's check). */

typedef float adam_vector __attribute__((vector_size(16)));
enum { lanes = 4 };

static inline void adam_step(adam_vector *w, adam_vector g, adam_vector *m, adam_vector *v,
                             const ganrepl_adam_constants *k) {
  *m = k->beta1 * *m + (1 - k->beta1) * g;
  *v = k->beta2 * *v + (1 - k->beta2) * g * g;
  *w -= k->learningRate * (*m / k->correction1) / (__builtin_elementwise_sqrt(*v / k->correction2) + k->epsilon);
}

void ganrepl_adam(float *w, const float *g, float *m, float *v, long n, const ganrepl_adam_constants *k) {
  long i = 0;
  for (; i + lanes <= n; i += lanes) {
    adam_vector wv, gv, mv, vv;
    __builtin_memcpy(&wv, w + i, sizeof wv);
    __builtin_memcpy(&gv, g + i, sizeof gv);
    __builtin_memcpy(&mv, m + i, sizeof mv);
    __builtin_memcpy(&vv, v + i, sizeof vv);
    adam_step(&wv, gv, &mv, &vv, k);
    __builtin_memcpy(w + i, &wv, sizeof wv);
    __builtin_memcpy(m + i, &mv, sizeof mv);
    __builtin_memcpy(v + i, &vv, sizeof vv);
  }
  if (i == n) return;
  /* The last n − i < 4 parameters in a zero-padded vector (the padding's lanes are
     discarded). */
  adam_vector wv = {0}, gv = {0}, mv = {0}, vv = {0};
  for (long l = 0; i + l < n; l++) wv[l] = w[i + l], gv[l] = g[i + l], mv[l] = m[i + l], vv[l] = v[i + l];
  adam_step(&wv, gv, &mv, &vv, k);
  for (long l = 0; i + l < n; l++) w[i + l] = wv[l], m[i + l] = mv[l], v[i + l] = vv[l];
}
