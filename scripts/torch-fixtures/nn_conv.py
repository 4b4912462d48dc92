"""PyTorch fixtures for the convolution and resampling layers (issue 18).

Writes test/fixtures/torch/nn-conv.json, read by test/torch-parity-conv.test.ts. Two kinds of case:
'module' builds a PyTorch module in float64 with a fixed seed and stores its state dict (by
PyTorch's key names), an input, the output, a fixed upstream gradient and the gradients of the
input and of every parameter; 'vjp' records a functional op (see common.recorders).
Run: /usr/bin/python3 scripts/torch-fixtures/nn_conv.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import enc, r, recorders, write

torch.manual_seed(0)
cases = []
case, _ = recorders(cases)


def module(name, layer, ctor, kwargs, x_shape):
    """Records a module's state dict, output, and input/parameter gradients for a random upstream."""
    m = getattr(nn, layer)(*ctor, **kwargs)
    x = r(*x_shape).requires_grad_(True)
    y = m(x)
    up = r(*y.shape, decimals=2)
    params = dict(m.named_parameters())
    grads = torch.autograd.grad(y, [x, *params.values()], up)
    cases.append({
        'name': name, 'kind': 'module', 'layer': layer, 'ctor': list(ctor), 'kwargs': kwargs,
        'state': {k: enc(v, exact=True) for k, v in m.state_dict().items()},
        'input': enc(x, exact=True), 'out': enc(y), 'upstream': enc(up, exact=True),
        'grads': {'input': enc(grads[0]), **{k: enc(g) for k, g in zip(params, grads[1:])}},
    })


# ConvTranspose2d
module('ConvTranspose2d plain', 'ConvTranspose2d', [3, 4, 3], {}, [2, 3, 5, 4])
module('ConvTranspose2d stride 2', 'ConvTranspose2d', [3, 4, 3], {'stride': 2}, [2, 3, 4, 5])
module('ConvTranspose2d stride 2, padding 1, outputPadding 1', 'ConvTranspose2d', [2, 3, 3],
       {'stride': 2, 'padding': 1, 'output_padding': 1}, [1, 2, 4, 4])
module('ConvTranspose2d groups 2, no bias', 'ConvTranspose2d', [4, 6, 2], {'groups': 2, 'bias': False}, [2, 4, 3, 3])
module('ConvTranspose2d dilation 2', 'ConvTranspose2d', [2, 3, 3], {'dilation': 2}, [1, 2, 4, 3])
module('ConvTranspose2d everything: stride [2,3], padding [1,2], outputPadding [1,2], dilation [2,1], groups 2',
       'ConvTranspose2d', [4, 2, [3, 2]],
       {'stride': [2, 3], 'padding': [1, 2], 'output_padding': [1, 2], 'dilation': [2, 1], 'groups': 2}, [2, 4, 3, 4])
module('ConvTranspose2d padding larger than dilation*(k-1) crops', 'ConvTranspose2d', [2, 2, 2],
       {'stride': 3, 'padding': 2}, [1, 2, 3, 3])
module('ConvTranspose2d unbatched input', 'ConvTranspose2d', [2, 3, 2], {'stride': 2}, [2, 3, 3])
module('ConvTranspose1d stride 2, padding 1, outputPadding 1, groups 2', 'ConvTranspose1d', [4, 2, 3],
       {'stride': 2, 'padding': 1, 'output_padding': 1, 'groups': 2}, [2, 4, 5])
module('ConvTranspose1d dilation 3', 'ConvTranspose1d', [2, 3, 2], {'dilation': 3}, [1, 2, 6])

# Conv2d padding modes and 'same'
module("Conv2d padding 'same'", 'Conv2d', [2, 3, 3], {'padding': 'same'}, [2, 2, 5, 6])
module("Conv2d padding 'same' with an even kernel (asymmetric)", 'Conv2d', [2, 3, [4, 3]], {'padding': 'same', 'dilation': [1, 2]}, [1, 2, 6, 7])
module("Conv2d padding 'valid'", 'Conv2d', [2, 3, 3], {'padding': 'valid'}, [1, 2, 5, 5])
for mode in ['reflect', 'replicate', 'circular']:
    module(f'Conv2d paddingMode {mode}, padding [1,2]', 'Conv2d', [2, 3, 3], {'padding': [1, 2], 'padding_mode': mode}, [2, 2, 4, 5])
    module(f"Conv2d paddingMode {mode}, padding 'same', stride 1, groups 2", 'Conv2d', [2, 4, 3],
           {'padding': 'same', 'padding_mode': mode, 'groups': 2}, [1, 2, 5, 4])
module('Conv2d paddingMode circular with stride 2', 'Conv2d', [2, 3, 3], {'padding': 1, 'stride': 2, 'padding_mode': 'circular'}, [1, 2, 6, 5])

