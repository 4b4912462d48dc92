"""Reference values of @tapegrad/core's element-wise unary math (issue 17) from PyTorch, for
test/torch-parity-unary.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core_unary.py

which rewrites test/fixtures/torch/core-unary.json (the case format is described in common.py and
core.py). Inputs include NaN, infinities and the edges of each op's domain, empty, transposed
and int inputs; "hvp" cases check second derivatives. Points where tapegrad deliberately
differs from PyTorch are left out (trigamma at the negative integers, where PyTorch's reflection
returns a large finite number instead of the pole's +inf, and so digamma's gradient there;
polygamma of order >= 2 at +inf, NaN in PyTorch, 0 in tapegrad; erfinv at 1 - 2^-53, where
PyTorch's is off by 6e-5 relative; logit with eps at NaN and with eps > 1/2 in the last few
elements, where PyTorch's scalar loop disagrees with its vectorized one). PyTorch's trigamma is
accurate to ~1e-8 only: the parity test compares the cases that involve it at that accuracy.
"""
import torch

from common import r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)

nan, inf = float('nan'), float('inf')


UNARY = {
    'exp2': torch.exp2, 'expm1': torch.expm1, 'log2': torch.log2, 'log10': torch.log10,
    'reciprocal': torch.reciprocal, 'square': torch.square, 'tan': torch.tan, 'asin': torch.asin,
    'acos': torch.acos, 'atan': torch.atan, 'sinh': torch.sinh, 'cosh': torch.cosh, 'asinh': torch.asinh,
    'acosh': torch.acosh, 'atanh': torch.atanh, 'sinc': torch.sinc, 'erfc': torch.erfc,
    'erfinv': torch.erfinv, 'lgamma': torch.lgamma, 'digamma': torch.digamma, 'floor': torch.floor,
    'ceil': torch.ceil, 'trunc': torch.trunc, 'frac': torch.frac, 'round': torch.round,
}
PREDICATES = {
    'isnan': torch.isnan, 'isinf': torch.isinf, 'isposinf': torch.isposinf, 'isneginf': torch.isneginf,
    'isfinite': torch.isfinite, 'logicalNot': torch.logical_not,
}

mixed = t([nan, -inf, -800.0, -20.0, -3.0, -1.0, -0.5, -0.0, 0.0, 0.25, 1.0, 3.0, 20.0, 800.0, inf])
unit = t([nan, -inf, -1.5, -1.0, -0.9999, -0.5, -1e-8, 0.0, 0.3, 0.5, 0.9, 0.999999, 1.0, 1.5, inf])
positive = t([nan, -1.0, 0.0, 1e-300, 1e-8, 0.25, 1.0, 7.5, 1e10, inf])
gamma = t([nan, -inf, -1e20, -3.0, -2.5, -1.0, -0.3, -0.0, 0.0, 1e-300, 1e-8, 0.3, 1.0, 1.4616321449683623, 2.0,
           2.5, 9.99, 10.01, 171.5, 1e5, inf])
rounding = t([nan, -inf, -2.5, -1.5, -0.7, -0.5, -0.2, -0.0, 0.0, 0.2, 0.5, 0.7, 1.5, 2.5, 3.5, 1e16 + 2, inf])

