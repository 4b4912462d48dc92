"""Reference values of @tapegrad/nn's normalization layers and functions from PyTorch, for
test/torch-parity-norm.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch), float64, seed 0. Regenerate from the
repository root with:

    /usr/bin/python3 scripts/torch-fixtures/nn_norm.py

which rewrites test/fixtures/torch/nn-norm.json. Two kinds of case:

- "module": a layer (LayerNorm, RMSNorm, GroupNorm, InstanceNorm1d/2d, BatchNorm1d/2d,
  LocalResponseNorm) built with the tapegrad options `options`, its state_dict with non-trivial
  values (by PyTorch's keys: weight, bias, running_mean, running_var, num_batches_tracked), then
  `steps`: per step the mode (train/eval), the input, the output, the gradients of a fixed
  upstream w.r.t. the input and each parameter (by key), and the buffers after the step.
- "vjp" / "hvp": the functions F.layerNorm, F.rmsNorm, F.groupNorm, F.instanceNorm,
  F.localResponseNorm and F.normalize, in the format of core.py (see common.recorders).

torch 1.13 has no RMSNorm and no LayerNorm(bias=False): RMSNorm is written here as PyTorch 2.4's
nn.RMSNorm computes it (x * rsqrt(mean(x^2) + eps) * weight, eps None = finfo(dtype).eps), and the
bias-free LayerNorm is a LayerNorm whose bias is set to None (as 2.1's bias=False registers it).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import enc, r, recorders, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)


def rms_norm(x, normalized_shape, weight=None, eps=None):
    """PyTorch 2.4's F.rms_norm (torch/nn/functional.py via aten's composite rms_norm)."""
    dims = tuple(range(-len(normalized_shape), 0))
    if eps is None:
        eps = torch.finfo(x.dtype).eps
    y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
    return y * weight if weight is not None else y


class RMSNorm(nn.Module):
    """PyTorch 2.4's nn.RMSNorm (weight init 1, no bias)."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        if elementwise_affine:
            self.weight = nn.Parameter(torch.ones(self.normalized_shape))
        else:
            self.register_parameter('weight', None)

    def forward(self, x):
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)


def layer_norm_module(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True):
    m = nn.LayerNorm(normalized_shape, eps=eps, elementwise_affine=elementwise_affine)
    if elementwise_affine and not bias:
        m.bias = None
    return m


def randomize(m):
    """Non-trivial parameters and running statistics (positive variances, a batch count)."""
    with torch.no_grad():
        for k, v in m.state_dict().items():
            if k.endswith('running_var'):
                v.copy_(torch.rand(v.shape) + 0.5)
            elif k.endswith('num_batches_tracked'):
                v.fill_(3)
            elif v.is_floating_point():
                v.copy_(r(*v.shape))


def module_case(name, layer, args, options, m, steps, randomize_state=True):
    """Records `steps`: a list of (mode, input) run one after the other on module m."""
    if randomize_state:
        randomize(m)
    state = {k: enc(v, exact=True) for k, v in m.state_dict().items()}
    params = dict(m.named_parameters())
    out_steps = []
    for mode, x in steps:
        m.train(mode == 'train')
        xg = x.clone().requires_grad_(True)
        y = m(xg)
        up = r(*y.shape, decimals=2)
        names = list(params)
        grads = torch.autograd.grad(y, [xg] + [params[k] for k in names], up, allow_unused=True)
        out_steps.append({
            'mode': mode, 'input': enc(x, exact=True), 'out': enc(y), 'upstream': enc(up, exact=True),
            'grads': {k: enc(g if g is not None else torch.zeros_like(v))
                      for k, g, v in zip(['input'] + names, grads, [xg] + [params[k] for k in names])},
            'buffers': {k: enc(v) for k, v in m.state_dict().items() if k not in params},
        })
    cases.append({'name': name, 'kind': 'module', 'layer': layer, 'args': args, 'options': options,
                  'state': state, 'steps': out_steps})


# ------------------------------------------------------------------ LayerNorm
module_case('LayerNorm over the last dim', 'LayerNorm', [5], {},
            nn.LayerNorm(5), [('train', r(3, 4, 5, scale=2) + 1), ('eval', r(2, 5))])
