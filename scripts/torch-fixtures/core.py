"""Reference values of @tapegrad/core ops from PyTorch, for test/torch-parity.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/core.py

which rewrites test/fixtures/torch/core.json. Each case stores its inputs, its outputs, a random
upstream gradient per differentiable output, and the gradients of every float input (the
vector-Jacobian product with that upstream gradient). "hvp" cases store a scalar function's
value, gradient and Hessian-vector product for a stored vector v. The op names and params are
read by the table in test/torch-parity.test.ts, which rebuilds the tensors from the stored inputs.
"""
import torch
import torch.nn.functional as F

from common import idx, r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)


# ------------------------------------------------------------------ element-wise binary
BINARY = {
    'add': lambda a, b, p: torch.add(a, b, alpha=p.get('alpha', 1)),
    'sub': lambda a, b, p: torch.sub(a, b, alpha=p.get('alpha', 1)),
    'mul': lambda a, b, p: a * b,
    'div': lambda a, b, p: a / b,
    'minimum': lambda a, b, p: torch.minimum(a, b),
    'maximum': lambda a, b, p: torch.maximum(a, b),
}


def binary(name, op, a, b, params=None):
    case(name, op, lambda i, p: BINARY[op](i['a'], i['b'], p), {'a': a, 'b': b}, params)


binary('add broadcasts [2,3] with [3]', 'add', r(2, 3), r(3))
binary('add with alpha broadcasts [2,1,3] with [4,1]', 'add', r(2, 1, 3), r(4, 1), {'alpha': -2.5})
binary('sub with alpha broadcasts [4,1] with [3]', 'sub', r(4, 1), r(3), {'alpha': 0.5})
binary('mul broadcasts [2,3,1] with [1,4]', 'mul', r(2, 3, 1), r(1, 4))
binary('div broadcasts [3,4] with [4] including small divisors', 'div', r(3, 4), t([0.5, -1e-3, 2.0, -3.0]))
ta = t([[1.0, 2.0, 3.0, -1.0], [0.0, -2.0, 5.0, 5.0]])
tb = t([[1.0, 3.0, 2.0, -1.0], [0.0, -2.5, 5.0, 4.0]])
binary('minimum splits the gradient on ties', 'minimum', ta, tb)
binary('maximum splits the gradient on ties', 'maximum', ta, tb)
binary('maximum broadcasts [2,4] with [4] with ties', 'maximum', ta, t([1.0, 2.0, 5.0, 4.0]))
binary('minimum broadcasts [2,4] with [4] with ties', 'minimum', ta, t([1.0, 2.0, 5.0, 4.0]))
nan = float('nan')
binary('maximum propagates NaN from either side', 'maximum', t([nan, 1.0, 2.0, nan]), t([1.0, nan, 0.0, nan]))
binary('minimum propagates NaN from either side', 'minimum', t([nan, 1.0, 2.0, nan]), t([1.0, nan, 0.0, nan]))

# ------------------------------------------------------------------ pow
bases = t([-2.0, -1.5, -0.5, 0.0, 0.5, 1.0, 2.5])
for e in [2, 3, 0.5, 0, -1, -2, 1.5, 1]:
    case(f'pow with a tensor base (negatives and zero) and number exponent {e}', 'pow',
         lambda i, p: torch.pow(i['a'], p['e']), {'a': bases}, {'e': e})
case('pow with tensor base and tensor exponent (negative bases, zeros, fractional exponents)', 'pow',
     lambda i, p: torch.pow(i['a'], i['b']),
     {'a': t([[-2.0, -2.0, 0.0, 0.0, 0.0, 1.5], [3.0, -0.5, 0.0, 2.0, 0.7, -1.0]]),
      'b': t([[2.0, 0.5, 0.0, 2.0, -1.0, 3.0], [-0.5, 3.0, 0.5, 0.0, 1.5, 0.0]])})
case('pow broadcasts a [3,1] base with a [4] exponent', 'pow',
     lambda i, p: torch.pow(i['a'], i['b']), {'a': t([[0.5], [1.5], [2.0]]), 'b': t([-1.0, 0.0, 0.5, 2.0])})
