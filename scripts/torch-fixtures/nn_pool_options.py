"""PyTorch fixtures for the pooling options and unpooling of issue 18: ceil_mode, return_indices,
count_include_pad=False and divisor_override on the 1-D, 2-D and 3-D pools, and MaxUnpool1d/2d/3d.

Writes test/fixtures/torch/nn-pool-options.json, read by test/torch-parity-pool-options.test.ts.
'vjp' and 'hvp' cases record a functional op (see common.recorders): outputs (values and int
indices), the gradients of a random upstream w.r.t. the float inputs, and Hessian-vector products
for the second-order cases. 'module' cases build the PyTorch module and record its output(s) and
the input gradient (pooling modules have no state). Max-pool inputs hold distinct values (no ties)
unless the case says ties, where PyTorch's first-in-window-order rule decides the index.
Run: /usr/bin/python3 scripts/torch-fixtures/nn_pool_options.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import enc, r, recorders, write

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)


def distinct(*shape):
    """Distinct values in [-2, 2), in random order: max pooling has no ties."""
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n).double() * (4.0 / n) - 2.0).reshape(shape)


def ties(*shape):
    """Small integers (0, 1, 2): many ties."""
    return torch.randint(0, 3, shape).double()


def py(p):
    """The PyTorch keyword arguments of a case's params (camelCase in the fixture)."""
    names = {'stride': 'stride', 'padding': 'padding', 'dilation': 'dilation', 'ceilMode': 'ceil_mode',
             'returnIndices': 'return_indices', 'countIncludePad': 'count_include_pad', 'divisorOverride': 'divisor_override'}
    return {names[k]: v for k, v in p.items() if k != 'k'}


def pool(fn):
    return lambda i, p: fn(i['x'], p['k'], **py(p))


# ---- 2-D max pooling: ceil mode (last window kept, last window dropped), indices, dilation
mp2 = pool(F.max_pool2d)
case('maxPool2d ceilMode, last window hangs over the edge', 'maxPool2d', mp2, {'x': distinct(2, 2, 5, 5)}, {'k': 2, 'ceilMode': True})
case('maxPool2d ceilMode with indices, k 3 s 2 p 1 on 6x7', 'maxPool2d', mp2, {'x': distinct(1, 2, 6, 7)},
     {'k': 3, 'stride': 2, 'padding': 1, 'ceilMode': True, 'returnIndices': True})
# 5 + 2*1 - 2 - 1 = 4, ceil(4/3)+1 = 3, but (3-1)*3 = 6 >= 5+1: the last window is dropped
case('maxPool2d ceilMode drops a last window starting in the right padding', 'maxPool2d', mp2, {'x': distinct(1, 1, 5, 5)},
     {'k': 2, 'stride': 3, 'padding': 1, 'ceilMode': True, 'returnIndices': True})
case('maxPool2d returnIndices, floor mode, kernel [2,3], stride [1,2]', 'maxPool2d', mp2, {'x': distinct(2, 3, 4, 7)},
     {'k': [2, 3], 'stride': [1, 2], 'returnIndices': True})
case('maxPool2d returnIndices with dilation 2 and ceilMode', 'maxPool2d', mp2, {'x': distinct(1, 2, 8, 9)},
     {'k': 3, 'stride': 2, 'padding': 1, 'dilation': 2, 'ceilMode': True, 'returnIndices': True})
case('maxPool2d returnIndices, unbatched input', 'maxPool2d', mp2, {'x': distinct(3, 5, 4)}, {'k': 2, 'stride': 1, 'returnIndices': True})
case('maxPool2d returnIndices with ties (first in window order)', 'maxPool2d', mp2, {'x': ties(2, 2, 6, 6)},
     {'k': 3, 'stride': 1, 'padding': 1, 'returnIndices': True})
case('maxPool2d ceilMode, stride [3,2] on 7x6', 'maxPool2d', mp2, {'x': distinct(1, 3, 7, 6)}, {'k': [2, 3], 'stride': [3, 2], 'ceilMode': True})