# Conv1d
module('Conv1d plain', 'Conv1d', [3, 4, 3], {}, [2, 3, 8])
module('Conv1d stride 2, padding 1, dilation 2, groups', 'Conv1d', [4, 2, 3], {'stride': 2, 'padding': 1, 'dilation': 2, 'groups': 2}, [2, 4, 9])
module("Conv1d padding 'same' with an even kernel", 'Conv1d', [2, 3, 4], {'padding': 'same'}, [1, 2, 7])
module("Conv1d paddingMode reflect", 'Conv1d', [2, 3, 3], {'padding': 2, 'padding_mode': 'reflect'}, [2, 2, 6])
module("Conv1d paddingMode circular", "Conv1d", [2, 3, 3], {"padding": 1, "padding_mode": "circular"}, [1, 2, 6])

# F.pad
for mode in ['constant', 'reflect', 'replicate', 'circular']:
    case(f'pad {mode}, last dim of a 3-D input', 'pad', lambda i, p: F.pad(i['x'], p['pad'], mode=p['mode']),
         {'x': r(2, 3, 5)}, {'pad': [2, 1], 'mode': mode})
    case(f'pad {mode}, last two dims of a 4-D input', 'pad', lambda i, p: F.pad(i['x'], p['pad'], mode=p['mode']),
         {'x': r(1, 2, 4, 5)}, {'pad': [1, 3, 2, 0], 'mode': mode})
    case(f'pad {mode}, last three dims of a 5-D input', 'pad', lambda i, p: F.pad(i['x'], p['pad'], mode=p['mode']),
         {'x': r(1, 2, 3, 4, 3)}, {'pad': [1, 1, 2, 1, 0, 2], 'mode': mode})
    case(f'pad {mode} with negative padding (crops)', 'pad', lambda i, p: F.pad(i['x'], p['pad'], mode=p['mode']),
         {'x': r(1, 2, 4, 5)}, {'pad': [-1, 2, 1, -2], 'mode': mode})
case('pad constant with value 2.5 over four dims', 'pad', lambda i, p: F.pad(i['x'], p['pad'], value=p['value']),
     {'x': r(2, 2, 3, 2)}, {'pad': [1, 0, 0, 1, 2, 2, 1, 1], 'value': 2.5})

# Adaptive pools (PyTorch's windows [floor(i L / out), ceil((i + 1) L / out)))
case('adaptiveAvgPool1d 7 -> 3', 'adaptiveAvgPool1d', lambda i, p: F.adaptive_avg_pool1d(i['x'], p['out']), {'x': r(2, 3, 7)}, {'out': 3})
case('adaptiveAvgPool1d 3 -> 5 (overlapping windows)', 'adaptiveAvgPool1d', lambda i, p: F.adaptive_avg_pool1d(i['x'], p['out']), {'x': r(1, 2, 3)}, {'out': 5})
case('adaptiveAvgPool2d [7,9] -> [3,4]', 'adaptiveAvgPool2d', lambda i, p: F.adaptive_avg_pool2d(i['x'], p['out']), {'x': r(2, 2, 7, 9)}, {'out': [3, 4]})
case('adaptiveAvgPool2d unbatched -> 1', 'adaptiveAvgPool2d', lambda i, p: F.adaptive_avg_pool2d(i['x'], p['out']), {'x': r(3, 5, 4)}, {'out': 1})
case('adaptiveMaxPool1d 10 -> 4', 'adaptiveMaxPool1d', lambda i, p: F.adaptive_max_pool1d(i['x'], p['out']), {'x': r(2, 3, 10)}, {'out': 4})
case('adaptiveMaxPool2d [6,7] -> [4,3]', 'adaptiveMaxPool2d', lambda i, p: F.adaptive_max_pool2d(i['x'], p['out']), {'x': r(2, 2, 6, 7)}, {'out': [4, 3]})
case('adaptiveMaxPool2d [5,5] -> [5,2]', 'adaptiveMaxPool2d', lambda i, p: F.adaptive_max_pool2d(i['x'], p['out']), {'x': r(1, 2, 5, 5)}, {'out': [5, 2]})

# interpolate
def interp(i, p):
    return F.interpolate(i['x'], size=p.get('size'), scale_factor=p.get('scaleFactor'), mode=p['mode'],
                         align_corners=p.get('alignCorners'), recompute_scale_factor=p.get('recomputeScaleFactor'))

