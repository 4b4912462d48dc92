"""Reference trajectories of @tapegrad/optim optimizers and schedules from PyTorch, for
test/torch-parity.test.ts.

Generated with torch 1.13.1 (Debian's python3-torch, reports 1.13.0a0), float64, seed 0.
Regenerate from the repository root with:

    /usr/bin/python3 scripts/torch-fixtures/optim.py

which rewrites test/fixtures/torch/optim.json.
- "optimizer" cases: two parameters (shapes [5] and [2, 2]) and a fixed sequence of gradients
  (stored once, at the top level), set directly as p.grad before each step (the second parameter
  has no gradient at step 2, so it is skipped there); the parameters after every step.
- "scheduler" cases: an SGD optimizer with two param groups (lr 0.1 and 0.01) and one scheduler
  (or several, chained: stepped in order); the learning rates after construction and after every
  epoch (ReduceLROnPlateau: stepped with the stored metrics).
Options are stored under tapegrad's camelCase names and translated to torch's here.
"""
import torch
from torch import optim

from common import enc, params_and_grads, trajectory, write

torch.manual_seed(0)
cases = []

STEPS = 6
P0, GRADS = params_and_grads(STEPS, skip=1)
GRADS[0][0][2] = 0.0  # a zero gradient element

TORCH_NAMES = {
    'lr': 'lr', 'momentum': 'momentum', 'dampening': 'dampening', 'nesterov': 'nesterov',
    'weightDecay': 'weight_decay', 'maximize': 'maximize', 'betas': 'betas', 'eps': 'eps', 'amsgrad': 'amsgrad',
    'alpha': 'alpha', 'centered': 'centered', 'lrDecay': 'lr_decay', 'initialAccumulatorValue': 'initial_accumulator_value',
    'stepSize': 'step_size', 'gamma': 'gamma', 'milestones': 'milestones', 'tMax': 'T_max', 'etaMin': 'eta_min',
    'startFactor': 'start_factor', 'endFactor': 'end_factor', 'totalIters': 'total_iters', 'mode': 'mode',
    'factor': 'factor', 'patience': 'patience', 'threshold': 'threshold', 'thresholdMode': 'threshold_mode',
    'cooldown': 'cooldown', 'minLr': 'min_lr',
}


def kwargs(options):
    return {TORCH_NAMES[k]: (tuple(v) if k == 'betas' else v) for k, v in options.items()}


def optimizer_case(name, cls, options):
    params = [p.clone().requires_grad_(True) for p in P0]
    opt = getattr(optim, cls)(params, **kwargs(options))
    cases.append({
        'name': name, 'kind': 'optimizer', 'optimizer': cls, 'options': options, 'trajectory': trajectory(opt, params, GRADS),
    })


for opts in [
    {'lr': 0.1},
    {'lr': 0.1, 'momentum': 0.9},
    {'lr': 0.1, 'momentum': 0.9, 'dampening': 0.3},
    {'lr': 0.1, 'momentum': 0.9, 'nesterov': True},
    {'lr': 0.05, 'momentum': 0.5, 'weightDecay': 0.05},
    {'lr': 0.1, 'momentum': 0.9, 'weightDecay': 0.1, 'maximize': True},
    {'lr': 0.1, 'momentum': 0.8, 'nesterov': True, 'weightDecay': 0.02, 'maximize': True},
]:
    optimizer_case(f'SGD {opts}', 'SGD', opts)
for opts in [
    {'lr': 0.01},
    {'lr': 0.01, 'amsgrad': True},
    {'lr': 0.01, 'weightDecay': 0.1},
    {'lr': 0.02, 'betas': [0.8, 0.9], 'eps': 1e-6, 'weightDecay': 0.05, 'amsgrad': True},
    {'lr': 0.01, 'maximize': True, 'amsgrad': True},
]:
    optimizer_case(f'Adam {opts}', 'Adam', opts)
for opts in [
    {'lr': 0.01},
    {'lr': 0.01, 'weightDecay': 0.5, 'amsgrad': True},
    {'lr': 0.03, 'betas': [0.5, 0.7], 'eps': 1e-4, 'weightDecay': 0.1, 'maximize': True},
]:
    optimizer_case(f'AdamW {opts}', 'AdamW', opts)
for opts in [
    {'lr': 0.01},
    {'lr': 0.01, 'centered': True},
    {'lr': 0.01, 'momentum': 0.9},
    {'lr': 0.01, 'alpha': 0.9, 'centered': True, 'momentum': 0.5, 'weightDecay': 0.1},
    {'lr': 0.01, 'eps': 1e-3, 'maximize': True, 'momentum': 0.3},
]:
    optimizer_case(f'RMSprop {opts}', 'RMSprop', opts)