for base in [2.0, 0.0, -2.0]:
    case(f'pow with number base {base} and tensor exponent', 'pow',
         lambda i, p: torch.pow(p['base'], i['b']), {'b': t([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0])}, {'base': base})

# ------------------------------------------------------------------ element-wise unary
UNARY = {
    'exp': torch.exp, 'log': torch.log, 'log1p': torch.log1p, 'sqrt': torch.sqrt, 'rsqrt': torch.rsqrt,
    'sin': torch.sin, 'cos': torch.cos, 'tanh': torch.tanh, 'sigmoid': torch.sigmoid, 'relu': torch.relu,
    'abs': torch.abs, 'sign': torch.sign, 'neg': torch.neg, 'erf': torch.erf,
}
mixed = t([-800.0, -20.0, -3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 3.0, 20.0, 800.0])
positive = t([1e-300, 1e-8, 0.0, 0.25, 1.0, 7.5, 1e10])
for fn in UNARY:
    xs = mixed if fn not in ('exp',) else t([-800.0, -20.0, -1.0, 0.0, 0.5, 3.0, 700.0])
    case(f'{fn} on a mixed-sign input including 0 and extremes', 'unary', lambda i, p: UNARY[p['fn']](i['x']), {'x': xs}, {'fn': fn})
for fn in ['log', 'log1p', 'sqrt', 'rsqrt']:
    case(f'{fn} on a non-negative input including 0 and tiny values', 'unary', lambda i, p: UNARY[p['fn']](i['x']),
         {'x': positive}, {'fn': fn})
case('log1p near -1', 'unary', lambda i, p: torch.log1p(i['x']), {'x': t([-1.0, -0.999999, -1e-12, 1e-12])}, {'fn': 'log1p'})
case('exp on random [3,4]', 'unary', lambda i, p: torch.exp(i['x']), {'x': r(3, 4)}, {'fn': 'exp'})
case('tanh on random [3,4]', 'unary', lambda i, p: torch.tanh(i['x']), {'x': r(3, 4, scale=2)}, {'fn': 'tanh'})

act_x = t([-30.0, -10.0, -3.0, -1.0, -0.1, 0.0, 1e-3, 0.5, 1.0, 2.5, 10.0, 30.0])
for mode in ['none', 'tanh']:
    case(f'gelu (approximate={mode})', 'gelu', lambda i, p: F.gelu(i['x'], approximate=p['approximate']), {'x': act_x},
         {'approximate': mode})
for beta, thr in [(1, 20), (2, 5), (0.5, 1), (3, 0.3)]:
    xs = torch.cat([act_x, t([thr / beta, thr / beta - 1e-9, thr / beta + 1e-9, -thr / beta])])
    case(f'softplus (beta={beta}, threshold={thr}) including x*beta exactly at the threshold', 'softplus',
         lambda i, p: F.softplus(i['x'], beta=p['beta'], threshold=p['threshold']), {'x': xs},
         {'beta': beta, 'threshold': thr})
for alpha in [1.0, 0.5, 2.0]:
    case(f'elu (alpha={alpha}) including 0', 'elu', lambda i, p: F.elu(i['x'], alpha=p['alpha']), {'x': act_x},
         {'alpha': alpha})
for slope in [0.01, 0.2, -0.5]:
    case(f'leakyRelu (negativeSlope={slope}) including 0', 'leakyRelu',
         lambda i, p: F.leaky_relu(i['x'], negative_slope=p['slope']), {'x': act_x}, {'slope': slope})

clamp_x = t([-2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0])
for lo, hi in [(-0.5, 0.5), (0.0, None), (None, 0.0), (0.25, 0.25), (1.0, -1.0)]:
    case(f'clamp(min={lo}, max={hi}) with inputs exactly at the bounds', 'clamp',
         lambda i, p: torch.clamp(i['x'], p['min'], p['max']), {'x': clamp_x}, {'min': lo, 'max': hi})