for mode, shape in [('nearest', (2, 2, 5)), ('nearest', (1, 2, 4, 5)), ('linear', (2, 2, 5)), ('bilinear', (1, 2, 4, 5)), ('area', (1, 2, 7, 5))]:
    nd = len(shape) - 2
    for size in [[7, 3][:nd], [9, 11][:nd]]:
        case(f'interpolate {mode} {list(shape)} to size {size}', 'interpolate', interp, {'x': r(*shape)}, {'size': size, 'mode': mode})
    for sf in [[2.0, 2.0][:nd], [1.7, 0.6][:nd]]:
        case(f'interpolate {mode} {list(shape)} by scaleFactor {sf}', 'interpolate', interp, {'x': r(*shape)}, {'scaleFactor': sf, 'mode': mode})
    if mode in ('linear', 'bilinear'):
        for size in [[7, 3][:nd], [1, 1][:nd]]:
            case(f'interpolate {mode} {list(shape)} to size {size} with alignCorners', 'interpolate', interp, {'x': r(*shape)},
                 {'size': size, 'mode': mode, 'alignCorners': True})
        case(f'interpolate {mode} by scaleFactor 1.7 with alignCorners', 'interpolate', interp, {'x': r(*shape)},
             {'scaleFactor': 1.7, 'mode': mode, 'alignCorners': True})
        case(f'interpolate {mode} by scaleFactor 1.7, recomputeScaleFactor', 'interpolate', interp, {'x': r(*shape)},
             {'scaleFactor': 1.7, 'mode': mode, 'recomputeScaleFactor': True})

# pixel (un)shuffle
case('pixelShuffle r=2 of a 5-D input', 'pixelShuffle', lambda i, p: F.pixel_shuffle(i['x'], p['r']), {'x': r(2, 1, 8, 2, 3)}, {'r': 2})
case('pixelShuffle r=3', 'pixelShuffle', lambda i, p: F.pixel_shuffle(i['x'], p['r']), {'x': r(1, 9, 2, 2)}, {'r': 3})
case('pixelUnshuffle r=2', 'pixelUnshuffle', lambda i, p: F.pixel_unshuffle(i['x'], p['r']), {'x': r(2, 3, 4, 6)}, {'r': 2})

# 1-d pools, distances
case('maxPool1d k3 stride 2 padding 1 dilation 2', 'maxPool1d', lambda i, p: F.max_pool1d(i['x'], 3, stride=2, padding=1, dilation=2), {'x': r(2, 3, 11)})
case('avgPool1d k3 stride 2 padding 1', 'avgPool1d', lambda i, p: F.avg_pool1d(i['x'], 3, stride=2, padding=1), {'x': r(2, 3, 10)})
case('cosineSimilarity dim 1 with broadcasting', 'cosineSimilarity', lambda i, p: F.cosine_similarity(i['a'], i['b'], dim=1), {'a': r(4, 5), 'b': r(1, 5)}, {'dim': 1})
case('cosineSimilarity dim -1 of 3-D inputs', 'cosineSimilarity', lambda i, p: F.cosine_similarity(i['a'], i['b'], dim=-1), {'a': r(2, 3, 4), 'b': r(2, 3, 4)}, {'dim': -1})
case('pairwiseDistance p=2', 'pairwiseDistance', lambda i, p: F.pairwise_distance(i['a'], i['b']), {'a': r(4, 5), 'b': r(4, 5)})
case('pairwiseDistance p=1 keepdim', 'pairwiseDistance', lambda i, p: F.pairwise_distance(i['a'], i['b'], p=1.0, keepdim=True), {'a': r(4, 5), 'b': r(4, 5)}, {'p': 1, 'keepdim': True})

# fold / unfold
case('unfold k[2,3] stride 2 padding 1 dilation [1,2]', 'unfold', lambda i, p: F.unfold(i['x'], [2, 3], dilation=[1, 2], padding=1, stride=2), {'x': r(2, 3, 5, 6)})
case('fold k[2,3] stride 2 padding 1 dilation [1,2] into [5,6]', 'fold', lambda i, p: F.fold(i['x'], [5, 6], [2, 3], dilation=[1, 2], padding=1, stride=2), {'x': r(2, 18, 6)})
case('fold overlapping blocks k3 stride 1 into [4,5]', 'fold', lambda i, p: F.fold(i['x'], [4, 5], 3), {'x': r(1, 18, 6)})

# bicubic
for size in [[7, 3], [9, 11], [1, 1]]:
    for ac in [False, True]:
        case(f'interpolate bicubic [1,2,4,5] to size {size}, alignCorners {ac}', 'interpolate', interp, {'x': r(1, 2, 4, 5)},
             {'size': size, 'mode': 'bicubic', 'alignCorners': ac})
case('interpolate bicubic by scaleFactor [1.7, 0.6]', 'interpolate', interp, {'x': r(1, 2, 4, 5)}, {'scaleFactor': [1.7, 0.6], 'mode': 'bicubic'})

write('nn-conv', cases)
