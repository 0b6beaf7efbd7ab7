#!/usr/bin/env bash
# Builds the data-loading test folders of ../shared/bench/data-peers.md out of hard links
# (no copies, outside the repository):
#   /tmp/celeba-202599/     000001.jpg … 202599.jpg cycling through the 1,532 real CelebA files
#                           in ../shared/data (1,500 gray 150×150, then 32 RGB 178×218)
#   /tmp/celeba-rgb-20000/  000001.jpg … 020000.jpg cycling through the 32 RGB files only,
#                           the real per-file cost of CelebA's img_align_celeba
# Usage: scripts/make-celeba-folders.sh [target-dir]   (default /tmp)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="$here/../shared/data"
target="${1:-/tmp}"
python3 - "$data" "$target" <<'PY'
import os, sys
data, target = sys.argv[1], sys.argv[2]
gray = sorted(os.path.join(data, "celeba-gray-1500", f) for f in os.listdir(os.path.join(data, "celeba-gray-1500")))
rgb = sorted(os.path.join(data, "img_align_celeba", f) for f in os.listdir(os.path.join(data, "img_align_celeba")))
for name, sources, count in (("celeba-202599", gray + rgb, 202599), ("celeba-rgb-20000", rgb, 20000)):
    folder = os.path.join(target, name)
    os.makedirs(folder, exist_ok=True)
    existing = len(os.listdir(folder))
    if existing == count:
        print("%s: %d files already" % (folder, count))
        continue
    for i in range(count):
        path = os.path.join(folder, "%06d.jpg" % (i + 1))
        if not os.path.exists(path):
            os.link(sources[i % len(sources)], path)
    print("%s: %d files (hard links to %d originals)" % (folder, count, len(sources)))
PY