for opts in [
    {'lr': 0.1},
    {'lr': 0.1, 'lrDecay': 0.1},
    {'lr': 0.1, 'initialAccumulatorValue': 0.5},
    {'lr': 0.1, 'lrDecay': 0.05, 'weightDecay': 0.1, 'eps': 1e-6, 'initialAccumulatorValue': 0.1},
    {'lr': 0.1, 'maximize': True},
]:
    optimizer_case(f'Adagrad {opts}', 'Adagrad', opts)


def scheduler_case(name, cls, options, steps=12, metrics=None, chain=()):
    """`chain`: further (cls, options) schedulers on the same optimizer, stepped after the first."""
    params = [p.clone().requires_grad_(True) for p in P0]
    opt = optim.SGD([{'params': [params[0]], 'lr': 0.1}, {'params': [params[1]], 'lr': 0.01}])
    specs = [(cls, options), *chain]
    scheds = [getattr(optim.lr_scheduler, c)(opt, **kwargs(o)) for c, o in specs]
    lrs = [[g['lr'] for g in opt.param_groups]]
    for s in range(steps):
        for p in params:
            p.grad = torch.zeros_like(p)
        opt.step()
        for sched in scheds:
            if metrics is None:
                sched.step()
            else:
                sched.step(metrics[s])
        lrs.append([g['lr'] for g in opt.param_groups])
    cases.append({
        'name': name, 'kind': 'scheduler', 'schedulers': [{'scheduler': c, 'options': o} for c, o in specs],
        'baseLrs': [0.1, 0.01], 'metrics': metrics, 'lrs': lrs,
    })


scheduler_case('StepLR every 3 epochs, gamma 0.5', 'StepLR', {'stepSize': 3, 'gamma': 0.5})
scheduler_case('MultiStepLR at [2, 5, 9], gamma 0.3', 'MultiStepLR', {'milestones': [2, 5, 9], 'gamma': 0.3})
scheduler_case('MultiStepLR with a repeated milestone [3, 6, 6]', 'MultiStepLR', {'milestones': [3, 6, 6], 'gamma': 0.5})
scheduler_case('ExponentialLR gamma 0.8', 'ExponentialLR', {'gamma': 0.8})
scheduler_case('CosineAnnealingLR tMax 5, etaMin 0.001, past tMax', 'CosineAnnealingLR', {'tMax': 5, 'etaMin': 0.001},
               steps=16)
scheduler_case('CosineAnnealingLR tMax 8', 'CosineAnnealingLR', {'tMax': 8})
scheduler_case('LinearLR from 0.25 to 1 in 4 iterations', 'LinearLR', {'startFactor': 0.25, 'endFactor': 1.0, 'totalIters': 4})
scheduler_case('LinearLR from 1 to 0.1 in 5 iterations', 'LinearLR', {'startFactor': 1.0, 'endFactor': 0.1, 'totalIters': 5})
scheduler_case('LinearLR defaults', 'LinearLR', {})
scheduler_case('ExponentialLR gamma 0.9 chained with StepLR every 3 epochs', 'ExponentialLR', {'gamma': 0.9},
               chain=[('StepLR', {'stepSize': 3, 'gamma': 0.1})])

LOSSES = [1.0, 0.9, 0.95, 0.95, 0.91, 0.8999, 0.9, 0.9, 0.9, 0.8, 0.85, 0.85, 0.85, 0.85, 0.79, 0.8, 0.8, 0.8, 0.8, 0.8]
ACCS = [0.5, 0.6, 0.6, 0.6, 0.6, 0.7, 0.65, 0.7, 0.7, 0.7, 0.70005, 0.7, 0.7, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
for label, opts, metrics in [
    ('patience 2', {'patience': 2}, LOSSES),
    ('factor 0.5, patience 1, cooldown 2', {'factor': 0.5, 'patience': 1, 'cooldown': 2}, LOSSES),
    ('absolute threshold 0.02', {'patience': 1, 'threshold': 0.02, 'thresholdMode': 'abs'}, LOSSES),
    ('mode max, patience 2', {'mode': 'max', 'patience': 2}, ACCS),
    ('mode max, absolute threshold 0.05, patience 0', {'mode': 'max', 'patience': 0, 'threshold': 0.05,
                                                        'thresholdMode': 'abs'}, ACCS),
    ('factor 0.5, patience 0, minLr per group [0.004, 0.003]', {'factor': 0.5, 'patience': 0, 'minLr': [0.004, 0.003]},
     LOSSES),
    ('factor 0.5, patience 0, minLr 0.004', {'factor': 0.5, 'patience': 0, 'minLr': 0.004}, LOSSES),
]:
    scheduler_case(f'ReduceLROnPlateau {label}', 'ReduceLROnPlateau', opts, steps=len(metrics), metrics=metrics)

# The starting parameters and the gradients are shared by every optimizer case.
write('optim', cases, {
    'params': [enc(p, exact=True) for p in P0],
    'grads': [[enc(g, exact=True) for g in gs] for gs in GRADS],
})