cond = torch.tensor([[True, False, True], [False, False, True]])
case('where broadcasts a [3] second branch', 'where', lambda i, p: torch.where(i['c'], i['a'], i['b']),
     {'c': cond, 'a': r(2, 3), 'b': r(3)})
case('where broadcasts the condition [3] against [2,1] and [2,3]', 'where',
     lambda i, p: torch.where(i['c'], i['a'], i['b']),
     {'c': torch.tensor([True, False, True]), 'a': r(2, 1), 'b': r(2, 3)})
case('where with a number as the second branch', 'where', lambda i, p: torch.where(i['c'], i['a'], p['b']),
     {'c': cond, 'a': r(2, 3)}, {'b': -1.5})

# ------------------------------------------------------------------ reductions
x234 = r(2, 3, 4)


def red(name, op, fn, x, dims, keepdim=False, **extra):
    params = {'dim': dims, 'keepdim': keepdim, **extra}
    case(name, op, fn, {'x': x}, params)


SUMLIKE = {'sum': torch.sum, 'mean': torch.mean}
for op, fn in SUMLIKE.items():
    case(f'{op} over all elements', op, lambda i, p: SUMLIKE[p['op']](i['x']), {'x': x234}, {'dim': None, 'op': op})
    for dims, kd in [(1, False), ([0, 2], False), (-1, True), ([0, 1, 2], True)]:
        case(f'{op} over dim {dims} (keepdim={kd})', op,
             lambda i, p: SUMLIKE[p['op']](i['x'], dim=p['dim'], keepdim=p['keepdim']), {'x': x234},
             {'dim': dims, 'keepdim': kd, 'op': op})

px = t([[1.5, -2.0, 0.5, 3.0], [0.0, 2.0, -1.5, 0.5], [0.0, 1.0, 0.0, 2.0]])
case('prod over all elements without zeros', 'prod', lambda i, p: torch.prod(i['x']), {'x': px[:1].clone()}, {'dim': None})
case('prod over all elements with one zero', 'prod', lambda i, p: torch.prod(i['x']), {'x': px[:2].clone()}, {'dim': None})
case('prod over all elements with two zeros', 'prod', lambda i, p: torch.prod(i['x']), {'x': px}, {'dim': None})
case('prod over dim 1 with rows of zero, one and two zeros', 'prod', lambda i, p: torch.prod(i['x'], 1),
     {'x': px}, {'dim': 1, 'keepdim': False})
case('prod over dim 0 (keepdim) with zeros', 'prod', lambda i, p: torch.prod(i['x'], 0, keepdim=True),
     {'x': px}, {'dim': 0, 'keepdim': True})

vx = r(3, 3, 4)
vx[1, 2, :] = 0.75  # a constant row: zero variance
for op in ['var', 'std']:
    for corr in [0, 1]:
        for dims, kd in [(None, False), (1, False), ([0, 2], True), (-1, False)]:
            x = vx if op == 'var' or dims != -1 else vx[[0, 2]].clone()  # std' is NaN at zero spread
            case(f'{op} over dim {dims} with correction {corr} (keepdim={kd})', op,
                 lambda i, p: getattr(torch, p['op'])(i['x'], dim=p['dim'], correction=p['correction'], keepdim=p['keepdim']),
                 {'x': x}, {'op': op, 'dim': dims, 'correction': corr, 'keepdim': kd})
    case(f'{op} of a constant row (zero spread) over dim -1', op,
         lambda i, p: getattr(torch, p['op'])(i['x'], dim=-1, correction=1),
         {'x': vx[1]}, {'op': op, 'dim': -1, 'correction': 1, 'keepdim': False})
    case(f'{op} of one element with correction 1 (0/0)', op,
         lambda i, p: getattr(torch, p['op'])(i['x'], dim=0, correction=1),
         {'x': t([[1.5, 2.0]])}, {'op': op, 'dim': 0, 'correction': 1, 'keepdim': False})
case('var with correction 2 over dim 1', 'var', lambda i, p: torch.var(i['x'], dim=1, correction=2),
     {'x': vx[0]}, {'op': 'var', 'dim': 1, 'correction': 2, 'keepdim': False})

