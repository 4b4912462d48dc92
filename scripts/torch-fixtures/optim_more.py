"""Reference trajectories of the @tapegrad/optim optimizers and schedules added for issue 18
(Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD, LBFGS; CyclicLR, ChainedScheduler), for
test/torch-parity-optim-more.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64 (also the default
dtype, so that ASGD's eta/mu and NAdam's mu_product, which torch keeps as default-dtype scalars,
are doubles as in tapegrad), seed 0. Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/optim_more.py

which rewrites test/fixtures/torch/optim-more.json.
- "optimizer" cases: two parameters (shapes [5] and [2, 2]) and a fixed sequence of 12 gradients
  (stored once, at the top level) set as p.grad before each step (the second parameter has no
  gradient at step 3, so it is skipped there); the parameters after every step, and the final
  per-parameter state under torch's names.
- NAdam: torch 1.13 computes mu_product_next as mu_product * mu * mu_next (mu counted twice);
  torch 2.0 fixed it to mu_product * mu_next, the paper's rule, which tapegrad follows. The
  NAdam cases run torch's NAdam class with its single-tensor update replaced by nadam_2_0 below
  (the 1.13 update with that one product corrected).
- "lbfgs" cases: the 5-dimensional Rosenbrock function of x = cat(a, b), a of shape [3] and b of
  shape [2], minimised by several calls of step(closure); after each call, the parameters, the
  returned loss and the state's n_iter and func_evals.
- "scheduler" cases: an SGD optimizer with momentum and two param groups (lr 0.1 and 0.01); the
  learning rates and momentums after construction and after every step. `scaleFn` names a
  function defined both here (SCALE_FNS) and in the test.
Options are stored under tapegrad's camelCase names and translated to torch's here.
"""
import math

import torch
from torch import optim
import torch.optim.nadam as nadam_module

from common import enc, params_and_grads, trajectory, write

torch.manual_seed(0)
cases = []

STEPS = 12
P0, GRADS = params_and_grads(STEPS, skip=3)
GRADS[0][0][2] = 0.0  # a zero gradient element
GRADS[5][0][1] = 0.0

TORCH_NAMES = {
    'lr': 'lr', 'rho': 'rho', 'eps': 'eps', 'weightDecay': 'weight_decay', 'maximize': 'maximize', 'betas': 'betas',
    'momentumDecay': 'momentum_decay', 'etas': 'etas', 'stepSizes': 'step_sizes', 'lambd': 'lambd', 'alpha': 'alpha',
    't0': 't0', 'maxIter': 'max_iter', 'maxEval': 'max_eval', 'toleranceGrad': 'tolerance_grad',
    'toleranceChange': 'tolerance_change', 'historySize': 'history_size', 'lineSearchFn': 'line_search_fn',
    'baseLr': 'base_lr', 'maxLr': 'max_lr', 'stepSizeUp': 'step_size_up', 'stepSizeDown': 'step_size_down',
    'mode': 'mode', 'gamma': 'gamma', 'scaleMode': 'scale_mode', 'cycleMomentum': 'cycle_momentum',
    'baseMomentum': 'base_momentum', 'maxMomentum': 'max_momentum', 'factor': 'factor', 'totalIters': 'total_iters',
    'stepSize': 'step_size', 'startFactor': 'start_factor', 'endFactor': 'end_factor', 'milestones': 'milestones',
}
TUPLES = {'betas', 'etas', 'stepSizes'}
SCALE_FNS = {'inverse': lambda x: 1 / (1 + x), 'halfPow': lambda x: 0.5 ** x}


def kwargs(options):
    out = {}
    for k, v in options.items():
        if k == 'scaleFn':
            out['scale_fn'] = SCALE_FNS[v]
        else:
            out[TORCH_NAMES[k]] = tuple(v) if k in TUPLES else v
    return out


def nadam_2_0(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *, beta1, beta2, lr, weight_decay,
              momentum_decay, eps):
    for i, param in enumerate(params):
        grad, exp_avg, exp_avg_sq, mu_product, step_t = grads[i], exp_avgs[i], exp_avg_sqs[i], mu_products[i], state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product * mu_next  # 1.13: mu_product * mu * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))


nadam_module._single_tensor_nadam = nadam_2_0


def state_of(opt, p):
    return {k: (enc(v) if isinstance(v, torch.Tensor) and v.dim() > 0 else float(v)) for k, v in opt.state[p].items()}


def optimizer_case(cls, options):
    params = [p.clone().requires_grad_(True) for p in P0]
    opt = getattr(optim, cls)(params, **kwargs(options))
    cases.append({
        'name': f'{cls} {options}', 'kind': 'optimizer', 'optimizer': cls, 'options': options, 'trajectory': trajectory(opt, params, GRADS),
        'state': [state_of(opt, p) for p in params],
    })


for cls, variants in {
    'Adadelta': [{}, {'lr': 0.5, 'rho': 0.8, 'eps': 1e-4}, {'weightDecay': 0.1, 'maximize': True}],
    'Adamax': [{}, {'lr': 0.05, 'betas': [0.8, 0.9], 'eps': 1e-3}, {'lr': 0.01, 'weightDecay': 0.1, 'maximize': True}],
    'NAdam': [{}, {'lr': 0.05, 'betas': [0.8, 0.9], 'momentumDecay': 0.1}, {'lr': 0.01, 'weightDecay': 0.1, 'eps': 1e-4}],
    # betas [0.9, 0.8]: rho_t passes 5 at step 6, so both branches run.
    'RAdam': [{}, {'lr': 0.05, 'betas': [0.9, 0.8]}, {'lr': 0.01, 'betas': [0.5, 0.7], 'weightDecay': 0.1, 'eps': 1e-4}],
    'Rprop': [{}, {'lr': 0.05, 'etas': [0.3, 1.5], 'stepSizes': [0.01, 0.1]}, {'lr': 0.02, 'maximize': True}],
    'ASGD': [{}, {'lr': 0.1, 'lambd': 0.01, 'alpha': 0.5, 't0': 3}, {'lr': 0.05, 't0': 0, 'weightDecay': 0.1, 'maximize': True}],
}.items():
    for opts in variants:
        optimizer_case(cls, opts)

