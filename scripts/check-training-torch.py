#!/usr/bin/env python3
"""Checks that ganrepl trains a notebook's GAN step for step as PyTorch does (not part of CI).

    python3 scripts/check-training-torch.py notebooks/gray-faces.gan [--data DIR] [--steps 10] [--batch N]

Takes the notebook's networks, loss, labels and optimisers; makes a folder of `batch`
images already at the notebook's size (PNG, so both sides read the same pixels); has
ganrepl export both networks, save its session (the random streams), train STEPS steps
on that folder, and export again. Then it builds the same networks in PyTorch from the
exports' __metadata__, loads ganrepl's initial weights, replays ganrepl's noise stream
(xoshiro256** and Box–Muller, as Sources/Tensors/SeededGenerator.swift) and takes the
same steps with torch.optim.Adam and nn.BCELoss: every step sees the whole folder, so the
shuffle cannot differ.

It reports each step's losses side by side, and how step 1's updates agree. Adam's first
update is lr·g/(|g|+eps), about ±lr, so it compares gradients' signs: a weight whose
update differs must have a gradient near zero, where rounding alone can flip the sign. G's
first update is compared twice: after PyTorch's own D step, and after loading ganrepl's
updated D (which isolates G's backward from D's rounding). Later steps part ways slowly,
as any two float orderings do; they are printed, not judged. Exits 1 when step 1's
losses differ by more than --tolerance (relative) or more than 0.1% of any network's
updates disagree.

Needs torch, safetensors and pillow (pip install torch safetensors pillow) and a release
build. Refuses what it cannot replay: dropout, sn (its power iterations would not line up
with the G half's swapped-in D), mse or hinge losses, sgd. `augment` and `set ema` lines
are left out with a note: "agree" then speaks for training without the augmentation.
"""
import argparse, glob, importlib.util, json, math, os, re, subprocess, sys, tempfile

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from safetensors import safe_open
from safetensors.torch import load_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# GANREPL_BINARY=PATH runs another build (an installed ganrepl, say), as the tests do.
GANREPL = os.environ.get("GANREPL_BINARY") or os.path.join(ROOT, ".build", "release", "ganrepl")
spec = importlib.util.spec_from_file_location("export_check", os.path.join(ROOT, "scripts", "check-export-torch.py"))
export_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_check)

KEPT = re.compile(r"^(set (latent|d-loss|real-label|fake-label) |loss |optimizer )")
M64 = (1 << 64) - 1


