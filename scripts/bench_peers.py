#!/usr/bin/env python3
"""Side-by-side training-speed comparison: ganrepl's `bench` and the peer scripts in
../shared/bench (TensorFlow/Keras and PyTorch running the same networks), alternating,
several rounds, in one sitting; prints medians of images/s and peak resident memory.

    python3 scripts/bench_peers.py [--rounds 3] [--python /tmp/peers/bin/python] [--emulate avx2]

--emulate avx2 runs everyone as on a CPU without AVX-512, on one that has it: ganrepl with
the choices it makes itself on such a CPU (GANREPL_DIRECT_CONV=avx2, whose Winograd F(4x4, 2x2)
takes the reach of 256-bit FMAs, and OpenBLAS's Haswell kernels), the peers with oneDNN held to AVX2
(ONEDNN_MAX_CPU_ISA=AVX2) and PyTorch's own kernels too (ATEN_CPU_CAPABILITY=avx2). A proxy
for an AVX2 machine at this one's clock, not a measurement of one.

Needs a release build (swift build -c release) and the peers' venv (see
../shared/bench/README.md for the two pip installs). Machines are noisy: only ratios
measured in one run mean anything. Standard library only.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))
# GANREPL_BINARY=PATH runs another build (an installed ganrepl, say), as the tests do.
GANREPL = os.environ.get("GANREPL_BINARY") or os.path.join(ROOT, ".build", "release", "ganrepl")


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (stdout, peak RSS in MiB)."""
    full = ["/usr/bin/time", "-v"] + cmd
    p = subprocess.run(full, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s\n%s" % (" ".join(cmd), p.stdout[-2000:], p.stderr[-2000:]))
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return p.stdout, (int(rss.group(1)) / 1024 if rss else float("nan"))


def ganrepl(arch, steps, env):
    out, rss = timed([GANREPL, "bench", arch, "--steps", str(steps)], env)
    img = float(re.search(r"→ ([0-9.]+) images/s", out).group(1))
    peak = float(re.search(r"sgemm 2048³ in the same run: ([0-9.]+) GFLOP/s", out).group(1))
    core = re.search(r"OpenBLAS (\S+) kernels", out).group(1)
    direct = re.search(r"Direct convolution kernels: (?:ganrepl's )?(\S+?),", out)
    return img, rss, {"sgemm": peak, "core": core, "direct": direct.group(1) if direct else "?"}


def peer(python, script, args, env=None):
    out, rss = timed([python, os.path.join(BENCH, script)] + args, env)
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    return result["img_per_s"], rss, {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--python", default="/tmp/peers/bin/python")
    ap.add_argument("--target-sec", default="30")
    ap.add_argument("--only", choices=["tutorial", "dcgan"], default=None)
    ap.add_argument("--emulate", choices=["avx2"], default=None,
                    help="hold ganrepl and the peers to AVX2 on an AVX-512 CPU (see the docstring)")
    args = ap.parse_args()
    for path in (GANREPL, args.python):
        if not os.path.exists(path):
            sys.exit("missing %s (build with swift build -c release; peers: see %s/README.md)" % (path, BENCH))

    native = dict(os.environ)
    native.pop("OPENBLAS_CORETYPE", None)
    native.pop("OPENBLAS_L2_SIZE", None)
    pinned = dict(native, OPENBLAS_CORETYPE="Haswell")
    peers = None
    if args.emulate == "avx2":
        native = dict(native, GANREPL_DIRECT_CONV="avx2", OPENBLAS_CORETYPE="Haswell")
        pinned = None
        peers = dict(os.environ, ONEDNN_MAX_CPU_ISA="AVX2", ATEN_CPU_CAPABILITY="avx2")
    own = "ganrepl (as on an AVX2 CPU)" if args.emulate else "ganrepl (OpenBLAS own detection)"
    t = args.target_sec
    runs = {
        "tutorial": [
            (own, lambda: ganrepl("tutorial", 5, native)),
            ("ganrepl (OPENBLAS_CORETYPE=Haswell)", lambda: ganrepl("tutorial", 5, pinned)),
            ("TF/Keras", lambda: peer(args.python, "seed_keras.py",
                                      ["--mode", "function", "--intra", "2", "--inter", "1", "--reuse-fake", "--target-sec", t],
                                      peers)),
            ("PyTorch", lambda: peer(args.python, "seed_torch.py",
                                     ["--threads", "2", "--channels-last", "--reuse-fake", "--target-sec", t], peers)),
        ],
        "dcgan": [
            (own, lambda: ganrepl("dcgan", 10, native)),
            ("ganrepl (OPENBLAS_CORETYPE=Haswell)", lambda: ganrepl("dcgan", 10, pinned)),
            ("TF/Keras", lambda: peer(args.python, "dcgan_keras.py", ["--mode", "function", "--target-sec", t], peers)),
            ("PyTorch", lambda: peer(args.python, "dcgan_torch.py", ["--threads", "2", "--channels-last", "--target-sec", t],
                                     peers)),
        ],
    }
    if pinned is None:
        runs = {arch: [e for e in entries if "Haswell" not in e[0]] for arch, entries in runs.items()}
    results = {}
    for r in range(args.rounds):
        for arch, entries in runs.items():
            if args.only and arch != args.only:
                continue
            for name, run in entries:
                img, rss, extra = run()
                results.setdefault((arch, name), []).append((img, rss, extra))
                print("round %d  %-8s %-38s %7.2f images/s  %7.0f MiB %s" % (r + 1, arch, name, img, rss,
                      " ".join("%s=%s" % kv for kv in extra.items())), flush=True)

    print("\n| network | runner | images/s (median of %d) | min–max | peak RSS MiB | vs best peer |" % args.rounds)
    print("|---|---|---|---|---|---|")
    for arch in runs:
        rows = {name: v for (a, name), v in results.items() if a == arch}
        if not rows:
            continue
        best_peer = max(statistics.median(x[0] for x in v) for n, v in rows.items() if not n.startswith("ganrepl"))
        for name, v in rows.items():
            imgs = [x[0] for x in v]
            med = statistics.median(imgs)
            print("| %s | %s | %.2f | %.2f–%.2f | %.0f | %.2f× |" % (
                arch, name, med, min(imgs), max(imgs), statistics.median(x[1] for x in v), med / best_peer))


if __name__ == "__main__":
    main()
