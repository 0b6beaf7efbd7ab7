#!/usr/bin/env python3
"""Side-by-side loading comparison: `ganrepl bench data` against Keras's
image_dataset_from_directory (the tutorial's loader, ../shared/bench/data_keras.py, first
pass) on the same folders, alternating, several rounds; prints medians.

    scripts/make-celeba-folders.sh          # /tmp/celeba-202599 and /tmp/celeba-rgb-20000
    python3 scripts/bench_data_peers.py [--rounds 3] [--python /tmp/peers/bin/python]

Files are read from the page cache (run the folders once before timing). Standard library
only; the peers' venv is described in ../shared/bench/README.md.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))
GANREPL = os.path.join(ROOT, ".build", "release", "ganrepl")
FOLDERS = ["/tmp/celeba-202599", "/tmp/celeba-rgb-20000"]

# data_keras.py imports a memory watcher that ../shared/bench does not ship: a stand-in
# reporting the peak resident memory.
MEMWATCH = '''import resource
class MemWatch:
    def reset(self): pass
    def report(self): return {"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
'''


def ganrepl(folder):
    out = subprocess.run([GANREPL, "bench", "data", folder, "--steps", "2"], capture_output=True, text=True, check=True).stdout
    cold = re.search(r"files in ([0-9.]+) s", out)
    cached = re.search(r"from the cache: ([0-9.]+) s", out)
    peak = re.search(r"peak resident memory: ([0-9.]+) (GiB|MiB) after loading", out)
    mib = float(peak.group(1)) * (1024 if peak.group(2) == "GiB" else 1)
    return float(cold.group(1)), float(cached.group(1)), mib


def keras(python, folder, stub):
    env = dict(os.environ, PYTHONPATH=stub)
    out = subprocess.run([python, os.path.join(BENCH, "data_keras.py"), folder, "plain"],
                         capture_output=True, text=True, check=True, env=env).stdout
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    first = result["passes"][0]
    return first["seconds"], first["maxrss_mb"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--python", default="/tmp/peers/bin/python")
    args = ap.parse_args()
    for path in [GANREPL, args.python] + FOLDERS:
        if not os.path.exists(path):
            sys.exit("missing %s (swift build -c release; scripts/make-celeba-folders.sh; peers: %s/README.md)" % (path, BENCH))
    stub = tempfile.mkdtemp()
    with open(os.path.join(stub, "memwatch.py"), "w") as f:
        f.write(MEMWATCH)
    for folder in FOLDERS:  # warm the page cache
        subprocess.run(["sh", "-c", "find %s -type f -print0 | xargs -0 cat > /dev/null" % folder], check=True)
    rows = {}
    for r in range(args.rounds):
        for folder in FOLDERS:
            files = len(os.listdir(folder))
            cold, cached, mib = ganrepl(folder)
            seconds, kmib = keras(args.python, folder, stub)
            rows.setdefault(folder, []).append((files, cold, cached, mib, seconds, kmib))
            print("round %d %-22s ganrepl %6.2f s (cached %.2f s, %5.0f MiB)   Keras %6.2f s (%5.0f MiB)"
                  % (r + 1, folder, cold, cached, mib, seconds, kmib), flush=True)
    print("\n| folder | files | ganrepl s (median) | files/s | Keras s (median) | files/s | ganrepl ÷ Keras | cached reload s | peak MiB ganrepl / Keras |")
    print("|---|---|---|---|---|---|---|---|---|")
    for folder, v in rows.items():
        files = v[0][0]
        ours = statistics.median(x[1] for x in v)
        theirs = statistics.median(x[4] for x in v)
        print("| %s | %d | %.2f | %.0f | %.2f | %.0f | %.2f× | %.2f | %.0f / %.0f |" % (
            folder, files, ours, files / ours, theirs, files / theirs, theirs / ours,
            statistics.median(x[2] for x in v), statistics.median(x[3] for x in v), statistics.median(x[5] for x in v)))


if __name__ == "__main__":
    main()