tie = t([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 2.0], [-5.0, 0.5, -5.0, 0.25]])
for op in ['max', 'min']:
    for dim, kd in [(1, False), (0, True), (-1, True)]:
        case(f'{op} over dim {dim} (keepdim={kd}) with ties gives values, first indices and gradient', f'{op}Dim',
             lambda i, p: tuple(getattr(torch, p['op'])(i['x'], dim=p['dim'], keepdim=p['keepdim'])),
             {'x': tie}, {'op': op, 'dim': dim, 'keepdim': kd})
    case(f'{op} over all elements splits the gradient among ties', f'{op}All',
         lambda i, p: getattr(torch, p['op'])(i['x']), {'x': tie if op == 'max' else -tie}, {'op': op})
    case(f'{op} over dim 1 of random values', f'{op}Dim',
         lambda i, p: tuple(getattr(torch, p['op'])(i['x'], dim=p['dim'], keepdim=p['keepdim'])),
         {'x': r(3, 5)}, {'op': op, 'dim': 1, 'keepdim': False})
for op in ['amax', 'amin']:
    for dims, kd in [(None, False), (1, False), ([0, 1], True), (0, False)]:
        case(f'{op} over dim {dims} (keepdim={kd}) splits the gradient among ties', op,
             lambda i, p: getattr(torch, p['op'])(i['x'], dim=p['dim'] if p['dim'] is not None else [0, 1], keepdim=p['keepdim']),
             {'x': tie}, {'op': op, 'dim': dims, 'keepdim': kd})
case('max over dim 1 with NaN', 'maxDim', lambda i, p: tuple(torch.max(i['x'], dim=1)),
     {'x': t([[1.0, nan, 3.0], [nan, 2.0, nan]])}, {'op': 'max', 'dim': 1, 'keepdim': False})

big = t([[1000.0, -1000.0, 999.0, 0.0], [-1000.0, -1000.0, -1000.0, -1000.0], [0.5, -0.25, 2.0, 1.0]])
for dims, kd in [(1, False), (0, True), ([0, 1], False)]:
    case(f'logsumexp over dim {dims} (keepdim={kd}) with +-1000', 'logsumexp',
         lambda i, p: torch.logsumexp(i['x'], dim=p['dim'], keepdim=p['keepdim']), {'x': big}, {'dim': dims, 'keepdim': kd})
case('logsumexp over a row of -inf', 'logsumexp', lambda i, p: torch.logsumexp(i['x'], dim=1),
     {'x': t([[-float('inf'), -float('inf')], [0.0, -float('inf')]])}, {'dim': 1, 'keepdim': False})
for op in ['softmax', 'logSoftmax']:
    for dim in [1, 0, -1]:
        case(f'{op} over dim {dim} with +-1000 logits', op,
             lambda i, p: (torch.softmax if p['op'] == 'softmax' else torch.log_softmax)(i['x'], dim=p['dim']),
             {'x': big}, {'op': op, 'dim': dim})
    case(f'{op} over dim 1 of [2,3,4]', op,
         lambda i, p: (torch.softmax if p['op'] == 'softmax' else torch.log_softmax)(i['x'], dim=p['dim']),
         {'x': x234}, {'op': op, 'dim': 1})
inf = float('inf')
masked = t([[0.5, -inf, 1.5, -inf], [-inf, -inf, -inf, 2.0], [-inf, -inf, -inf, -inf]])
for op in ['softmax', 'logSoftmax']:
    case(f'{op} over dim 1 with -inf (masked) logits, including a row of only -inf', op,
         lambda i, p: (torch.softmax if p['op'] == 'softmax' else torch.log_softmax)(i['x'], dim=p['dim']),
         {'x': masked}, {'op': op, 'dim': 1})