class Xoshiro:
    """ganrepl's SeededGenerator: xoshiro256**, and RandomSource.fillNormal's Box–Muller."""

    def __init__(self, state):
        self.s = list(state)

    def next(self):
        s = self.s
        rot = lambda x, k: ((x << k) | (x >> (64 - k))) & M64
        result = (rot((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rot(s[3], 45)
        return result

    def unit(self):
        return (self.next() >> 11) * 2.0 ** -53

    def normal(self, n):
        out = np.empty(n, np.float32)
        for i in range(0, n, 2):
            u1, u2 = 1 - self.unit(), self.unit()
            r, a = math.sqrt(-2 * math.log(u1)), 2 * math.pi * u2
            out[i] = r * math.cos(a)
            if i + 1 < n:
                out[i + 1] = r * math.sin(a)
        return out


def notebook_parts(path):
    """The notebook's settings ganrepl and PyTorch must share, its two network blocks, and
    its data line's options."""
    kept, blocks, data, inside = [], [], {}, False
    for raw in open(path):
        line = raw.split("#")[0].rstrip()
        word = line.split()[0] if line.split() else ""
        if word in ("generator", "discriminator") and not line.startswith(" "):
            inside = True
        if inside:
            blocks.append(line)
            inside = word != "end"
        elif KEPT.match(line):
            kept.append(line)
        elif word == "data":
            data = dict(o.split("=", 1) for o in line.split()[2:] if "=" in o)
        elif word in ("augment", "dropout") or re.match(r"^set (ema|keep-last-batch)", line):
            print(f"note: '{line.strip()}' is left out of the replay")
    if any(re.match(r"^\s*dropout", b) for b in blocks):
        sys.exit("a network with dropout: its masks cannot be replayed")
    if any(re.search(r"\bsn\b", b) for b in blocks):
        sys.exit("a network with sn: its power iterations are not replayed")
    if any(re.match(r"^loss (mse|hinge)", k) or re.match(r"^optimizer .*sgd", k) for k in kept):
        sys.exit("only loss bce and adam are replayed")
    return kept, blocks, data


def make_folder(source, folder, count, size, channels):
    files = sorted(glob.glob(os.path.join(source, "*.jpg")) + glob.glob(os.path.join(source, "*.png")))
    if len(files) < count:
        sys.exit(f"{source}: {len(files)} images, {count} needed")
    for i, f in enumerate(files[:count]):
        im = Image.open(f).convert("L" if channels == 1 else "RGB").resize((size, size), Image.BILINEAR)
        im.save(os.path.join(folder, "%05d.png" % i))


def run_ganrepl(work, kept, blocks, data, steps):
    folder = os.path.join(work, "data")
    opts = " ".join(f"{k}={v}" for k, v in data.items() if k in ("size", "channels", "range", "batch"))
    lines = ["set seed 7", "set threads 1", f'data "{folder}" {opts} cache=false'] + kept + blocks
    export = lambda k: [f'export generator "{work}/g{k}.safetensors"', f'export discriminator "{work}/d{k}.safetensors"']
    lines += export(0) + [f'save "{work}/s0"', "train 1 steps"] + export(1)
    lines += [f"train {steps - 1} steps", f'save "{work}/s{steps}"']
    with open(os.path.join(work, "replay.gan"), "w") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run([GANREPL, os.path.join(work, "replay.gan"), "--quiet"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("ganrepl failed:\n" + p.stdout[-3000:] + p.stderr[-3000:])


def network(path):
    with safe_open(path, "pt") as f:
        meta = f.metadata()
    net = export_check.from_definition(meta["ganrepl.definition"], [int(d) for d in meta["ganrepl.input"].split("x")])
    net.load_state_dict(load_file(path), strict=True)
    return net


def adam(net, spec):
    a = spec["adam"]
    return torch.optim.Adam(net.parameters(), lr=a["learningRate"], betas=(a["beta1"], a["beta2"]), eps=a["epsilon"])


def disagreement(before, after, theirs):
    """How many weights' updates differ from ganrepl's in sign, and how many more by over
    0.1% in size, out of how many."""
    flips, sized, total = 0, 0, 0
    for name, p in after.named_parameters():
        mine, other = (p.detach() - before[name]).double(), (theirs[name] - before[name]).double()
        same = torch.sign(mine) == torch.sign(other)
        flips += p.numel() - same.sum().item()
        sized += ((mine - other).abs() > 1e-3 * other.abs())[same].sum().item()
        total += p.numel()
    return flips, sized, total


def report(what, counts):
    flips, sized, total = counts
    print(f"step 1: {what} differs from ganrepl's in sign on {flips} and by over 0.1% in size on {sized} "
          f"of {total} weights")
    return flips + sized <= total * 1e-3


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("notebook")
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "celeba-gray-1500"))
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--batch", type=int, help="images and batch size (the notebook's batch)")
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--threads", type=int, default=1, help="PyTorch's threads (other float orderings)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    kept, blocks, data = notebook_parts(a.notebook)
    steps = max(a.steps, 2)
    if a.batch:
        data["batch"] = str(a.batch)
    size, channels, batch = int(data.get("size", 64)), int(data.get("channels", 3)), int(data.get("batch", 32))
    work = tempfile.mkdtemp(prefix="ganrepl-replay-")
    os.mkdir(os.path.join(work, "data"))
    make_folder(a.data, os.path.join(work, "data"), batch, size, channels)
    run_ganrepl(work, kept, blocks, data, steps)
    session = json.load(open(os.path.join(work, "s0", "session.json")))
    history = json.load(open(os.path.join(work, f"s{steps}", "session.json")))["history"]
    G, D = network(f"{work}/g0.safetensors"), network(f"{work}/d0.safetensors")
    G.train(); D.train()
    oG, oD = adam(G, session["optimizerSpecs"]["generator"]), adam(D, session["optimizerSpecs"]["discriminator"])
    files = sorted(glob.glob(os.path.join(work, "data", "*.png")))
    pixels = np.stack([np.asarray(Image.open(f), np.float32).reshape(size, size, channels) for f in files])
    low, high = (-1.0, 1.0) if session["data"]["range"] == "-1..1" else (0.0, 1.0)
    X = torch.from_numpy(pixels / 255 * (high - low) + low).permute(0, 3, 1, 2).contiguous()
    noise = Xoshiro(session["random"]["noise"])
    real, fake_label = session["realLabel"], session["fakeLabel"]
    halves = 1.0 if session["discriminatorLoss"] == "sum" else 0.5
    bce = nn.BCELoss()
    with safe_open(f"{work}/g0.safetensors", "pt") as f:
        z_shape = [batch] + [int(d) for d in reversed(f.metadata()["ganrepl.input"].split("x"))]
    if not isinstance(D.main[-1], nn.Sigmoid):
        sys.exit("the discriminator does not end in a sigmoid: only loss bce on probabilities is replayed")
    print(f"torch {torch.__version__}; {a.notebook}: {batch} images {size}x{size}x{channels}, {steps} steps")
    worst, ok = 0.0, True
    for step in range(1, steps + 1):
        g0 = {n: t.detach().clone() for n, t in G.named_parameters()}
        d0 = {n: t.detach().clone() for n, t in D.named_parameters()}
        z = torch.from_numpy(noise.normal(math.prod(z_shape)).reshape(z_shape))
        fake = G(z)
        oD.zero_grad()
        outR, outF = D(X).view(-1), D(fake.detach()).view(-1)
        lossD = (bce(outR, torch.full_like(outR, real)) + bce(outF, torch.full_like(outF, fake_label))) * halves
        lossD.backward(); oD.step()
        if step == 1:
            d1 = load_file(f"{work}/d1.safetensors")
            ok = report("D's update", disagreement(d0, D, d1)) and ok
            mine = {k: v.clone() for k, v in D.state_dict().items()}
            D.load_state_dict(d1)
        oG.zero_grad()
        outG = D(fake).view(-1)
        lossG = bce(outG, torch.full_like(outG, real))
        lossG.backward(); oG.step()
        if step == 1:
            ok = report("G's update (through ganrepl's updated D)", disagreement(g0, G, load_file(f"{work}/g1.safetensors"))) and ok
            D.load_state_dict(mine)
        h = history[step - 1]
        rel = max(abs(lossD.item() - h["lossD"]) / abs(h["lossD"]), abs(lossG.item() - h["lossG"]) / abs(h["lossG"]))
        if step <= 2:
            ok = ok and rel <= (a.tolerance if step == 1 else 1e-2)
        print(f"step {step}: loss D {lossD.item():.6f} (ganrepl {h['lossD']:.6f})  loss G {lossG.item():.6f} "
              f"(ganrepl {h['lossG']:.6f})  D(x) {outR.mean().item():.5f} ({h['dReal']:.5f})  "
              f"D(G(z)) {outF.mean().item():.5f} ({h['dFake']:.5f})  largest relative difference {rel:.1e}")
    print("agree" if ok else "DISAGREE", f"(files in {work})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
