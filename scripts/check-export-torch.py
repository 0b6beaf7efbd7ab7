#!/usr/bin/env python3
"""Checks a ganrepl export against PyTorch (for users who have it; not part of CI).

    ganrepl> export generator "g.safetensors"
    ganrepl> export samples 64 "s.safetensors"
    $ python3 scripts/check-export-torch.py g.safetensors s.safetensors [--arch dcgan|tutorial|auto]
    $ python3 scripts/check-export-torch.py --discriminator d.safetensors [s.safetensors] [--arch ...]

Builds the generator in PyTorch, loads the export with load_state_dict(strict=True), runs
the exported z through it in eval() mode (BatchNorm's running statistics, as ganrepl's
`sample` and `export samples` do) and prints the largest difference from the exported
G(z). With --discriminator it loads D the same way, runs the exported images through it
and prints the largest difference from the exported D(G(z)) (`scores`). Layers with `sn`
are built with torch.nn.utils.parametrizations.spectral_norm. --arch dcgan is the pytorch/examples DCGAN (its Generator and Discriminator
classes), tutorial the Keras face tutorial (notebooks/celeba.gan) as an nn.Sequential,
auto (the default) the network the file's __metadata__ defines. Exits 1 above --tolerance.
Needs torch and safetensors (pip install torch safetensors).
"""
import argparse, math, sys

import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm
from safetensors import safe_open
from safetensors.torch import load_file


class Generator(nn.Module):
    """pytorch/examples dcgan/main.py, as written there (nc = 3)."""

    def __init__(self, nz=100, ngf=64, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, x):
        return self.main(x)


class Discriminator(nn.Module):
    def __init__(self, ndf=64, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1, 1).squeeze(1)


class Sequential(nn.Module):
    """Any network as `self.main`, the prefix ganrepl's names carry."""

    def __init__(self, *modules):
        super().__init__()
        self.main = nn.Sequential(*modules)

    def forward(self, x):
        return self.main(x)