# ---- 2-D average pooling: PyTorch's divisor rules
ap2 = pool(F.avg_pool2d)
case('avgPool2d ceilMode, last window divided by its clipped size', 'avgPool2d', ap2, {'x': r(2, 2, 5, 5)}, {'k': 2, 'ceilMode': True})
case('avgPool2d ceilMode, padding 1, countIncludePad true (window past the right padding clipped)', 'avgPool2d', ap2,
     {'x': r(1, 2, 6, 6)}, {'k': 3, 'stride': 2, 'padding': 1, 'ceilMode': True})
case('avgPool2d ceilMode drops a last window starting in the right padding', 'avgPool2d', ap2, {'x': r(1, 1, 5, 5)},
     {'k': 2, 'stride': 3, 'padding': 1, 'ceilMode': True})
case('avgPool2d countIncludePad false with padding', 'avgPool2d', ap2, {'x': r(2, 2, 5, 6)},
     {'k': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False})
case('avgPool2d countIncludePad false, ceilMode, kernel [3,2], padding [1,1]', 'avgPool2d', ap2, {'x': r(1, 2, 6, 5)},
     {'k': [3, 2], 'stride': [2, 2], 'padding': [1, 1], 'ceilMode': True, 'countIncludePad': False})
case('avgPool2d divisorOverride 3 with padding', 'avgPool2d', ap2, {'x': r(1, 2, 5, 5)},
     {'k': 3, 'stride': 2, 'padding': 1, 'divisorOverride': 3})
case('avgPool2d divisorOverride -2, ceilMode, countIncludePad false', 'avgPool2d', ap2, {'x': r(1, 1, 5, 7)},
     {'k': 2, 'ceilMode': True, 'countIncludePad': False, 'divisorOverride': -2})
case('avgPool2d countIncludePad false, unbatched', 'avgPool2d', ap2, {'x': r(2, 4, 4)},
     {'k': 2, 'stride': 1, 'padding': 1, 'countIncludePad': False})

# ---- 1-D pools
case('maxPool1d ceilMode with indices', 'maxPool1d', pool(F.max_pool1d), {'x': distinct(2, 3, 9)},
     {'k': 3, 'stride': 2, 'padding': 1, 'ceilMode': True, 'returnIndices': True})
case('maxPool1d returnIndices, dilation 2, unbatched', 'maxPool1d', pool(F.max_pool1d), {'x': distinct(3, 10)},
     {'k': 3, 'stride': 2, 'dilation': 2, 'returnIndices': True})
