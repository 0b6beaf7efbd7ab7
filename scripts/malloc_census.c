/* Counts malloc/calloc/realloc calls, split into those OpenBLAS makes and all others, and
   prints the totals at exit. Measurement only, loaded with LD_PRELOAD by
   scripts/malloc-census.sh; not part of ganrepl. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static atomic_long blas, other, other_bytes; static __thread int inside;
static void classify(size_t n) {
  if (inside) return;
  inside = 1;
  void *frames[4]; int k = backtrace(frames, 4);
  Dl_info info; int isblas = 0;
  if (k >= 3 && dladdr(frames[2], &info) && info.dli_fname && strstr(info.dli_fname, "openblas")) isblas = 1;
  if (isblas) atomic_fetch_add(&blas, 1); else { atomic_fetch_add(&other, 1); atomic_fetch_add(&other_bytes, n); }
  inside = 0;
}
void *malloc(size_t n) { classify(n); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { classify(a*b); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { classify(n); return __libc_realloc(p, n); }
__attribute__((destructor)) static void report(void) {
  char line[160]; int len = snprintf(line, sizeof line, "MALLOC openblas %ld, other %ld (%ld bytes)\n", (long)blas, (long)other, (long)other_bytes); write(2, line, len);
}