INPUTS = {
    'exp2': t([nan, -inf, -1075.0, -3.0, -0.5, 0.0, 0.5, 3.0, 1023.5, 1024.0, inf]),
    'expm1': t([nan, -inf, -40.0, -1.0, -1e-10, -0.0, 0.0, 1e-10, 1.0, 700.0, 710.0, inf]),
    'log2': positive, 'log10': positive,
    'reciprocal': mixed, 'square': mixed,
    'tan': t([nan, -inf, -1.5, -0.7, -0.0, 0.0, 0.3, 1.5707963267948966, 3.0, 1e10, inf]),
    'asin': unit, 'acos': unit, 'atan': mixed, 'sinh': mixed, 'cosh': mixed, 'asinh': mixed,
    'acosh': t([nan, -inf, -1.0, 0.5, 1.0, 1.0000001, 1.5, 10.0, 1e10, inf]),
    'atanh': unit,
    'sinc': t([nan, -inf, -2.0, -1.5, -0.3, -1e-10, -0.0, 0.0, 1e-10, 0.5, 1.0, 2.5, 1e8, inf]),
    'erfc': t([nan, -inf, -10.0, -2.0, -0.5, -0.1, -0.0, 0.0, 0.1, 0.5, 1.0, 2.0, 2.6, 5.0, 10.0, 26.0, 30.0, inf]),
    'erfinv': t([nan, -inf, -1.5, -1.0, -0.999999, -0.5, -1e-10, -0.0, 0.0, 1e-300, 0.1, 0.5, 0.7, 0.99,
                 0.9999999, 1.0, 1.5, inf]),
    'lgamma': gamma,
    # Not at the negative integers: digamma is NaN there in both, but its gradient (trigamma) is not.
    'digamma': gamma[[k for k, v in enumerate(gamma.tolist()) if not (v < 0 and v == int(v) if v == v and abs(v) != inf else False)]],
    'floor': rounding, 'ceil': rounding, 'trunc': rounding, 'frac': rounding, 'round': rounding,
}
for fn, x in INPUTS.items():
    case(f'{fn} at NaN, infinities, signed zeros and the edges of its domain', 'unary',
         lambda i, p: UNARY[p['fn']](i['x']), {'x': x}, {'fn': fn})

# Typical values, random [3, 4] (x.T of a [4, 3] tensor: a strided input) and an empty one.
DOMAIN = {
    'exp2': lambda u: 2 * u, 'expm1': lambda u: 2 * u, 'log2': lambda u: u.abs() + 0.3,
    'log10': lambda u: u.abs() + 0.3, 'reciprocal': lambda u: u + 0.4 * u.sign(), 'square': lambda u: u,
    'tan': lambda u: 1.3 * torch.tanh(u), 'asin': lambda u: 0.9 * torch.tanh(u), 'acos': lambda u: 0.9 * torch.tanh(u),
    'atan': lambda u: 2 * u, 'sinh': lambda u: 2 * u, 'cosh': lambda u: 2 * u, 'asinh': lambda u: 2 * u,
    'acosh': lambda u: u.abs() + 1.2, 'atanh': lambda u: 0.9 * torch.tanh(u), 'sinc': lambda u: 2 * u,
    'erfc': lambda u: 2 * u, 'erfinv': lambda u: 0.9 * torch.tanh(u), 'lgamma': lambda u: 3 * u.abs() + 0.2,
    'digamma': lambda u: 3 * u.abs() + 0.2, 'floor': lambda u: 3 * u, 'ceil': lambda u: 3 * u,
    'trunc': lambda u: 3 * u, 'frac': lambda u: 3 * u, 'round': lambda u: 3 * u,
}
for fn, d in DOMAIN.items():
    case(f'{fn} on random values, transposed (strided)', 'unaryT', lambda i, p: UNARY[p['fn']](i['x'].t()),
         {'x': d(r(4, 3))}, {'fn': fn})
for fn in ['exp2', 'lgamma', 'erfinv', 'floor', 'round']:
    case(f'{fn} on an empty [0, 3] input', 'unary', lambda i, p: UNARY[p['fn']](i['x']), {'x': torch.zeros(0, 3)},
         {'fn': fn})

# Integer inputs: float-valued ops compute in float32 (compared at float32 accuracy), rounding
# ops keep the integers.
ints = torch.tensor([-3, -1, 0, 1, 2, 5])
for fn in ['exp2', 'log2', 'reciprocal', 'lgamma', 'digamma', 'erfinv', 'sinc', 'square', 'floor', 'ceil', 'round', 'trunc']:
    case(f'{fn} on an int input', 'unary', lambda i, p: UNARY[p['fn']](i['x']), {'x': ints}, {'fn': fn})

# logit with and without eps: 16 elements, all in the vectorized loop of PyTorch's CPU kernel
# (its scalar loop for the remainder clamps differently when eps > 1/2, and gives NaN gradients at NaN).
logit_x = t([nan, -0.5, 0.0, 1e-8, 0.05, 0.3, 0.5, 0.95, 1.0, 1.5, 0.1, 0.9, 0.6, 0.4, 0.7, 0.2])
for eps in [None, 0.1, 0.0, 0.6, -0.1, 1e-6]:
    case(f'logit (eps={eps}) including 0, 1 and values outside [0, 1]', 'logit',
         lambda i, p: torch.logit(i['x'], p['eps']), {'x': logit_x}, {'eps': eps})

