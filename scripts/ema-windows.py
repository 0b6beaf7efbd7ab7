#!/usr/bin/env python3
"""Moving averages of a generator reconstructed after the fact (the probe behind
docs/benchmarks/2026-11-28-ema-windows.txt).

Train with `every 10 steps save "OUT/s{step}"` and `set ema off`, export each session's
generator (`load "OUT/sN" discard` then `export generator "G/gN.safetensors"`), then:

    python3 scripts/ema-windows.py G AVG pow1 pow8        # t^gamma weights: ema-warmup K = gamma + 2
    python3 scripts/ema-windows.py G AVG mix:pow1:pow8:1  # layers main.0-1 from pow1, the rest from pow8

and score each AVG/NAME.safetensors with `import generator` and `eval swd count=1500 mode=train`.
Averages are linear, so averaging the exported (PyTorch-layout) files equals exporting the
average. Needs numpy.
"""
import json, os, struct, sys
import numpy as np

def read(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop('__metadata__', None)
    out = {}
    for k, v in header.items():
        dt = {'F32': np.float32, 'I64': np.int64}[v['dtype']]
        a, b = v['data_offsets']
        out[k] = np.frombuffer(data[a:b], dtype=dt).reshape(v['shape'])
    return meta, out

def write(path, meta, tensors):
    header, blobs, off = {}, [], 0
    for k, t in tensors.items():
        b = np.ascontiguousarray(t).tobytes()
        header[k] = {'dtype': {np.dtype(np.float32): 'F32', np.dtype(np.int64): 'I64'}[t.dtype],
                     'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b); off += len(b)
    if meta is not None: header['__metadata__'] = meta
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h)
        for b in blobs: f.write(b)

def average(paths, weights, out):
    w = np.asarray(weights, dtype=np.float64); w /= w.sum()
    meta, acc = None, None
    for p, wi in zip(paths, w):
        meta, t = read(p)
        if acc is None:
            acc = {k: (v.astype(np.float64) * wi if v.dtype == np.float32 else v.copy()) for k, v in t.items()}
        else:
            for k, v in t.items():
                if v.dtype == np.float32: acc[k] += v * wi
                else: acc[k] = v.copy()
    write(out, meta, {k: (v.astype(np.float32) if v.dtype == np.float64 else v) for k, v in acc.items()})


def power_weights(steps, gamma):
    """Weight of each saved step when update t counts as t^gamma (all of the run)."""
    t = np.arange(1, steps[-1] + 1, dtype=float)
    per_step = t ** gamma
    w = np.zeros(len(steps))
    s = np.array(steps)
    for step, x in zip(t.astype(int), per_step):
        w[np.argmin(np.abs(s - step))] += x
    return w


def main():
    folder, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    steps = sorted(int(f[1:-12]) for f in os.listdir(folder) if f.startswith('g') and f.endswith('.safetensors'))
    for name in sys.argv[3:]:
        if name.startswith('mix:'):
            _, coarse, fine, upto = name.split(':')
            mc, c = read(f'{out}/{coarse}.safetensors')
            mf, f = read(f'{out}/{fine}.safetensors')
            write(f'{out}/{name.replace(":", "-")}.safetensors', mf,
                  {k: (c[k] if int(k.split('.')[1]) <= int(upto) else f[k]) for k in f})
        else:
            w = power_weights(steps, float(name[3:]))
            keep = w > 1e-12 * w.sum()
            paths = [f'{folder}/g{s}.safetensors' for s, k in zip(steps, keep) if k]
            average(paths, w[keep], f'{out}/{name}.safetensors')
        print('wrote', name)


if __name__ == '__main__':
    main()
