"""Shared helpers of the PyTorch fixture generators (torch 1.13, Debian's python3-torch).

Not a generator itself: every generator here imports it. Tensors are written as nested
lists of float64 numbers, 13 significant digits (non-finite values as the strings "nan", "inf", "-inf", which JSON
cannot hold); integer and bool tensors as {"dtype": "int32" | "bool", "data": nested list}.
"""
import json
import math
import os
import sys

import torch

torch.set_default_dtype(torch.float64)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'torch')


def num(v, exact=False):
    """A JSON-safe float: finite floats to 13 significant digits (the tests compare at rtol
    1e-10 or looser, so the rounding, at most 5e-14 relative, does not matter), others as strings."""
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if exact:
        return v
    short = float(f'{v:.13g}')
    return int(short) if short.is_integer() and abs(short) < 2**53 else short


def enc(t, exact=False):
    """Encodes a tensor (or None) for the fixture file; `exact` keeps every digit (inputs)."""
    if t is None:
        return None
    if not isinstance(t, torch.Tensor):
        t = torch.tensor(t)
    t = t.detach()
    if t.numel() == 0:
        # A nested list cannot say the shape of an empty tensor ([0, 3] and [0] are both []).
        kind = 'bool' if t.dtype == torch.bool else 'float64' if t.is_floating_point() else 'int32'
        return {'dtype': kind, 'shape': list(t.shape), 'data': []}
    if t.dtype == torch.bool:
        return {'dtype': 'bool', 'data': t.tolist()}
    if not t.is_floating_point():
        return {'dtype': 'int32', 'data': t.to(torch.int64).tolist()}

    def walk(x):
        return [walk(y) for y in x] if isinstance(x, list) else num(x, exact)

    return walk(t.to(torch.float64).tolist())


def write(name, cases, extra=None):
    """Writes test/fixtures/torch/<name>.json (naming the script that ran) and prints its size."""
    doc = {
        'generator': f'scripts/torch-fixtures/{os.path.basename(sys.argv[0])}',
        'torch': torch.__version__,
        'cases': cases,
    }
    if extra:
        doc.update(extra)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f'{name}.json')
    text = json.dumps(doc, separators=(',', ':'), allow_nan=False)
    with open(path, 'w') as f:
        f.write(text + '\n')
    names = [c['name'] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f'duplicate case names: {dup}'
    print(f'{path}: {len(cases)} cases, {len(text) // 1024} KiB')


def r(*shape, scale=1.0, decimals=4):
    """Standard normal float64 values (times scale), rounded so that the fixture stays short."""
    return torch.round(torch.randn(tuple(shape)) * scale, decimals=decimals)


def t(x, dtype=None):
    """A float64 tensor (or of `dtype`)."""
    return torch.tensor(x, dtype=dtype or torch.float64)


def idx(x):
    """An int64 index tensor."""
    return torch.tensor(x, dtype=torch.int64)


def i32(x):
    """An int32 tensor."""
    return torch.tensor(x, dtype=torch.int32)


def mask(x):
    """A bool tensor."""
    return torch.tensor(x, dtype=torch.bool)


def params_and_grads(steps, skip):
    """The optimizer cases' inputs: two parameters (shapes [5] and [2, 2]) and `steps` gradients for
    each, the second parameter's None at step `skip` (drawn in this order, so that seeds reproduce)."""
    p0 = [r(5), r(2, 2)]
    grads = [[r(5), r(2, 2) if s != skip else None] for s in range(steps)]
    return p0, grads


def trajectory(opt, params, steps):
    """Runs `opt` over `steps` (one gradient per parameter each, None to skip it), set directly as
    p.grad before each step; returns the encoded parameters after every step."""
    out = []
    for grads in steps:
        for p, g in zip(params, grads):
            p.grad = None if g is None else g.clone()
        opt.step()
        out.append([enc(p) for p in params])
    return out


def recorders(cases):
    """The two case recorders, appending to `cases`: `case` (outputs and vector-Jacobian products)
    and `hvp` (value, gradient and Hessian-vector product of a scalar function)."""
    def as_list(out):
        return list(out) if isinstance(out, (tuple, list)) else [out]

    def case(name, op, fn, inputs, params=None, const=()):
        """Runs fn(inputs, params) and records outputs and VJPs with a random upstream gradient.

        Float inputs whose name is not in `const` require grad; integer and bool inputs never do.
        """
        params = params or {}
        leaves = {}
        for k, v in inputs.items():
            v = v.clone()
            if v.is_floating_point() and k not in const:
                v.requires_grad_(True)
            leaves[k] = v
        outs = as_list(fn(leaves, params))
        diff = [o for o in outs if o.requires_grad]
        ups = [r(*o.shape, decimals=2) for o in diff]
        wrt = [v for v in leaves.values() if v.requires_grad]
        grads = torch.autograd.grad(diff, wrt, ups, allow_unused=True) if diff and wrt else []
        gmap = dict(zip([k for k, v in leaves.items() if v.requires_grad], grads))
        upstream, it = [], iter(ups)
        for o in outs:
            upstream.append(enc(next(it), exact=True) if o.requires_grad else None)
        cases.append({
            'name': name, 'kind': 'vjp', 'op': op, 'params': params,
            'inputs': {k: enc(v, exact=True) for k, v in inputs.items()}, 'const': list(const),
            'out': [enc(o) for o in outs], 'upstream': upstream,
            'grads': {k: enc(g) for k, g in gmap.items()},
        })

    def hvp(name, op, fn, inputs, params=None, const=()):
        """Records f(inputs), its gradient, and the Hessian-vector product with a random v."""
        params = params or {}
        leaves = {}
        for k, v in inputs.items():
            v = v.clone()
            if v.is_floating_point() and k not in const:
                v.requires_grad_(True)
            leaves[k] = v
        names = [k for k, v in leaves.items() if v.requires_grad]
        wrt = [leaves[k] for k in names]
        vs = {k: r(*leaves[k].shape, decimals=2) for k in names}
        f = fn(leaves, params)
        assert f.dim() == 0
        g = torch.autograd.grad(f, wrt, create_graph=True)
        s = sum((gi * vs[k]).sum() for gi, k in zip(g, names))
        hv = torch.autograd.grad(s, wrt, allow_unused=True)
        cases.append({
            'name': name, 'kind': 'hvp', 'op': op, 'params': params,
            'inputs': {k: enc(v, exact=True) for k, v in inputs.items()}, 'const': list(const),
            'v': {k: enc(vs[k], exact=True) for k in names},
            'out': [enc(f)], 'grads': {k: enc(gi) for k, gi in zip(names, g)},
            'hvp': {k: enc(h if h is not None else torch.zeros_like(leaves[k])) for k, h in zip(names, hv)},
        })

    return case, hvp
