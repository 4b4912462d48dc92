"""Reference values of @tapegrad/nn losses and BatchNorm from PyTorch, for test/torch-parity.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/nn.py

which rewrites test/fixtures/torch/nn.json. Loss cases use the format of core.py (inputs,
outputs, upstream gradient, gradients of the non-constant float inputs); "batchnorm" cases store
two training steps of a BatchNorm layer (outputs, running statistics after each step, gradients
of the first step) and an evaluation-mode forward.
"""
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import enc, idx, r, recorders, t, write

warnings.filterwarnings('ignore', message='reduction: .mean. divides')  # kl_div's note on 'mean'
torch.manual_seed(0)
cases = []
case, hvp = recorders(cases)


def probs(*shape, dim=1):
    return torch.softmax(r(*shape, scale=1.5), dim=dim)


REDUCTIONS = ['mean', 'sum', 'none']

# ------------------------------------------------------------------ regression losses
x, y = r(3, 4), r(3, 4)
y[0, 1] = x[0, 1]  # a zero difference: |d|' is taken as 0 there
for red in REDUCTIONS:
    case(f'mseLoss (reduction={red})', 'mseLoss', lambda i, p: F.mse_loss(i['input'], i['target'], reduction=p['reduction']),
         {'input': x, 'target': y}, {'reduction': red})
    case(f'l1Loss (reduction={red}) with one zero difference', 'l1Loss',
         lambda i, p: F.l1_loss(i['input'], i['target'], reduction=p['reduction']),
         {'input': x, 'target': y}, {'reduction': red})
hx = t([[-3.0, -1.0, -0.5, 0.0, 0.25], [0.5, 1.0, 1.5, 2.0, 4.0]])
hy = t([[0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 2.0]])
for delta in [1.0, 0.5, 2.0]:
    for red in REDUCTIONS:
        case(f'huberLoss (delta={delta}, reduction={red}) with differences at the threshold', 'huberLoss',
             lambda i, p: F.huber_loss(i['input'], i['target'], reduction=p['reduction'], delta=p['delta']),
             {'input': hx, 'target': hy}, {'reduction': red, 'delta': delta})

# ------------------------------------------------------------------ binary cross-entropy
bp = torch.sigmoid(r(4, 3, scale=2))
bt = torch.rand(4, 3).round(decimals=2)
bt[0] = t([0.0, 1.0, 1.0])
bw = torch.rand(3).round(decimals=2) + 0.5
for red in REDUCTIONS:
    case(f'binaryCrossEntropy with soft targets (reduction={red})', 'binaryCrossEntropy',
         lambda i, p: F.binary_cross_entropy(i['input'], i['target'], reduction=p['reduction']),
         {'input': bp, 'target': bt}, {'reduction': red}, const=['target'])
    case(f'binaryCrossEntropy with a [3] weight (reduction={red})', 'binaryCrossEntropy',
         lambda i, p: F.binary_cross_entropy(i['input'], i['target'], weight=i['weight'], reduction=p['reduction']),
         {'input': bp, 'target': bt, 'weight': bw}, {'reduction': red}, const=['target', 'weight'])
case('binaryCrossEntropy with inputs exactly 0 and 1 (log clamped at -100)', 'binaryCrossEntropy',
     lambda i, p: F.binary_cross_entropy(i['input'], i['target'], reduction=p['reduction']),
     {'input': t([0.0, 0.0, 1.0, 1.0, 0.5]), 'target': t([0.0, 1.0, 0.0, 1.0, 0.5])}, {'reduction': 'none'}, const=['target'])
bl = r(4, 3, scale=2)
bl[0] = t([50.0, -50.0, 1000.0])
bl[1, 0] = -1000.0
pw = t([0.5, 2.0, 3.0])
for red in REDUCTIONS:
    case(f'binaryCrossEntropyWithLogits with large logits (reduction={red})', 'binaryCrossEntropyWithLogits',
         lambda i, p: F.binary_cross_entropy_with_logits(i['input'], i['target'], reduction=p['reduction']),
         {'input': bl, 'target': bt}, {'reduction': red}, const=['target'])
    case(f'binaryCrossEntropyWithLogits with weight and posWeight (reduction={red})', 'binaryCrossEntropyWithLogits',
         lambda i, p: F.binary_cross_entropy_with_logits(i['input'], i['target'], weight=i['weight'],
                                                         pos_weight=i['posWeight'], reduction=p['reduction']),
         {'input': bl, 'target': bt, 'weight': bw, 'posWeight': pw}, {'reduction': red}, const=['target', 'weight', 'posWeight'])