A0 = torch.tensor([-1.2, 1.0, -0.5])
B0 = torch.tensor([0.8, 1.3])


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def lbfgs_case(name, options, calls):
    a, b = A0.clone().requires_grad_(True), B0.clone().requires_grad_(True)
    opt = optim.LBFGS([a, b], **kwargs(options))

    def closure():
        opt.zero_grad()
        loss = rosenbrock(torch.cat([a, b]))
        loss.backward()
        return loss

    out = []
    for _ in range(calls):
        loss = opt.step(closure)
        s = opt.state[a]
        out.append({'params': [enc(a), enc(b)], 'loss': float(loss), 'nIter': s['n_iter'], 'funcEvals': s['func_evals']})
    assert all(math.isfinite(float(v)) for v in torch.cat([a, b]).detach())
    cases.append({'name': name, 'kind': 'lbfgs', 'options': options, 'calls': out})


lbfgs_case('LBFGS without line search, lr 0.1', {'lr': 0.1}, 4)
lbfgs_case('LBFGS without line search, lr 0.2, historySize 3, maxIter 7, maxEval 5',
           {'lr': 0.2, 'historySize': 3, 'maxIter': 7, 'maxEval': 5}, 4)
lbfgs_case('LBFGS with strong Wolfe line search', {'lineSearchFn': 'strong_wolfe'}, 4)
lbfgs_case('LBFGS with strong Wolfe line search, historySize 2, maxIter 7',
           {'lineSearchFn': 'strong_wolfe', 'historySize': 2, 'maxIter': 7}, 5)
lbfgs_case('LBFGS with strong Wolfe line search to convergence', {'lineSearchFn': 'strong_wolfe', 'maxIter': 200}, 1)


def scheduler_case(name, specs, steps=14):
    params = [p.clone().requires_grad_(True) for p in P0]
    opt = optim.SGD([{'params': [params[0]], 'lr': 0.1}, {'params': [params[1]], 'lr': 0.01}], momentum=0.9)
    scheds = [getattr(optim.lr_scheduler, c)(opt, **kwargs(o)) for c, o in specs]
    if name.startswith('ChainedScheduler'):
        scheds = [optim.lr_scheduler.ChainedScheduler(scheds)]
    lrs = [[g['lr'] for g in opt.param_groups]]
    momentums = [[g['momentum'] for g in opt.param_groups]]
    for _ in range(steps):
        for p in params:
            p.grad = torch.zeros_like(p)
        opt.step()
        for sched in scheds:
            sched.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        momentums.append([g['momentum'] for g in opt.param_groups])
    cases.append({
        'name': name, 'kind': 'scheduler', 'chained': name.startswith('ChainedScheduler'),
        'schedulers': [{'scheduler': c, 'options': o} for c, o in specs], 'lrs': lrs, 'momentums': momentums,
    })


scheduler_case('CyclicLR triangular, stepSizeUp 3', [('CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 3})])
scheduler_case('CyclicLR triangular2, stepSizeUp 2, stepSizeDown 4',
               [('CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 2, 'stepSizeDown': 4, 'mode': 'triangular2'})],
               steps=20)
scheduler_case('CyclicLR exp_range, gamma 0.9, momentum 0.85 to 0.95',
               [('CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 3, 'mode': 'exp_range', 'gamma': 0.9,
                              'baseMomentum': 0.85, 'maxMomentum': 0.95})])
scheduler_case('CyclicLR per-group bounds, no momentum cycling',
               [('CyclicLR', {'baseLr': [0.01, 0.001], 'maxLr': [0.2, 0.05], 'stepSizeUp': 4, 'stepSizeDown': 2,
                              'cycleMomentum': False})])
scheduler_case('CyclicLR scaleFn 1 / (1 + x) per iteration',
               [('CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 2, 'scaleFn': 'inverse',
                              'scaleMode': 'iterations'})])
scheduler_case('CyclicLR scaleFn 0.5^x per cycle',
               [('CyclicLR', {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 2, 'scaleFn': 'halfPow'})])
scheduler_case('ChainedScheduler of ConstantLR and ExponentialLR',
               [('ConstantLR', {'factor': 0.5, 'totalIters': 3}), ('ExponentialLR', {'gamma': 0.9})])
scheduler_case('ChainedScheduler of LinearLR, StepLR and ExponentialLR',
               [('LinearLR', {'startFactor': 0.2, 'totalIters': 4}), ('StepLR', {'stepSize': 3, 'gamma': 0.5}),
                ('ExponentialLR', {'gamma': 0.95})])

write('optim-more', cases, {
    'params': [enc(p, exact=True) for p in P0],
    'grads': [[enc(g, exact=True) for g in gs] for gs in GRADS],
    'rosenbrock': {'a': enc(A0, exact=True), 'b': enc(B0, exact=True)},
})