# polygamma of orders 0..4 (order 1 is PyTorch's trigamma, accurate to ~1e-8 only).
poly_x = t([nan, -inf, -2.5, -0.3, 0.0, -0.0, 1e-5, 0.3, 1.0, 2.5, 14.9, 15.1, 1e3])
for n in range(5):
    xs = poly_x
    case(f'polygamma(n={n}) including poles and negative non-integers', 'polygamma',
         lambda i, p: torch.polygamma(p['n'], i['x']), {'x': xs}, {'n': n})

# round with decimals (float64 here; the float32 arithmetic is in the unit tests).
for d in [1, 2, 3, -1, -2, 400, -400]:
    case(f'round(decimals={d})', 'round', lambda i, p: torch.round(i['x'], decimals=p['decimals']),
         {'x': t([nan, -inf, 1.005, 2.675, 0.285, -1.25, 0.125, 1234.5678, -250.0, 350.0, 1e300, inf])},
         {'decimals': d})

# nanToNum
ntn_x = t([nan, inf, -inf, 1.5, -0.0])
for nan_, posinf, neginf in [(None, None, None), (2.0, None, -7.0), (0.5, 100.0, -100.0), (-1.0, 1e300, None)]:
    case(f'nanToNum(nan={nan_}, posinf={posinf}, neginf={neginf})', 'nanToNum',
         lambda i, p: torch.nan_to_num(i['x'], nan=p['nan'], posinf=p['posinf'], neginf=p['neginf']), {'x': ntn_x},
         {'nan': nan_, 'posinf': posinf, 'neginf': neginf})

# Predicates (bool results, no gradient).
pred_x = t([nan, -inf, -1.0, -0.0, 0.0, 2.5, inf])
for fn in PREDICATES:
    case(f'{fn} on NaN, infinities and zeros', 'predicate', lambda i, p: PREDICATES[p['fn']](i['x']), {'x': pred_x},
         {'fn': fn})
    case(f'{fn} on an int input', 'predicate', lambda i, p: PREDICATES[p['fn']](i['x']), {'x': torch.tensor([0, 3, -1])},
         {'fn': fn})
case('logicalNot on a bool input', 'predicate', lambda i, p: torch.logical_not(i['x']), {'x': torch.tensor([True, False])},
     {'fn': 'logicalNot'})

# Second derivatives: sum(f(x)) gives the Hessian-vector product f''(x) v.
HVP = {
    'tan': lambda u: 1.2 * torch.tanh(u), 'asin': lambda u: 0.9 * torch.tanh(u), 'acos': lambda u: 0.9 * torch.tanh(u),
    'atan': lambda u: 2 * u, 'asinh': lambda u: 2 * u, 'acosh': lambda u: u.abs() + 1.2,
    'atanh': lambda u: 0.9 * torch.tanh(u), 'sinc': lambda u: u.abs() + 0.2, 'erfc': lambda u: 2 * u,
    'erfinv': lambda u: 0.9 * torch.tanh(u), 'lgamma': lambda u: 3 * u.abs() + 0.2,
    'digamma': lambda u: 3 * u.abs() + 0.2, 'exp2': lambda u: 2 * u, 'log2': lambda u: u.abs() + 0.3,
    'reciprocal': lambda u: u + 0.4 * u.sign(), 'expm1': lambda u: u,
}
for fn, d in HVP.items():
    hvp(f'sum({fn}(x))', 'unarySum', lambda i, p: UNARY[p['fn']](i['x']).sum(), {'x': d(r(6))}, {'fn': fn})
hvp('sum(logit(x, eps=0.05))', 'logitSum', lambda i, p: torch.logit(i['x'], 0.05).sum(), {'x': t([0.01, 0.2, 0.5, 0.9, 0.99])})
hvp('sum(polygamma(2, x))', 'polygammaSum', lambda i, p: torch.polygamma(2, i['x']).sum(), {'x': t([0.3, 1.5, 4.0, 20.0])})

write('core-unary', cases, {'generator': 'scripts/torch-fixtures/core_unary.py'})