for op in ['argmax', 'argmin']:
    xs = tie if op == 'argmax' else -tie
    case(f'{op} over all elements takes the first of ties', op, lambda i, p: getattr(torch, p['op'])(i['x']),
         {'x': xs}, {'op': op, 'dim': None, 'keepdim': False})
    for dim, kd in [(1, False), (0, True)]:
        case(f'{op} over dim {dim} (keepdim={kd}) takes the first of ties', op,
             lambda i, p: getattr(torch, p['op'])(i['x'], dim=p['dim'], keepdim=p['keepdim']),
             {'x': xs}, {'op': op, 'dim': dim, 'keepdim': kd})

# ------------------------------------------------------------------ matmul
for sa, sb in [([3], [3]), ([3], [3, 4]), ([2, 3], [3]), ([2, 3], [3, 4]), ([2, 1, 3, 4], [3, 4, 2]),
               ([4], [2, 4, 3]), ([2, 3, 4], [4]), ([1, 2, 3], [3, 3, 4]), ([3, 1, 2, 3], [1, 3, 2])]:
    case(f'matmul {sa} @ {sb}', 'matmul', lambda i, p: torch.matmul(i['a'], i['b']), {'a': r(*sa), 'b': r(*sb)})

# ------------------------------------------------------------------ conv2d and pooling
CONV = [
    ('defaults', [2, 2, 4, 5], [3, 2, 3, 3], True, {}),
    ('stride 2, padding 1', [1, 3, 5, 6], [2, 3, 3, 3], True, {'stride': 2, 'padding': 1}),
    ('stride [2,1], padding [0,2], dilation [2,1]', [1, 2, 7, 5], [3, 2, 2, 3], True,
     {'stride': [2, 1], 'padding': [0, 2], 'dilation': [2, 1]}),
    ('groups 2, padding 1', [1, 4, 4, 4], [4, 2, 3, 2], True, {'padding': 1, 'groups': 2}),
    ('depthwise (groups = channels), stride 2', [1, 3, 5, 5], [6, 1, 2, 2], True, {'stride': 2, 'groups': 3}),
    ('no bias, dilation 2, padding 2', [1, 2, 5, 5], [2, 2, 3, 3], False, {'dilation': 2, 'padding': 2}),
    ('unbatched [C,H,W] input, stride 3', [2, 6, 7], [3, 2, 3, 3], True, {'stride': 3, 'padding': 1}),
    ('1x1 kernel, groups 2, stride 2', [2, 4, 4, 3], [4, 2, 1, 1], True, {'stride': 2, 'groups': 2}),
]


def conv(i, p):
    return F.conv2d(i['x'], i['w'], i.get('b'), stride=p.get('stride', 1), padding=p.get('padding', 0),
                    dilation=p.get('dilation', 1), groups=p.get('groups', 1))


for label, xs, ws, bias, opts in CONV:
    inputs = {'x': r(*xs), 'w': r(*ws)}
    if bias:
        inputs['b'] = r(ws[0])
    case(f'conv2d {label}: forward and gradients for x, weight, bias', 'conv2d', conv, inputs, opts)


def pool_args(p):
    return dict(stride=p.get('stride'), padding=p.get('padding', 0))


POOL = [
    ('kernel 3, stride 2, padding 1', [1, 2, 5, 6], 3, {'stride': 2, 'padding': 1}),
    ('kernel 2, stride 1', [1, 2, 4, 5], 2, {'stride': 1}),
    ('kernel [2,3], stride [1,2], padding [1,1]', [1, 2, 4, 6], [2, 3], {'stride': [1, 2], 'padding': [1, 1]}),
    ('default stride (= kernel), odd size', [2, 1, 5, 7], 2, {}),
    ('unbatched [C,H,W] input, kernel 3, stride 1, padding 1', [2, 4, 4], 3, {'stride': 1, 'padding': 1}),
]
for label, xs, k, opts in POOL:
    x = r(*xs)
    case(f'maxPool2d {label}', 'maxPool2d',
         lambda i, p: F.max_pool2d(i['x'], p['kernel'], stride=p.get('stride'), padding=p.get('padding', 0),
                                   dilation=p.get('dilation', 1)), {'x': x}, {'kernel': k, **opts})
    case(f'avgPool2d {label}', 'avgPool2d',
         lambda i, p: F.avg_pool2d(i['x'], p['kernel'], stride=p.get('stride'), padding=p.get('padding', 0)),
         {'x': x}, {'kernel': k, **opts})