module_case('LayerNorm over the last two dims with eps 1e-3', 'LayerNorm', [[3, 4]], {'eps': 1e-3},
            nn.LayerNorm([3, 4], eps=1e-3), [('train', r(2, 3, 4))])
module_case('LayerNorm without bias', 'LayerNorm', [4], {'bias': False},
            layer_norm_module(4, bias=False), [('train', r(3, 4))])
module_case('LayerNorm without elementwise affine', 'LayerNorm', [6], {'elementwiseAffine': False},
            nn.LayerNorm(6, elementwise_affine=False), [('train', r(2, 6, scale=3))])

# ------------------------------------------------------------------ RMSNorm
module_case('RMSNorm with the default eps (float64 machine epsilon)', 'RMSNorm', [5], {},
            RMSNorm(5), [('train', r(3, 5))])
module_case('RMSNorm over the last two dims with eps 1e-6', 'RMSNorm', [[2, 3]], {'eps': 1e-6},
            RMSNorm([2, 3], eps=1e-6), [('train', r(4, 2, 3))])
module_case('RMSNorm without elementwise affine', 'RMSNorm', [4], {'elementwiseAffine': False},
            RMSNorm(4, elementwise_affine=False), [('train', r(2, 3, 4))])

# ------------------------------------------------------------------ GroupNorm
module_case('GroupNorm with 2 groups of 3 channels on [N,C,H,W]', 'GroupNorm', [2, 6], {},
            nn.GroupNorm(2, 6), [('train', r(2, 6, 2, 3) * 2 - 1), ('eval', r(1, 6, 3, 2))])
module_case('GroupNorm with one group (a LayerNorm with per-channel affine) on [N,C,L]', 'GroupNorm', [1, 4],
            {'eps': 1e-3}, nn.GroupNorm(1, 4, eps=1e-3), [('train', r(3, 4, 5))])
module_case('GroupNorm with 2 groups on [N,C]', 'GroupNorm', [2, 4], {}, nn.GroupNorm(2, 4), [('train', r(5, 4))])
module_case('GroupNorm with a group per channel and no affine', 'GroupNorm', [4, 4], {'affine': False},
            nn.GroupNorm(4, 4, affine=False), [('train', r(2, 4, 3))])

# ------------------------------------------------------------------ InstanceNorm
module_case('InstanceNorm1d with defaults (no affine, no running statistics)', 'InstanceNorm1d', [3], {},
            nn.InstanceNorm1d(3), [('train', r(2, 3, 5)), ('eval', r(1, 3, 4))])
module_case('InstanceNorm1d on an unbatched [C,L] input with affine', 'InstanceNorm1d', [3], {'affine': True},
            nn.InstanceNorm1d(3, affine=True), [('train', r(3, 6))])
module_case('InstanceNorm2d with affine and running statistics: two training steps and an eval forward',
            'InstanceNorm2d', [2], {'affine': True, 'trackRunningStats': True, 'momentum': 0.3},
            nn.InstanceNorm2d(2, affine=True, track_running_stats=True, momentum=0.3),
            [('train', r(3, 2, 3, 2) + 1), ('train', r(2, 2, 2, 4)), ('eval', r(2, 2, 3, 3))])
module_case('InstanceNorm1d with running statistics and no affine (eval on an unbatched input)', 'InstanceNorm1d', [2],
            {'trackRunningStats': True}, nn.InstanceNorm1d(2, track_running_stats=True),
            [('train', r(4, 2, 3)), ('eval', r(2, 5))])

# ------------------------------------------------------------------ BatchNorm
module_case('BatchNorm1d with momentum 0.1: two training steps and an eval forward', 'BatchNorm1d', [3], {},
            nn.BatchNorm1d(3), [('train', r(6, 3) * 2 + 1), ('train', r(4, 3) - 0.5), ('eval', r(2, 3))])