case('binaryCrossEntropyWithLogits with a [4,1] weight and posWeight only', 'binaryCrossEntropyWithLogits',
     lambda i, p: F.binary_cross_entropy_with_logits(i['input'], i['target'], weight=i['weight'],
                                                     pos_weight=i['posWeight'], reduction=p['reduction']),
     {'input': bl, 'target': bt, 'weight': t([[1.0], [0.5], [2.0], [0.0]]), 'posWeight': pw}, {'reduction': 'mean'},
     const=['target', 'weight', 'posWeight'])


# ------------------------------------------------------------------ cross-entropy and NLL
def ce(i, p):
    return F.cross_entropy(i['input'], i['target'], weight=i.get('weight'), ignore_index=p.get('ignoreIndex', -100),
                           label_smoothing=p.get('labelSmoothing', 0.0), reduction=p['reduction'])


logits = r(5, 4, scale=2)
logits[0] = t([1000.0, -1000.0, 0.0, 999.0])
tgt = idx([0, 3, 1, 3, 2])
w4 = t([0.5, 2.0, 1.0, 1.5])
tgt_ign = idx([0, -100, 1, 3, -100])
tgt_ign1 = idx([0, 1, 1, 3, 2])
for red in REDUCTIONS:
    case(f'crossEntropy with class indices (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': tgt}, {'reduction': red})
    case(f'crossEntropy with class weights (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': tgt, 'weight': w4}, {'reduction': red}, const=['weight'])
    case(f'crossEntropy with targets at the default ignoreIndex -100 and weights (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': tgt_ign, 'weight': w4}, {'reduction': red}, const=['weight'])
    case(f'crossEntropy with ignoreIndex 1 (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': tgt_ign1}, {'reduction': red, 'ignoreIndex': 1})
    for ls in [0.1, 0.35]:
        case(f'crossEntropy with labelSmoothing {ls} (reduction={red})', 'crossEntropy', ce,
             {'input': logits, 'target': tgt}, {'reduction': red, 'labelSmoothing': ls})
    case(f'crossEntropy with labelSmoothing 0.2, class weights and ignoreIndex 1 (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': tgt_ign1, 'weight': w4}, {'reduction': red, 'labelSmoothing': 0.2, 'ignoreIndex': 1},
         const=['weight'])
    pt = probs(5, 4)
    case(f'crossEntropy with probability targets (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': pt}, {'reduction': red}, const=['target'])
    case(f'crossEntropy with probability targets, weights and labelSmoothing 0.25 (reduction={red})', 'crossEntropy', ce,
         {'input': logits, 'target': pt, 'weight': w4}, {'reduction': red, 'labelSmoothing': 0.25},
         const=['target', 'weight'])
    x3 = r(2, 3, 4)
    t3 = idx([[0, 2, 1, 2], [1, -100, 0, 0]])
    w3 = t([1.0, 0.25, 3.0])
    case(f'crossEntropy on [N,C,d] with index targets, weights and ignored positions (reduction={red})', 'crossEntropy', ce,
         {'input': x3, 'target': t3, 'weight': w3}, {'reduction': red}, const=['weight'])
    case(f'crossEntropy on [N,C,d] with index targets and labelSmoothing 0.1 (reduction={red})', 'crossEntropy', ce,
         {'input': x3, 'target': t3}, {'reduction': red, 'labelSmoothing': 0.1})
    case(f'crossEntropy on [N,C,d] with probability targets and weights (reduction={red})', 'crossEntropy', ce,
         {'input': x3, 'target': probs(2, 3, 4), 'weight': w3}, {'reduction': red}, const=['target', 'weight'])
case('crossEntropy on [N,C,d1,d2] with index targets', 'crossEntropy', ce,
     {'input': r(2, 3, 2, 2), 'target': idx([[[0, 1], [2, 2]], [[1, 0], [0, 2]]])}, {'reduction': 'mean'})
case('crossEntropy with every target ignored (mean: 0/0)', 'crossEntropy', ce,
     {'input': logits[:2].clone(), 'target': idx([-100, -100])}, {'reduction': 'mean'})
case('crossEntropy with every target ignored (sum)', 'crossEntropy', ce,
     {'input': logits[:2].clone(), 'target': idx([-100, -100])}, {'reduction': 'sum'})
case('nllLoss with every target ignored (mean: 0/0)', 'nllLoss',
     lambda i, p: F.nll_loss(i['input'], i['target'], reduction=p['reduction']),
     {'input': logits[:2].clone(), 'target': idx([-100, -100])}, {'reduction': 'mean'})
hvp('crossEntropy with weights and labelSmoothing 0.1 (second derivative)', 'crossEntropy',
    ce, {'input': r(3, 4), 'target': idx([2, 0, 3]), 'weight': w4}, {'reduction': 'mean', 'labelSmoothing': 0.1},
    const=['weight'])