case('maxPool2d kernel 3, dilation 2, padding 1', 'maxPool2d',
     lambda i, p: F.max_pool2d(i['x'], p['kernel'], stride=p['stride'], padding=p['padding'], dilation=p['dilation']),
     {'x': r(1, 2, 7, 7)}, {'kernel': 3, 'stride': 2, 'padding': 1, 'dilation': 2})
case('maxPool2d with ties inside overlapping windows sends the gradient to the first maximum', 'maxPool2d',
     lambda i, p: F.max_pool2d(i['x'], p['kernel'], stride=p['stride'], padding=p['padding']),
     {'x': t([[[[1.0, 2.0, 2.0, 0.0], [2.0, 1.0, 2.0, 2.0], [0.0, 2.0, 1.0, 1.0], [2.0, 0.0, 2.0, 1.0]]]])},
     {'kernel': 2, 'stride': 1, 'padding': 0})
case('maxPool2d with negative inputs next to the padding', 'maxPool2d',
     lambda i, p: F.max_pool2d(i['x'], p['kernel'], stride=p['stride'], padding=p['padding']),
     {'x': -torch.abs(r(1, 1, 4, 4)) - 1}, {'kernel': 3, 'stride': 2, 'padding': 1})

# ------------------------------------------------------------------ indexing
gx = r(3, 4)
case('gather along dim 1 with repeated indices accumulates the gradient', 'gather',
     lambda i, p: torch.gather(i['x'], p['dim'], i['index']), {'x': gx, 'index': idx([[0, 0, 3], [2, 1, 2], [3, 3, 3]])}, {'dim': 1})
case('gather along dim 0 with an index smaller than x', 'gather',
     lambda i, p: torch.gather(i['x'], p['dim'], i['index']), {'x': gx, 'index': idx([[2, 0, 2], [2, 2, 1]])}, {'dim': 0})
case('scatterAdd along dim 0 with repeated indices', 'scatterAdd',
     lambda i, p: torch.scatter_add(i['x'], p['dim'], i['index'], i['src']),
     {'x': gx, 'index': idx([[0, 1, 0, 2], [0, 0, 0, 2]]), 'src': r(2, 4)}, {'dim': 0})
case('scatterAdd along dim 1 with an index narrower than x', 'scatterAdd',
     lambda i, p: torch.scatter_add(i['x'], p['dim'], i['index'], i['src']),
     {'x': gx, 'index': idx([[3, 3], [0, 1], [1, 1]]), 'src': r(3, 2)}, {'dim': 1})
case('indexSelect along dim 0 with repeated indices', 'indexSelect',
     lambda i, p: torch.index_select(i['x'], p['dim'], i['index']), {'x': gx, 'index': idx([2, 0, 2, 2])}, {'dim': 0})
case('indexSelect along dim 1 with repeated indices', 'indexSelect',
     lambda i, p: torch.index_select(i['x'], p['dim'], i['index']), {'x': r(2, 3, 2), 'index': idx([1, 1, 0])}, {'dim': 1})
case('indexAdd along dim 0 with repeated indices', 'indexAdd',
     lambda i, p: torch.index_add(i['x'], p['dim'], i['index'], i['src']),
     {'x': gx, 'index': idx([1, 1, 0, 1]), 'src': r(4, 4)}, {'dim': 0})

# ------------------------------------------------------------------ cat / stack / split
for dim in [0, 1, -1]:
    shapes = {0: ([1, 3, 2], [2, 3, 2], [3, 3, 2]), 1: ([2, 1, 2], [2, 3, 2], [2, 2, 2]), -1: ([2, 3, 1], [2, 3, 3], [2, 3, 2])}[dim]
    case(f'cat along dim {dim} of three tensors', 'cat',
         lambda i, p: torch.cat([i['a'], i['b'], i['c']], dim=p['dim']),
         {'a': r(*shapes[0]), 'b': r(*shapes[1]), 'c': r(*shapes[2])}, {'dim': dim})