module_case('BatchNorm1d with momentum null (cumulative average from a loaded count of 3)', 'BatchNorm1d', [2],
            {'momentum': None}, nn.BatchNorm1d(2, momentum=None),
            [('train', r(5, 2, 3)), ('train', r(3, 2, 2)), ('train', r(4, 2)), ('eval', r(2, 2, 3))])
module_case('BatchNorm2d with momentum null and no affine', 'BatchNorm2d', [2], {'momentum': None, 'affine': False},
            nn.BatchNorm2d(2, momentum=None, affine=False),
            [('train', r(2, 2, 3, 2)), ('train', r(3, 2, 2, 2)), ('eval', r(1, 2, 2, 2))])
module_case('BatchNorm2d with momentum 0.1 and eps 1e-3', 'BatchNorm2d', [3], {'eps': 1e-3},
            nn.BatchNorm2d(3, eps=1e-3), [('train', r(2, 3, 2, 2)), ('train', r(2, 3, 3, 1)), ('eval', r(2, 3, 2, 2))])
module_case('BatchNorm1d without running statistics: batch statistics in eval too', 'BatchNorm1d', [3],
            {'trackRunningStats': False}, nn.BatchNorm1d(3, track_running_stats=False),
            [('train', r(4, 3)), ('eval', r(5, 3, 2))])
module_case('BatchNorm2d on an empty batch: empty output, statistics unchanged but counted', 'BatchNorm2d', [2], {},
            nn.BatchNorm2d(2), [('train', torch.zeros(0, 2, 2, 2)), ('train', r(2, 2, 2, 2))])

# ------------------------------------------------------------------ LocalResponseNorm
module_case('LocalResponseNorm with size 3 on [N,C,H,W]', 'LocalResponseNorm', [3], {},
            nn.LocalResponseNorm(3), [('train', r(2, 5, 2, 3, scale=10))])
module_case('LocalResponseNorm with an even size 4 and alpha, beta, k set on [N,C,L]', 'LocalResponseNorm', [4],
            {'alpha': 0.5, 'beta': 0.6, 'k': 2}, nn.LocalResponseNorm(4, alpha=0.5, beta=0.6, k=2),
            [('train', r(2, 6, 3))])
module_case('LocalResponseNorm with a window wider than the channels on [N,C,D,H,W]', 'LocalResponseNorm', [7],
            {'alpha': 0.1}, nn.LocalResponseNorm(7, alpha=0.1), [('train', r(1, 3, 2, 2, 2))])


# ------------------------------------------------------------------ functions
def W(*shape):
    return r(*shape)


x = r(3, 4, 5)
case('layerNorm with weight and bias', 'layerNorm',
     lambda i, p: F.layer_norm(i['input'], p['normalizedShape'], i['weight'], i['bias'], p['eps']),
     {'input': x, 'weight': W(4, 5), 'bias': W(4, 5)}, {'normalizedShape': [4, 5], 'eps': 1e-5})
case('layerNorm without affine', 'layerNorm', lambda i, p: F.layer_norm(i['input'], p['normalizedShape'], eps=p['eps']),
     {'input': x}, {'normalizedShape': [5], 'eps': 0.1})
hvp('layerNorm second order (weighted sum of squares)', 'layerNormSq',
    lambda i, p: (F.layer_norm(i['input'], [4], i['weight'], i['bias']) ** 2 * torch.arange(1.0, 13).reshape(3, 4)).sum(),
    {'input': r(3, 4), 'weight': W(4), 'bias': W(4)})
case('rmsNorm with weight and the default eps', 'rmsNorm',
     lambda i, p: rms_norm(i['input'], p['normalizedShape'], i['weight']),
     {'input': x, 'weight': W(5)}, {'normalizedShape': [5]})
case('rmsNorm over two dims with eps 0.01', 'rmsNorm', lambda i, p: rms_norm(i['input'], p['normalizedShape'], eps=p['eps']),
     {'input': x}, {'normalizedShape': [4, 5], 'eps': 0.01})
hvp('rmsNorm second order', 'rmsNormSq',
    lambda i, p: (rms_norm(i['input'], [4], i['weight'], 1e-3) ** 2 * torch.arange(1.0, 13).reshape(3, 4)).sum(),
    {'input': r(3, 4), 'weight': W(4)})
