#ifndef GANREPL_CCPUID_H
#define GANREPL_CCPUID_H

#include <stdint.h>

/* The four registers one cpuid instruction returns. */
typedef struct {
  uint32_t eax, ebx, ecx, edx;
} ganrepl_cpuid_registers;

/* Runs cpuid for `leaf` and `subleaf` into `out`. Returns 1, or 0 (and zeros in `out`)
   when the CPU does not have that leaf (above the basic or extended maximum) or this is
   not an x86 CPU. */
int ganrepl_cpuid(uint32_t leaf, uint32_t subleaf, ganrepl_cpuid_registers *out);

/* XCR0, the register state the operating system saves and so lets programs use (bit 1
   SSE, 2 AVX's upper YMM halves, 5-7 AVX-512's opmasks and ZMM, 17-18 AMX tiles).
   0 when the OS has not enabled XSAVE (cpuid leaf 1, ECX bit 27) or this is not x86. */
uint64_t ganrepl_xcr0(void);

#endif