hvp('crossEntropy with probability targets (second derivative)', 'crossEntropy',
    ce, {'input': r(3, 4), 'target': probs(3, 4)}, {'reduction': 'sum'}, const=['target'])


def nll(i, p):
    return F.nll_loss(i['input'], i['target'], weight=i.get('weight'), ignore_index=p.get('ignoreIndex', -100),
                      reduction=p['reduction'])


lp = torch.log_softmax(r(5, 4), dim=1)
for red in REDUCTIONS:
    case(f'nllLoss (reduction={red})', 'nllLoss', nll, {'input': lp, 'target': tgt}, {'reduction': red})
    case(f'nllLoss with weights and ignoreIndex 3 (reduction={red})', 'nllLoss', nll,
         {'input': lp, 'target': tgt, 'weight': w4}, {'reduction': red, 'ignoreIndex': 3}, const=['weight'])
    case(f'nllLoss on [N,C,d] with weights and an ignored position (reduction={red})', 'nllLoss', nll,
         {'input': r(2, 3, 4), 'target': idx([[0, 2, 1, 2], [1, -100, 0, 0]]), 'weight': t([1.0, 0.25, 3.0])},
         {'reduction': red}, const=['weight'])

# ------------------------------------------------------------------ KL divergence
kq = torch.log_softmax(r(3, 4), dim=1)
kp = probs(3, 4)
kp[1] = t([0.0, 0.5, 0.5, 0.0])  # zeros in the target: 0 log 0 = 0
for red in ['mean', 'sum', 'none', 'batchmean']:
    for log_target in [False, True]:
        target = torch.log(probs(3, 4)) if log_target else kp
        case(f'klDiv (reduction={red}, logTarget={log_target})', 'klDiv',
             lambda i, p: F.kl_div(i['input'], i['target'], reduction=p['reduction'], log_target=p['logTarget']),
             {'input': kq, 'target': target}, {'reduction': red, 'logTarget': log_target}, const=['target'])


# ------------------------------------------------------------------ BatchNorm
def batchnorm(name, layer, shape, momentum=0.1, eps=1e-5, affine=True):
    C = shape[1]
    cls = nn.BatchNorm1d if layer == '1d' else nn.BatchNorm2d
    bn = cls(C, eps=eps, momentum=momentum, affine=affine, dtype=torch.float64)
    inputs = {'x1': r(*shape, scale=2) + 1, 'x2': r(*shape) - 0.5, 'x3': r(*shape)}
    if affine:
        inputs['weight'] = r(C)
        inputs['bias'] = r(C)
        with torch.no_grad():
            bn.weight.copy_(inputs['weight'])
            bn.bias.copy_(inputs['bias'])
    bn.train()
    x1 = inputs['x1'].clone().requires_grad_(True)
    y1 = bn(x1)
    up = r(*shape, decimals=2)
    wrt = [x1] + ([bn.weight, bn.bias] if affine else [])
    grads = torch.autograd.grad(y1, wrt, up)
    rm1, rv1 = bn.running_mean.clone(), bn.running_var.clone()
    y2 = bn(inputs['x2'])
    rm2, rv2 = bn.running_mean.clone(), bn.running_var.clone()
    bn.eval()
    y3 = bn(inputs['x3'])
    cases.append({
        'name': name, 'kind': 'batchnorm', 'op': 'batchnorm',
        'params': {'layer': layer, 'C': C, 'momentum': momentum, 'eps': eps, 'affine': affine},
        'inputs': {k: enc(v, exact=True) for k, v in inputs.items()}, 'upstream': enc(up, exact=True),
        'out': {'y1': enc(y1), 'y2': enc(y2), 'y3': enc(y3), 'rm1': enc(rm1), 'rv1': enc(rv1), 'rm2': enc(rm2),
                'rv2': enc(rv2), 'numBatchesTracked': int(bn.num_batches_tracked)},
        'grads': dict(zip(['x1', 'weight', 'bias'], [enc(g) for g in grads])),
    })


batchnorm('BatchNorm1d on [N,C]: two training steps and an eval forward', '1d', [6, 3])
batchnorm('BatchNorm1d on [N,C,L] with momentum 0.3 and eps 1e-3', '1d', [3, 2, 4], momentum=0.3, eps=1e-3)
batchnorm('BatchNorm2d on [N,C,H,W]', '2d', [2, 3, 2, 3])
batchnorm('BatchNorm2d with momentum null (cumulative average) and no affine', '2d', [2, 2, 3, 2], momentum=None,
          affine=False)

write('nn', cases)