for dim in [0, 1, -1, 2]:
    case(f'stack along dim {dim}', 'stack', lambda i, p: torch.stack([i['a'], i['b'], i['c']], dim=p['dim']),
         {'a': r(2, 3), 'b': r(2, 3), 'c': r(2, 3)}, {'dim': dim})
case('split by size 2 along dim 1 (uneven last piece)', 'split', lambda i, p: torch.split(i['x'], p['size'], dim=p['dim']),
     {'x': r(2, 5, 2)}, {'size': 2, 'dim': 1})
case('split by sizes [1,3,1] along dim -2', 'split', lambda i, p: torch.split(i['x'], p['size'], dim=p['dim']),
     {'x': r(2, 5, 2)}, {'size': [1, 3, 1], 'dim': -2})
case('chunk into 3 along dim 0', 'chunk', lambda i, p: torch.chunk(i['x'], p['chunks'], dim=p['dim']),
     {'x': r(7, 2)}, {'chunks': 3, 'dim': 0})

# ------------------------------------------------------------------ second derivatives (Hessian-vector products)
hvp('sum(tanh(x) * sigmoid(x))', 'tanhSigmoid', lambda i, p: (torch.tanh(i['x']) * torch.sigmoid(i['x'])).sum(),
    {'x': r(3, 4, scale=1.5)})
hvp('softmax cross-entropy written with logSoftmax and a one-hot target', 'softmaxXent',
    lambda i, p: -(torch.log_softmax(i['z'], dim=1) * i['y']).sum() / i['z'].shape[0],
    {'z': r(4, 5, scale=2), 'y': F.one_hot(idx([1, 0, 4, 4]), 5).double()}, const=['y'])
hvp('sum(logsumexp(x, 1)^2)', 'logsumexpSq', lambda i, p: (torch.logsumexp(i['x'], dim=1) ** 2).sum(), {'x': r(3, 4)})
for mode in ['none', 'tanh']:
    hvp(f'sum(gelu(x)^2) (approximate={mode})', 'geluSq',
        lambda i, p: (F.gelu(i['x'], approximate=p['approximate']) ** 2).sum(), {'x': r(10, scale=2)}, {'approximate': mode})
hvp('sum(softplus(x, beta=2)^2)', 'softplusSq', lambda i, p: (F.softplus(i['x'], beta=2) ** 2).sum(), {'x': r(8, scale=2)})
hvp('sum(pow(a, b)) with positive bases (both inputs)', 'powSum', lambda i, p: torch.pow(i['a'], i['b']).sum(),
    {'a': torch.abs(r(2, 3)) + 0.2, 'b': r(2, 3)})
hvp('sum(tanh(a @ b)) with broadcasting batch dims', 'matmulTanh', lambda i, p: torch.tanh(i['a'] @ i['b']).sum(),
    {'a': r(2, 1, 2, 3), 'b': r(3, 3, 2)})
hvp('sum(tanh(conv2d(x, w, b, stride 2, padding 1)))', 'convTanh',
    lambda i, p: torch.tanh(F.conv2d(i['x'], i['w'], i['b'], stride=2, padding=1)).sum(),
    {'x': r(1, 2, 5, 5), 'w': r(3, 2, 3, 3), 'b': r(3)})
hvp('sum(maxPool2d(x, 2)^2)', 'maxPoolSq', lambda i, p: (F.max_pool2d(i['x'], 2) ** 2).sum(), {'x': r(1, 1, 4, 4)})
hvp('sum(prod(x, 1)) with zeros in rows', 'prodSum', lambda i, p: torch.prod(i['x'], 1).sum(),
    {'x': t([[1.5, -2.0, 0.5, 3.0], [0.0, 2.0, -1.5, 0.5], [0.0, 1.0, 0.0, 2.0]])})
hvp('sum(std(x, 1)) + sum(var(x, 0, correction 0))', 'varStd',
    lambda i, p: torch.std(i['x'], 1).sum() + torch.var(i['x'], 0, correction=0).sum(), {'x': r(3, 4)})

write('core', cases)