case('avgPool1d ceilMode, countIncludePad false', 'avgPool1d', pool(F.avg_pool1d), {'x': r(2, 2, 8)},
     {'k': 3, 'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False})
case('avgPool1d ceilMode, padding counted', 'avgPool1d', pool(F.avg_pool1d), {'x': r(1, 2, 7)},
     {'k': 2, 'stride': 2, 'padding': 1, 'ceilMode': True})

# ---- 3-D pools
mp3 = pool(F.max_pool3d)
ap3 = pool(F.avg_pool3d)
case('maxPool3d ceilMode with indices', 'maxPool3d', mp3, {'x': distinct(1, 2, 5, 5, 4)},
     {'k': 2, 'ceilMode': True, 'returnIndices': True})
case('maxPool3d returnIndices, kernel [3,2,2], stride [2,1,2], padding [1,1,0]', 'maxPool3d', mp3, {'x': distinct(2, 2, 5, 4, 5)},
     {'k': [3, 2, 2], 'stride': [2, 1, 2], 'padding': [1, 1, 0], 'returnIndices': True})
case('maxPool3d dilation [2,1,2], ceilMode, indices', 'maxPool3d', mp3, {'x': distinct(1, 1, 6, 5, 7)},
     {'k': [2, 2, 2], 'stride': 2, 'padding': [1, 0, 1], 'dilation': [2, 1, 2], 'ceilMode': True, 'returnIndices': True})
case('maxPool3d returnIndices with ties (first in window order)', 'maxPool3d', mp3, {'x': ties(1, 2, 4, 4, 4)},
     {'k': 2, 'stride': 1, 'returnIndices': True})
case('maxPool3d ceilMode, unbatched', 'maxPool3d', mp3, {'x': distinct(2, 5, 4, 5)}, {'k': [2, 3, 2], 'stride': 2, 'ceilMode': True})
case('avgPool3d ceilMode with padding (windows past the right padding clipped)', 'avgPool3d', ap3, {'x': r(1, 2, 5, 6, 5)},
     {'k': 3, 'stride': 2, 'padding': 1, 'ceilMode': True})
case('avgPool3d countIncludePad false with padding', 'avgPool3d', ap3, {'x': r(2, 1, 4, 5, 4)},
     {'k': [2, 3, 2], 'stride': [2, 2, 1], 'padding': [1, 1, 1], 'countIncludePad': False})
case('avgPool3d divisorOverride 5, ceilMode', 'avgPool3d', ap3, {'x': r(1, 2, 5, 5, 5)},
     {'k': 2, 'ceilMode': True, 'divisorOverride': 5})
case('avgPool3d ceilMode, countIncludePad false, unbatched', 'avgPool3d', ap3, {'x': r(2, 5, 5, 4)},
     {'k': [3, 2, 3], 'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False})


# ---- unpooling: the values and indices of a max pool in, as constants for the indices
def unpool(fn):
    return lambda i, p: fn(i['x'], i['indices'], p['k'], stride=p.get('stride'), padding=p.get('padding', 0),
                           output_size=p.get('outputSize'))


def unpool_case(name, op, pool_fn, unpool_fn, x, p, pool_p):
    y, ind = pool_fn(x, p['k'], return_indices=True, **py(pool_p))
    case(name, op, unpool(unpool_fn), {'x': y.detach(), 'indices': ind}, p)


unpool_case('maxUnpool2d default output size', 'maxUnpool2d', F.max_pool2d, F.max_unpool2d, distinct(2, 2, 4, 6), {'k': 2}, {})
unpool_case('maxUnpool2d outputSize [5,5] after a floor-mode pool', 'maxUnpool2d', F.max_pool2d, F.max_unpool2d,
            distinct(1, 2, 5, 5), {'k': 2, 'stride': 2, 'outputSize': [5, 5]}, {'stride': 2})
unpool_case('maxUnpool2d outputSize with N and C, stride 1 padding 1 (repeated indices)', 'maxUnpool2d', F.max_pool2d, F.max_unpool2d,
            distinct(1, 1, 4, 4), {'k': 3, 'stride': 1, 'padding': 1, 'outputSize': [1, 1, 4, 4]}, {'stride': 1, 'padding': 1})
unpool_case('maxUnpool2d after a ceil-mode pool, outputSize', 'maxUnpool2d', F.max_pool2d, F.max_unpool2d,
            distinct(1, 2, 5, 7), {'k': 2, 'stride': 2, 'outputSize': [5, 7]}, {'stride': 2, 'ceilMode': True})
unpool_case('maxUnpool2d unbatched', 'maxUnpool2d', F.max_pool2d, F.max_unpool2d, distinct(3, 4, 4), {'k': 2}, {})
unpool_case('maxUnpool1d outputSize [9]', 'maxUnpool1d', F.max_pool1d, F.max_unpool1d, distinct(2, 2, 9),
            {'k': 3, 'stride': 2, 'padding': 1, 'outputSize': [9]}, {'stride': 2, 'padding': 1})
unpool_case('maxUnpool3d default output size', 'maxUnpool3d', F.max_pool3d, F.max_unpool3d, distinct(1, 2, 4, 4, 6), {'k': 2}, {})
unpool_case('maxUnpool3d outputSize [5,5,5]', 'maxUnpool3d', F.max_pool3d, F.max_unpool3d, distinct(1, 1, 5, 5, 5),
            {'k': 2, 'stride': 2, 'outputSize': [5, 5, 5]}, {'stride': 2})

# ---- second order (gradient of a squared pool, Hessian-vector product)
hvp('maxPool2d ceilMode with indices, second order', 'maxPool2dSquared',
    lambda i, p: (F.max_pool2d(i['x'], 3, stride=2, padding=1, ceil_mode=True) ** 2).sum(), {'x': distinct(1, 2, 6, 6)})
hvp('avgPool2d ceilMode, countIncludePad false, second order', 'avgPool2dSquared',
    lambda i, p: (F.avg_pool2d(i['x'], 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False) ** 2).sum(), {'x': r(1, 2, 6, 6)})
hvp('maxPool3d ceilMode, second order', 'maxPool3dSquared',
    lambda i, p: (F.max_pool3d(i['x'], 2, ceil_mode=True) ** 2).sum(), {'x': distinct(1, 1, 3, 5, 5)})
hvp('avgPool3d divisorOverride, ceilMode, second order', 'avgPool3dSquared',
    lambda i, p: (F.avg_pool3d(i['x'], 2, ceil_mode=True, divisor_override=3) ** 2).sum(), {'x': r(1, 1, 3, 5, 5)})


# ---- modules
def module(name, layer, ctor, kwargs, x, extra=()):
    """Records the module's output(s) for input x (and extra forward arguments) and the input gradient."""
    m = getattr(nn, layer)(*ctor, **kwargs)
    x = x.clone().requires_grad_(True)
    out = m(x, *extra)
    outs = list(out) if isinstance(out, tuple) else [out]
    up = r(*outs[0].shape, decimals=2)
    (g,) = torch.autograd.grad(outs[0], [x], up)
    cases.append({
        'name': name, 'kind': 'module', 'layer': layer, 'ctor': list(ctor), 'kwargs': kwargs,
        'state': {k: enc(v, exact=True) for k, v in m.state_dict().items()},
        'input': enc(x, exact=True), 'extra': [enc(e, exact=True) if isinstance(e, torch.Tensor) else e for e in extra],
        'out': [enc(o) for o in outs], 'upstream': enc(up, exact=True), 'grads': {'input': enc(g)},
    })


module('MaxPool2d ceil_mode, return_indices', 'MaxPool2d', [3], {'stride': 2, 'padding': 1, 'ceil_mode': True, 'return_indices': True},
       distinct(2, 2, 6, 8))
module('AvgPool2d ceil_mode, count_include_pad False', 'AvgPool2d', [3], {'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': False},
       r(1, 3, 6, 7))
module('AvgPool2d divisor_override', 'AvgPool2d', [[2, 3]], {'stride': [2, 1], 'divisor_override': 4}, r(1, 2, 5, 6))
module('MaxPool1d ceil_mode, return_indices', 'MaxPool1d', [2], {'stride': 2, 'ceil_mode': True, 'return_indices': True}, distinct(2, 3, 7))
module('AvgPool1d ceil_mode, count_include_pad False', 'AvgPool1d', [3], {'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': False},
       r(2, 2, 8))
module('MaxPool3d ceil_mode, return_indices, dilation', 'MaxPool3d', [2],
       {'stride': 2, 'padding': 1, 'dilation': [1, 2, 1], 'ceil_mode': True, 'return_indices': True}, distinct(1, 2, 5, 6, 5))
module('AvgPool3d ceil_mode, count_include_pad False, divisor_override', 'AvgPool3d', [3],
       {'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': False, 'divisor_override': 7}, r(1, 2, 5, 5, 6))
y2, i2 = F.max_pool2d(distinct(1, 2, 5, 5), 2, return_indices=True)
module('MaxUnpool2d with output_size', 'MaxUnpool2d', [2], {}, y2, (i2, [5, 5]))
y1, i1 = F.max_pool1d(distinct(2, 2, 8), 2, return_indices=True)
module('MaxUnpool1d default output size', 'MaxUnpool1d', [2], {}, y1, (i1,))
y3, i3 = F.max_pool3d(distinct(1, 1, 4, 5, 4), 2, stride=2, return_indices=True)
module('MaxUnpool3d with output_size [1,1,4,5,4]', 'MaxUnpool3d', [2], {'stride': 2}, y3, (i3, [1, 1, 4, 5, 4]))

write('nn-pool-options', cases)
