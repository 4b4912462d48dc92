"""Reference values of @tapegrad/nn's activations and losses of issue 18 from PyTorch, for
test/torch-parity-actloss.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/nn_actloss.py

which rewrites test/fixtures/torch/nn-actloss.json. Cases use the format of core.py (inputs,
outputs, upstream gradient, gradients of the non-constant float inputs; "hvp" cases check second
derivatives); "modules" (in the file's extra key) store a layer's state_dict by PyTorch's key
names with an input, the output and the gradients of the input and of each parameter.

Inputs include the kinks of each activation (where the gradient is a convention: PyTorch's is
recorded) and logits of +-1000. Left out on purpose, where tapegrad differs from PyTorch 1.13:
- softshrink at NaN (PyTorch gives 0, tapegrad NaN);
- ELU-family (celu, selu) at |x| < 1e-8, where PyTorch computes exp(x) - 1 and tapegrad expm1(x);
- softMarginLoss at y x = -1000, where PyTorch's log1p(exp(-y x)) overflows to inf (NaN gradient)
  and tapegrad's softplus gives 1000 (packages/nn/test/actloss.test.ts checks that);
- poissonNllLoss with full=True and a target of 0 requiring grad (PyTorch's gradient is NaN).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import enc, idx, r, recorders, t, write

torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)
nan = float('nan')


REDUCTIONS = ['mean', 'sum', 'none']

# ------------------------------------------------------------------ activations
KINKS = t([-1000.0, -20.0, -7.0, -6.0, -3.0, -2.5, -2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.5, 3.0, 6.0,
           7.0, 20.0, 1000.0])
RAND = r(3, 5, scale=3)
WITH_NAN = t([nan, -1.0, 0.0, 2.0])

# name -> (torch function of (x, params), params variants)
ACT = {
    'relu6': (lambda x, p: F.relu6(x), [{}]),
    'hardtanh': (lambda x, p: F.hardtanh(x, p.get('minVal', -1.0), p.get('maxVal', 1.0)),
                 [{}, {'minVal': -2.0, 'maxVal': 0.5}]),
    'hardsigmoid': (lambda x, p: F.hardsigmoid(x), [{}]),
    'hardswish': (lambda x, p: F.hardswish(x), [{}]),
    'hardshrink': (lambda x, p: F.hardshrink(x, p['lambd']), [{'lambd': 0.5}, {'lambd': 1.0}]),
    'softshrink': (lambda x, p: F.softshrink(x, p['lambd']), [{'lambd': 0.5}, {'lambd': 1.0}]),
    'threshold': (lambda x, p: F.threshold(x, p['threshold'], p['value']),
                  [{'threshold': 0.5, 'value': -3.0}, {'threshold': -1.0, 'value': 7.0}]),
    'celu': (lambda x, p: F.celu(x, p['alpha']), [{'alpha': 1.0}, {'alpha': 2.0}, {'alpha': 0.5}]),
    'selu': (lambda x, p: F.selu(x), [{}]),
    'silu': (lambda x, p: F.silu(x), [{}]),
    'mish': (lambda x, p: F.mish(x), [{}]),
    'softsign': (lambda x, p: F.softsign(x), [{}]),
    'tanhshrink': (lambda x, p: F.tanhshrink(x), [{}]),
    'logsigmoid': (lambda x, p: F.logsigmoid(x), [{}]),
    'rrelu': (lambda x, p: F.rrelu(x, p.get('lower', 1 / 8), p.get('upper', 1 / 3), training=False),
              [{}, {'lower': 0.1, 'upper': 0.5}]),
}
NAN_OK = [k for k in ACT if k != 'softshrink']


def label(params):
    return '' if not params else ' (' + ', '.join(f'{k}={v}' for k, v in params.items()) + ')'


for name, (fn, variants) in ACT.items():
    for params in variants:
        f = (lambda fn: lambda i, p: fn(i['x'], p))(fn)
        case(f'{name}{label(params)} at its kinks and at +-1000', name, f, {'x': KINKS}, params)
        case(f'{name}{label(params)} on random values', name, f, {'x': RAND}, params)
        if name in NAN_OK:
            case(f'{name}{label(params)} at NaN', name, f, {'x': WITH_NAN}, params)

# Second derivatives of the smooth ones (away from the kinks).
SMOOTH_X = t([-4.0, -1.5, -0.3, 0.2, 1.1, 2.9, 5.0])
for name in ['celu', 'selu', 'silu', 'mish', 'softsign', 'tanhshrink', 'logsigmoid', 'hardswish']:
    fn, variants = ACT[name]
    params = variants[-1]
    hvp(f'sum({name}{label(params)}) second derivative', f'{name}Sum', (lambda fn: lambda i, p: fn(i['x'], p).sum())(fn),
        {'x': SMOOTH_X}, params)

g = r(4, 6)
for dim in [-1, 0, 1]:
    case(f'glu (dim={dim})', 'glu', lambda i, p: F.glu(i['x'], p['dim']), {'x': g}, {'dim': dim})
hvp('sum(glu(x)^2) second derivative', 'gluSquareSum', lambda i, p: (F.glu(i['x'], -1) ** 2).sum(), {'x': g})

sm = r(3, 4, scale=2)
sm[0] = t([1000.0, -1000.0, 0.0, 999.0])
for dim in [0, 1, -1]:
    case(f'softmin (dim={dim}) with logits of +-1000', 'softmin', lambda i, p: F.softmin(i['x'], p['dim']), {'x': sm}, {'dim': dim})
hvp('sum(softmin(x) * w) second derivative', 'softminWeightedSum',
    lambda i, p: (F.softmin(i['x'], 1) * i['w']).sum(), {'x': r(3, 4), 'w': r(3, 4)}, const=['w'])
for shape in [(2, 3, 2, 2), (3, 2, 2)]:
    case(f'softmax2d on {list(shape)}', 'softmax2d', lambda i, p: nn.Softmax2d()(i['x']), {'x': r(*shape, scale=2)})

px = r(2, 3, 4)
px[0, 0, :3] = t([0.0, -1000.0, 1000.0])
case('prelu with one weight per channel', 'prelu', lambda i, p: F.prelu(i['x'], i['weight']),
     {'x': px, 'weight': t([0.25, -0.5, 2.0])})
case('prelu with a single weight', 'prelu', lambda i, p: F.prelu(i['x'], i['weight']), {'x': px, 'weight': t([0.1])})
case('prelu on a 1-d input with a single weight', 'prelu', lambda i, p: F.prelu(i['x'], i['weight']),
     {'x': KINKS, 'weight': t([0.3])})

# ------------------------------------------------------------------ losses
def loss_case(name, op, fn, inputs, params, const=()):
    for red in REDUCTIONS:
        case(f'{name} (reduction={red})', op, fn, inputs, dict(params, reduction=red), const)


# The losses several cases below run.
def poisson_nll(i, p):
    return F.poisson_nll_loss(i['input'], i['target'], log_input=p['logInput'], full=p['full'], eps=p['eps'], reduction=p['reduction'])


def gaussian_nll(i, p):
    return F.gaussian_nll_loss(i['input'], i['target'], i['var'], full=p['full'], eps=p['eps'], reduction=p['reduction'])


def multi_margin(i, p):
    return F.multi_margin_loss(i['input'], i['target'], p=p['p'], margin=p['margin'], reduction=p['reduction'])


def margin_ranking(i, p):
    return F.margin_ranking_loss(i['input1'], i['input2'], i['target'], margin=p['margin'], reduction=p['reduction'])


def cosine_embedding(i, p):
    return F.cosine_embedding_loss(i['input1'], i['input2'], i['target'], margin=p['margin'], reduction=p['reduction'])


x, y = r(3, 4, scale=2), r(3, 4, scale=2)
y[0] = x[0] - t([1.0, -1.0, 0.5, 0.0])  # differences exactly at beta = 1 and 0.5, and 0
# With beta = 0, PyTorch gives both input and target the gradient -g at a zero difference (its
# backward takes `d <= -beta` with the arguments swapped for the target); tapegrad matches the
# input's and gives the target the opposite, so the target is constant there.
for beta in [1.0, 0.5, 0.0]:
    loss_case(f'smoothL1Loss (beta={beta}) with differences at beta', 'smoothL1Loss',
              lambda i, p: F.smooth_l1_loss(i['input'], i['target'], reduction=p['reduction'], beta=p['beta']),
              {'input': x, 'target': y}, {'beta': beta}, const=['target'] if beta == 0 else [])

sx = r(3, 4, scale=3)
sx[0] = t([0.0, 30.0, -30.0, 700.0])
sy = torch.where(torch.rand(3, 4) > 0.5, 1.0, -1.0).to(torch.float64)
sy[0] = t([1.0, 1.0, -1.0, 1.0])
loss_case('softMarginLoss', 'softMarginLoss', lambda i, p: F.soft_margin_loss(i['input'], i['target'], reduction=p['reduction']),
          {'input': sx, 'target': sy}, {}, const=['target'])

m1, m2 = r(6), r(6)
m2[0] = m1[0]  # -y (x1 - x2) + 0 = 0: the clamp's boundary
m2[1] = m1[1] - 0.5  # with margin 0.5 and y = 1: 0 again
my = t([1.0, 1.0, -1.0, 1.0, -1.0, -1.0])
for margin in [0.0, 0.5]:
    loss_case(f'marginRankingLoss (margin={margin})', 'marginRankingLoss', margin_ranking,
              {'input1': m1, 'input2': m2, 'target': my}, {'margin': margin}, const=['target'])
loss_case('marginRankingLoss broadcasting [3, 1] with [1, 4]', 'marginRankingLoss', margin_ranking,
          {'input1': r(3, 1), 'input2': r(1, 4), 'target': t([[1.0, -1.0, 1.0, -1.0]])}, {'margin': 0.1}, const=['target'])

hx = r(3, 4).abs()
hx[0] = t([1.0, 2.0, 0.0, 0.5])  # at margin 1 and 2
hy = torch.where(torch.rand(3, 4) > 0.5, 1.0, -1.0).to(torch.float64)
hy[0] = t([-1.0, -1.0, 1.0, 0.0])  # a label 0 gets both terms
for margin in [1.0, 2.0]:
    loss_case(f'hingeEmbeddingLoss (margin={margin})', 'hingeEmbeddingLoss',
              lambda i, p: F.hinge_embedding_loss(i['input'], i['target'], margin=p['margin'], reduction=p['reduction']),
              {'input': hx, 'target': hy}, {'margin': margin}, const=['target'])

c1, c2 = r(4, 5), r(4, 5)
c2[1] = c1[1] * 2  # cos = 1
cy = t([1.0, 1.0, -1.0, -1.0])
for margin in [0.0, 0.3]:
    loss_case(f'cosineEmbeddingLoss (margin={margin})', 'cosineEmbeddingLoss', cosine_embedding,
              {'input1': c1, 'input2': c2, 'target': cy}, {'margin': margin}, const=['target'])
loss_case('cosineEmbeddingLoss on 1-d inputs', 'cosineEmbeddingLoss', cosine_embedding,
          {'input1': r(5), 'input2': r(5), 'target': t(-1.0)}, {'margin': -0.5}, const=['target'])

mx = r(4, 5)
mx[0] = t([0.0, 1.0, 0.5, -0.5, 1.0])  # target 1: z = 1 - 1 + x_i is 0 at i = 0 (the hinge's kink)
mt = idx([1, 0, 4, 2])
mw = t([0.5, 1.0, 2.0, 1.5, 0.25])
for p_ in [1, 2]:
    for margin in [1.0, 0.5]:
        loss_case(f'multiMarginLoss (p={p_}, margin={margin})', 'multiMarginLoss', multi_margin,
                  {'input': mx, 'target': mt}, {'p': p_, 'margin': margin})
    loss_case(f'multiMarginLoss with a class weight (p={p_})', 'multiMarginLoss',
              lambda i, p: F.multi_margin_loss(i['input'], i['target'], p=p['p'], margin=p['margin'], weight=i['weight'], reduction=p['reduction']),
              {'input': mx, 'target': mt, 'weight': mw}, {'p': p_, 'margin': 1.0}, const=['weight'])
loss_case('multiMarginLoss on a 1-d input', 'multiMarginLoss', multi_margin,
          {'input': r(5), 'target': idx(3)}, {'p': 1, 'margin': 1.0})

lx = r(3, 5)
lx[0] = t([0.0, 1.0, 0.5, 2.0, -1.0])  # classes 3, 1: z = 1 - 1 + 0 = 0 at (j=1, i=0)
lt = idx([[3, 1, -1, 0, 2], [0, 1, 2, 3, 4], [2, 2, 4, -1, -1]])  # ended by -1; all classes; a repeated class
loss_case('multilabelMarginLoss', 'multilabelMarginLoss',
          lambda i, p: F.multilabel_margin_loss(i['input'], i['target'], reduction=p['reduction']), {'input': lx, 'target': lt}, {})
loss_case('multilabelMarginLoss on a 1-d input', 'multilabelMarginLoss',
          lambda i, p: F.multilabel_margin_loss(i['input'], i['target'], reduction=p['reduction']),
          {'input': r(4), 'target': idx([2, 0, -1, 1])}, {})

qx = r(3, 4, scale=2)
qx[0] = t([1000.0, -1000.0, 1000.0, -1000.0])
qy = (torch.rand(3, 4) > 0.5).to(torch.float64)
qy[0] = t([1.0, 0.0, 0.0, 1.0])
loss_case('multilabelSoftMarginLoss with logits of +-1000', 'multilabelSoftMarginLoss',
          lambda i, p: F.multilabel_soft_margin_loss(i['input'], i['target'], reduction=p['reduction']),
          {'input': qx, 'target': qy}, {}, const=['target'])
loss_case('multilabelSoftMarginLoss with a class weight', 'multilabelSoftMarginLoss',
          lambda i, p: F.multilabel_soft_margin_loss(i['input'], i['target'], weight=i['weight'], reduction=p['reduction']),
          {'input': qx, 'target': qy, 'weight': t([0.5, 2.0, 1.0, 0.0])}, {}, const=['target'])

pl = r(3, 4)
pr = (r(3, 4).abs() + 0.01)
pc = t([[0.0, 1.0, 2.0, 5.0], [0.0, 3.0, 1.0, 0.5], [7.0, 0.0, 2.0, 1.5]])
for log_input, inp in [(True, pl), (False, pr)]:
    for full in [False, True]:
        loss_case(f'poissonNllLoss (logInput={log_input}, full={full})', 'poissonNllLoss', poisson_nll,
                  {'input': inp, 'target': pc}, {'logInput': log_input, 'full': full, 'eps': 1e-8}, const=['target'])
loss_case('poissonNllLoss with targets > 0 requiring grad (full)', 'poissonNllLoss', poisson_nll,
          {'input': pl, 'target': pc + 0.25}, {'logInput': True, 'full': True, 'eps': 1e-8})
loss_case('poissonNllLoss (logInput=False, eps=0.1)', 'poissonNllLoss', poisson_nll,
          {'input': pr, 'target': pc}, {'logInput': False, 'full': False, 'eps': 0.1}, const=['target'])

gx, gy = r(4, 3), r(4, 3)
gv = r(4, 3).abs() + 0.1
gv[0, 0] = 1e-9  # clamped at eps; its gradient still flows
gv[0, 1] = 0.0
for full in [False, True]:
    loss_case(f'gaussianNllLoss (full={full}) with variances below eps', 'gaussianNllLoss', gaussian_nll,
              {'input': gx, 'target': gy, 'var': gv}, {'full': full, 'eps': 1e-6})
loss_case('gaussianNllLoss with one variance per sample, [4]', 'gaussianNllLoss', gaussian_nll,
          {'input': gx, 'target': gy, 'var': r(4).abs() + 0.5}, {'full': False, 'eps': 1e-6})
loss_case('gaussianNllLoss with one variance per sample, [4, 1], eps=0.5', 'gaussianNllLoss', gaussian_nll,
          {'input': gx, 'target': gy, 'var': r(4, 1).abs() + 0.2}, {'full': True, 'eps': 0.5})

ta, tp, tn = r(4, 5), r(4, 5), r(4, 5)
tn[0] = ta[0] + (tp[0] - ta[0]) * 1.5  # swap changes the negative distance here
for p_, margin, swap in [(2.0, 1.0, False), (1.0, 0.5, False), (3.0, 1.0, True), (2.0, 2.0, True)]:
    loss_case(f'tripletMarginLoss (p={p_}, margin={margin}, swap={swap})', 'tripletMarginLoss',
              lambda i, p: F.triplet_margin_loss(i['anchor'], i['positive'], i['negative'], margin=p['margin'], p=p['p'],
                                                 eps=p['eps'], swap=p['swap'], reduction=p['reduction']),
              {'anchor': ta, 'positive': tp, 'negative': tn}, {'p': p_, 'margin': margin, 'swap': swap, 'eps': 1e-6})
loss_case('tripletMarginLoss on 1-d inputs (eps=0.1)', 'tripletMarginLoss',
          lambda i, p: F.triplet_margin_loss(i['anchor'], i['positive'], i['negative'], margin=p['margin'], p=p['p'],
                                             eps=p['eps'], swap=p['swap'], reduction=p['reduction']),
          {'anchor': r(5), 'positive': r(5), 'negative': r(5)}, {'p': 2.0, 'margin': 1.0, 'swap': False, 'eps': 0.1})

# CTC: the input is logits through log_softmax, because PyTorch's ctc_loss backward returns the
# gradient for the logits under a log_softmax (not the true one for log_probs); composed, both agree.
def ctc(i, p):
    lp = F.log_softmax(i['logits'], 2)
    return F.ctc_loss(lp, i['targets'], i['inputLengths'], i['targetLengths'], blank=p['blank'],
                      reduction=p['reduction'], zero_infinity=p['zeroInfinity'])


cl = r(6, 3, 5, scale=2)
loss_case('ctcLoss with padded targets (a repeated label)', 'ctcLoss', ctc,
          {'logits': cl, 'targets': idx([[1, 1, 2], [3, 4, 0], [2, 0, 0]]), 'inputLengths': idx([6, 5, 3]),
           'targetLengths': idx([3, 2, 1])}, {'blank': 0, 'zeroInfinity': False})
loss_case('ctcLoss with concatenated targets and blank=4', 'ctcLoss', ctc,
          {'logits': cl, 'targets': idx([1, 3, 3, 0, 2]), 'inputLengths': idx([6, 4, 6]),
           'targetLengths': idx([2, 2, 1])}, {'blank': 4, 'zeroInfinity': False})
loss_case('ctcLoss with an empty target and an impossible one (zeroInfinity)', 'ctcLoss', ctc,
          {'logits': cl, 'targets': idx([[1, 1, 1], [2, 0, 0], [3, 0, 0]]), 'inputLengths': idx([4, 6, 6]),
           'targetLengths': idx([3, 0, 1])}, {'blank': 0, 'zeroInfinity': True})

# ------------------------------------------------------------------ modules with parameters
modules = []


def module_case(name, build, x):
    m = build()
    with torch.no_grad():
        for prm in m.parameters():
            prm.copy_(r(*prm.shape))
    x = x.clone().requires_grad_(True)
    out = m(x)
    up = r(*out.shape, decimals=2)
    grads = torch.autograd.grad(out, [x] + list(m.parameters()), up)
    modules.append({
        'name': name, 'state': {k: enc(v, exact=True) for k, v in m.state_dict().items()},
        'ctor': {'numParameters': m.num_parameters}, 'x': enc(x, exact=True), 'upstream': enc(up, exact=True),
        'out': enc(out), 'grads': {'input': enc(grads[0]), **{k: enc(gr) for (k, _), gr in zip(m.named_parameters(), grads[1:])}},
    })


module_case('PReLU(numParameters=3) on [2, 3, 4]', lambda: nn.PReLU(3, dtype=torch.float64), px)
module_case('PReLU() on [2, 3, 4]', lambda: nn.PReLU(dtype=torch.float64), px)

write('nn-actloss', cases, {'modules': modules})
