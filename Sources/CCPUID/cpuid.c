/* cpuid and xgetbv, the two instructions behind CPUFeatures; all decoding is in Swift. */
#include "ccpuid.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int ganrepl_cpuid(uint32_t leaf, uint32_t subleaf, ganrepl_cpuid_registers *out) {
  out->eax = out->ebx = out->ecx = out->edx = 0;
  /* __get_cpuid_max takes the base of the range: 0 (basic) or 0x80000000 (extended). */
  if (__get_cpuid_max(leaf & 0x80000000u, 0) < leaf) return 0;
  __cpuid_count(leaf, subleaf, out->eax, out->ebx, out->ecx, out->edx);
  return 1;
}

uint64_t ganrepl_xcr0(void) {
  ganrepl_cpuid_registers r;
  if (!ganrepl_cpuid(1, 0, &r) || !(r.ecx & (1u << 27))) return 0;
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((uint64_t)edx << 32) | eax;
}

#else

int ganrepl_cpuid(uint32_t leaf, uint32_t subleaf, ganrepl_cpuid_registers *out) {
  (void)leaf;
  (void)subleaf;
  out->eax = out->ebx = out->ecx = out->edx = 0;
  return 0;
}

uint64_t ganrepl_xcr0(void) { return 0; }

#endif
