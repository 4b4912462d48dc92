"""PyTorch fixtures for the small layers of issue 18's leftovers (Bilinear, ...).

Writes test/fixtures/torch/nn-small.json, read by test/torch-parity-small.test.ts. Each case builds
a PyTorch module in float64 with a fixed seed and stores its state dict (by PyTorch's key names),
the inputs, the output, a fixed upstream gradient and the gradients of every input and parameter.
Only deterministic cases (dropouts in eval mode).
Run: /usr/bin/python3 scripts/torch-fixtures/nn_small.py
"""
import torch
import torch.nn as nn

from common import enc, r, write

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
cases = []


def module(name, layer, ctor, kwargs, x_shapes, train=True):
    """Records a module's state dict, output, and input/parameter gradients for a random upstream."""
    m = getattr(nn, layer)(*ctor, **kwargs)
    m.train(train)
    xs = [r(*s).requires_grad_(True) for s in x_shapes]
    y = m(*xs)
    up = r(*y.shape, decimals=2)
    params = dict(m.named_parameters())
    grads = torch.autograd.grad(y, [*xs, *params.values()], up)
    cases.append({
        'name': name, 'layer': layer, 'ctor': list(ctor), 'kwargs': kwargs, 'train': train,
        'state': {k: enc(v, exact=True) for k, v in m.state_dict().items()},
        'inputs': [enc(x, exact=True) for x in xs], 'out': enc(y), 'upstream': enc(up, exact=True),
        'grads': {**{f'input{i}': enc(g) for i, g in enumerate(grads[:len(xs)])},
                  **{k: enc(g) for k, g in zip(params, grads[len(xs):])}},
    })


module('Bilinear plain', 'Bilinear', [3, 4, 5], {}, [[6, 3], [6, 4]])
module('Bilinear extra dims, no bias', 'Bilinear', [2, 3, 4], {'bias': False}, [[2, 3, 2], [2, 3, 3]])
module('Bilinear one output', 'Bilinear', [4, 2, 1], {}, [[5, 4], [5, 2]])

module('Conv3d plain', 'Conv3d', [2, 3, 3], {}, [[2, 2, 4, 5, 4]])
module('Conv3d stride [2,1,2], padding [1,0,2], dilation [1,2,1], groups 2', 'Conv3d', [4, 2, [2, 3, 2]],
       {'stride': [2, 1, 2], 'padding': [1, 0, 2], 'dilation': [1, 2, 1], 'groups': 2}, [[1, 4, 5, 6, 4]])
module("Conv3d padding 'same' with an even kernel, no bias", 'Conv3d', [2, 2, [2, 3, 4]], {'padding': 'same', 'bias': False}, [[1, 2, 3, 4, 5]])
module("Conv3d padding 'valid', unbatched input", 'Conv3d', [3, 2, 2], {'padding': 'valid'}, [[3, 3, 4, 3]])
module('MaxPool3d kernel [2,3,2], stride [1,2,2], padding [1,1,0]', 'MaxPool3d', [[2, 3, 2]], {'stride': [1, 2, 2], 'padding': [1, 1, 0]}, [[2, 2, 4, 5, 4]])
module('MaxPool3d kernel 2, unbatched', 'MaxPool3d', [2], {}, [[3, 4, 4, 5]])
module('AvgPool3d kernel [3,2,2], stride [2,1,2], padding 1', 'AvgPool3d', [[3, 2, 2]], {'stride': [2, 1, 2], 'padding': 1}, [[2, 2, 5, 4, 4]])
module('AvgPool3d kernel 2', 'AvgPool3d', [2], {}, [[1, 3, 4, 4, 6]])

# The dropouts in evaluation mode only (training draws from PyTorch's generator, not comparable).
module('Dropout3d eval', 'Dropout3d', [0.4], {}, [[2, 3, 2, 2, 3]], train=False)
module('AlphaDropout eval', 'AlphaDropout', [0.3], {}, [[4, 5]], train=False)
module('FeatureAlphaDropout eval', 'FeatureAlphaDropout', [0.3], {}, [[2, 3, 4]], train=False)

write('nn-small', cases)