case('groupNorm with weight and bias', 'groupNorm',
     lambda i, p: F.group_norm(i['input'], p['numGroups'], i['weight'], i['bias'], p['eps']),
     {'input': r(2, 6, 3), 'weight': W(6), 'bias': W(6)}, {'numGroups': 3, 'eps': 1e-5})
case('groupNorm on [N,C,H,W] without affine', 'groupNorm', lambda i, p: F.group_norm(i['input'], p['numGroups'], eps=p['eps']),
     {'input': r(2, 4, 2, 3)}, {'numGroups': 2, 'eps': 1e-3})
hvp('groupNorm second order', 'groupNormSq',
    lambda i, p: (F.group_norm(i['input'], 2, i['weight'], i['bias']) ** 2 * torch.arange(1.0, 25).reshape(2, 4, 3)).sum(),
    {'input': r(2, 4, 3), 'weight': W(4), 'bias': W(4)})
case('instanceNorm with weight and bias', 'instanceNorm',
     lambda i, p: F.instance_norm(i['input'], weight=i['weight'], bias=i['bias'], eps=p['eps']),
     {'input': r(2, 3, 4), 'weight': W(3), 'bias': W(3)}, {'eps': 1e-5})
case('instanceNorm with running statistics and useInputStats false', 'instanceNormRunning',
     lambda i, p: F.instance_norm(i['input'], i['runningMean'], i['runningVar'], i['weight'], i['bias'],
                                  use_input_stats=False, eps=p['eps']),
     {'input': r(2, 3, 2, 2), 'runningMean': W(3), 'runningVar': torch.rand(3) + 0.5, 'weight': W(3), 'bias': W(3)},
     {'eps': 1e-3}, const=['runningMean', 'runningVar'])
hvp('instanceNorm second order', 'instanceNormSq',
    lambda i, p: (F.instance_norm(i['input'], weight=i['weight']) ** 2 * torch.arange(1.0, 25).reshape(2, 3, 4)).sum(),
    {'input': r(2, 3, 4), 'weight': W(3)})
for size, alpha, beta, k in [(2, 1e-4, 0.75, 1.0), (3, 0.3, 0.5, 1.5), (5, 1.0, 1.0, 0.5)]:
    case(f'localResponseNorm (size={size}, alpha={alpha}, beta={beta}, k={k})', 'localResponseNorm',
         lambda i, p: F.local_response_norm(i['input'], p['size'], p['alpha'], p['beta'], p['k']),
         {'input': r(2, 4, 3, scale=2)}, {'size': size, 'alpha': alpha, 'beta': beta, 'k': k})
hvp('localResponseNorm second order', 'localResponseNormSq',
    lambda i, p: (F.local_response_norm(i['input'], 3, 0.5, 0.75, 1.0) ** 2).sum(), {'input': r(2, 4, 3)})
xn = r(3, 4)
xn[1] = 0  # a zero vector: divided by eps, gradient 1/eps
for p_, dim in [(2, 1), (1, 1), (3, 0), (float('inf'), -1), (0.5, 1)]:
    inp = xn if p_ == 2 or p_ == 1 else r(3, 4)
    case(f'normalize (p={p_}, dim={dim})' + (' with a zero vector' if inp is xn else ''), 'normalize',
         lambda i, p: F.normalize(i['input'], p['p'] if p['p'] != 'inf' else float('inf'), p['dim']),
         {'input': inp}, {'p': 'inf' if p_ == float('inf') else p_, 'dim': dim})
case('normalize with eps 0.5 (norms below it are clamped)', 'normalize',
     lambda i, p: F.normalize(i['input'], 2, 1, p['eps']), {'input': r(3, 4) * 0.2}, {'p': 2, 'dim': 1, 'eps': 0.5})
hvp('normalize second order', 'normalizeSq',
    lambda i, p: (F.normalize(i['input'], 2, 1) * torch.arange(1.0, 13).reshape(3, 4)).sum() ** 2, {'input': r(3, 4)})

write('nn-norm', cases)
