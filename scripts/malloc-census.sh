#!/usr/bin/env bash
# How many heap allocations a steady-state training step makes: runs `ganrepl bench` for
# 2 and for 6 timed steps under an LD_PRELOAD allocation counter and divides the
# difference by 4. Prints OpenBLAS's own allocations (its threaded sgemm mallocs a job
# table per call) apart from everything else.
# Usage: scripts/malloc-census.sh [tutorial|dcgan]   (needs swift build -c release, gcc)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
arch="${1:-dcgan}"
lib="$(mktemp -d)/libcensus.so"
gcc -O2 -shared -fPIC "$here/scripts/malloc_census.c" -o "$lib" -ldl
count() {
  LD_PRELOAD="$lib" "$here/.build/release/ganrepl" bench "$arch" --steps "$1" 2>&1 | grep MALLOC \
    | sed -E 's/MALLOC openblas ([0-9]+), other ([0-9]+) \(([0-9]+) bytes\)/\1 \2 \3/'
}
read -r b2 o2 y2 < <(count 2)
read -r b6 o6 y6 < <(count 6)
echo "per steady-state step of the $arch step: OpenBLAS $(( (b6 - b2) / 4 )) allocations;" \
  "everything else $(( (o6 - o2) / 4 )) allocations, $(( (y6 - y2) / 4 )) bytes"