def tutorial_generator(latent=128):
    """notebooks/celeba.gan's generator ('same' padding is 1 for k4 s2, 2 for k5 s1)."""
    return Sequential(
        nn.Linear(latent, 8 * 8 * 128), nn.Unflatten(1, (128, 8, 8)),
        nn.ConvTranspose2d(128, 128, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(128, 256, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(256, 512, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(512, 3, 5, 1, 2), nn.Sigmoid())


def tutorial_discriminator():
    return Sequential(
        nn.Conv2d(3, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(128, 128, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Dropout(0.2), nn.Linear(8192, 1),
        nn.Sigmoid())


def from_definition(definition, input_dims):
    """The nn.Sequential of a ganrepl definition (its __metadata__), layer for layer."""
    shape = list(reversed(input_dims)) if len(input_dims) == 3 else list(input_dims)  # C, H, W or [F]
    modules = []
    for line in definition.splitlines()[1:-1]:
        word, *rest = line.split()
        opts = dict(r.split("=") for r in rest if "=" in r)
        args = [r for r in rest if "=" not in r]
        bias = opts.get("bias", "true") != "false"
        # `sn`: W, u and v as parametrizations.weight.original, .0._u and .0._v (dim 1 for ConvTranspose2d).
        wrap = spectral_norm if "sn" in args else (lambda m: m)
        if word == "dense":
            modules.append(wrap(nn.Linear(shape[0], int(args[0]), bias=bias)))
            shape = [int(args[0])]
        elif word in ("conv", "deconv"):
            f, k, s, p = int(args[0]), int(opts["kernel"]), int(opts["stride"]), opts["padding"]
            c, h = shape[0], shape[1]
            if word == "conv":
                out = {"same": math.ceil(h / s), "valid": (h - k) // s + 1}.get(p)
                total = {"same": max((out - 1) * s + k - h, 0) if out else 0, "valid": 0}.get(p)
            else:
                total = {"same": max(k - s, 0), "valid": 0}.get(p)
            if total is None:
                pad = int(p)
            elif total % 2:
                sys.exit(f"'{line.strip()}': 'same' pads {total} (uneven); PyTorch's padding is symmetric")
            else:
                pad = total // 2
            cls = nn.Conv2d if word == "conv" else nn.ConvTranspose2d
            modules.append(wrap(cls(c, f, k, s, pad, bias=bias)))
            h2 = (h + 2 * pad - k) // s + 1 if word == "conv" else (h - 1) * s - 2 * pad + k
            shape = [f, h2, h2]
        elif word == "batchnorm":
            bn = nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d
            modules.append(bn(shape[0], eps=float(opts["eps"]), momentum=float(opts["momentum"])))
        elif word == "relu":
            modules.append(nn.ReLU())
        elif word == "leakyrelu":
            modules.append(nn.LeakyReLU(float(args[0])))
        elif word == "sigmoid":
            modules.append(nn.Sigmoid())
        elif word == "tanh":
            modules.append(nn.Tanh())
        elif word == "dropout":
            modules.append(nn.Dropout(float(args[0])))
        elif word == "flatten":
            modules.append(nn.Flatten())
            shape = [math.prod(shape)]
        elif word == "reshape":
            h, w, c = (int(d) for d in args[0].split("x"))
            modules.append(nn.Unflatten(1, (c, h, w)))
            shape = [c, h, w]
        else:
            sys.exit(f"unknown layer in the definition: {line.strip()}")
    return Sequential(*modules)


def build(path, arch, role):
    with safe_open(path, "pt") as f:
        meta = f.metadata() or {}
    if arch == "dcgan":
        return Generator() if role == "generator" else Discriminator()
    if arch == "tutorial":
        return tutorial_generator() if role == "generator" else tutorial_discriminator()
    if "ganrepl.definition" not in meta:
        sys.exit(f"{path} has no ganrepl.definition in its __metadata__: give --arch dcgan or tutorial")
    dims = [int(d) for d in meta["ganrepl.input"].split("x")]
    return from_definition(meta["ganrepl.definition"], dims)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("weights", nargs="?", help="export generator's file")
    p.add_argument("samples", nargs="?", help="export samples' file")
    p.add_argument("--discriminator", help="export discriminator's file: loaded strictly, D(images) compared")
    p.add_argument("--arch", choices=["dcgan", "tutorial", "auto"], default="auto")
    p.add_argument("--tolerance", type=float, default=1e-4)
    a = p.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}")
    if a.weights and not a.samples and "images" in load_file(a.weights):
        a.weights, a.samples = None, a.weights  # --discriminator d.safetensors s.safetensors
    ok = True
    if a.discriminator:
        d = build(a.discriminator, a.arch, "discriminator")
        d.load_state_dict(load_file(a.discriminator), strict=True)
        d.eval()
        print(f"{a.discriminator}: loaded strictly into the {a.arch} discriminator "
              f"({sum(t.numel() for t in d.parameters())} parameters)")
        if a.samples:
            s = load_file(a.samples)
            if "scores" not in s:
                sys.exit(f"{a.samples} has no scores: export samples after defining the discriminator")
            with torch.no_grad():
                out = d(s["images"])
            diff = (out.reshape(-1) - s["scores"].reshape(-1)).abs().max().item()
            ok = diff <= a.tolerance
            print(f"D(x) for the {s['images'].shape[0]} exported images {tuple(out.shape)}: max abs difference "
                  f"from ganrepl {diff:.3g} ({'within' if ok else 'over'} {a.tolerance:g})")
    if a.weights:
        g = build(a.weights, a.arch, "generator")
        g.load_state_dict(load_file(a.weights), strict=True)
        g.eval()
        print(f"{a.weights}: loaded strictly into the {a.arch} generator "
              f"({sum(t.numel() for t in g.parameters())} parameters)")
        if a.samples:
            s = load_file(a.samples)
            with torch.no_grad():
                out = g(s["z"])
            diff = (out - s["images"]).abs().max().item()
            ok = ok and diff <= a.tolerance
            print(f"G(z) for {s['z'].shape[0]} samples {tuple(out.shape)}: max abs difference from ganrepl "
                  f"{diff:.3g} ({'within' if ok else 'over'} {a.tolerance:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
