/**
 * Parity with PyTorch 1.13 (float64) for the optimizers and schedules of issue 18: parameter
 * trajectories of Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD under a fixed sequence of
 * gradients (and their final state, by PyTorch's state names camel-cased), L-BFGS with and
 * without the strong Wolfe line search on the Rosenbrock function, and the learning rates and
 * momentums of CyclicLR and ChainedScheduler. Fixture: test/fixtures/torch/optim-more.json, written
 * by scripts/torch-fixtures/optim_more.py (see it for the cases, and for NAdam's torch 2.0 rule).
 */
import { describe, expect, it } from 'vitest';
import { Tensor, cat, tensor, zerosLike } from '@tapegrad/core';
import {
  ASGD, Adadelta, Adamax, ChainedScheduler, ConstantLR, CyclicLR, ExponentialLR, LBFGS, LinearLR, NAdam, RAdam, Rprop, SGD,
  StepLR, type LRScheduler,
} from '@tapegrad/optim';
import { TIGHT, dec, itWasGeneratedBy, load, type Enc, type Fixture, type Params } from './torch-fixtures.js';

interface OptimizerCase {
  name: string;
  kind: 'optimizer';
  optimizer: keyof typeof OPTIMIZERS;
  options: Params;
  /** Per step, per parameter: the value after the step. */
  trajectory: Enc[][];
  /** Per parameter, the final state under torch's names (numbers for scalars). */
  state: Array<Record<string, Enc>>;
}

interface LbfgsCase {
  name: string;
  kind: 'lbfgs';
  options: Params;
  /** After each call of step(closure). */
  calls: Array<{ params: Enc[]; loss: number; nIter: number; funcEvals: number }>;
}

interface SchedulerCase {
  name: string;
  kind: 'scheduler';
  /** Wrapped in one ChainedScheduler (else each stepped in order). */
  chained: boolean;
  schedulers: Array<{ scheduler: string; options: Params }>;
  /** Per group, after construction and after each step. */
  lrs: number[][];
  momentums: number[][];
}

type Case = OptimizerCase | LbfgsCase | SchedulerCase;

interface MoreFixture extends Fixture<Case> {
  params: Enc[];
  grads: Array<Array<Enc | null>>;
  rosenbrock: { a: Enc; b: Enc };
}

const OPTIMIZERS = { Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD };
const SCALE_FNS: Record<string, (x: number) => number> = { inverse: (x) => 1 / (1 + x), halfPow: (x) => 0.5 ** x };
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function checkOptimizer(c: OptimizerCase, f: MoreFixture): void {
  const params = f.params.map((e) => dec(e, { requiresGrad: true }));
  const opt = new OPTIMIZERS[c.optimizer](params, c.options);
  f.grads.forEach((gs, step) => {
    params.forEach((p, i) => (p.grad = gs[i] === null ? null : dec(gs[i]!)));
    opt.step();
    params.forEach((p, i) => expect(p, `parameter ${i} after step ${step + 1}`).toBeAllClose(dec(c.trajectory[step]![i]!), TIGHT));
  });
  params.forEach((p, i) => {
    const mine = opt.state.get(p) as Record<string, unknown>;
    for (const [key, want] of Object.entries(c.state[i]!)) {
      const got = mine[camel(key)];
      if (typeof want === 'number') expect(got, `state ${key} of parameter ${i}`).toBeCloseTo(want, 12);
      else expect(got as Tensor, `state ${key} of parameter ${i}`).toBeAllClose(dec(want), TIGHT);
    }
  });
}

function rosenbrock(x: Tensor): Tensor {
  const n = x.shape[0]!;
  const head = x.narrow(0, 0, n - 1), tail = x.narrow(0, 1, n - 1);
  return tail.sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
}

function checkLbfgs(c: LbfgsCase, f: MoreFixture): void {
  const a = dec(f.rosenbrock.a, { requiresGrad: true }), b = dec(f.rosenbrock.b, { requiresGrad: true });
  const opt = new LBFGS([a, b], c.options);
  const closure = () => {
    opt.zeroGrad();
    const loss = rosenbrock(cat([a, b]));
    loss.backward();
    return loss;
  };
  c.calls.forEach((want, k) => {
    const loss = opt.step(closure);
    const state = opt.state.get(a) as unknown as { nIter: number; funcEvals: number };
    expect({ nIter: state.nIter, funcEvals: state.funcEvals }, `counters after call ${k + 1}`).toEqual({ nIter: want.nIter, funcEvals: want.funcEvals });
    expect((loss as Tensor).item(), `loss returned by call ${k + 1}`).toBeCloseTo(want.loss, 8);
    expect(Math.abs((loss as Tensor).item() - want.loss)).toBeLessThanOrEqual(1e-10 * Math.abs(want.loss) + 1e-12);
    [a, b].forEach((p, i) => expect(p, `parameter ${i} after call ${k + 1}`).toBeAllClose(dec(want.params[i]!), TIGHT));
  });
}

function makeScheduler(spec: { scheduler: string; options: Params }, opt: SGD): LRScheduler {
  const o = spec.options;
  switch (spec.scheduler) {
    case 'CyclicLR': return new CyclicLR(opt, { ...o, scaleFn: o.scaleFn === undefined ? undefined : SCALE_FNS[o.scaleFn as string] } as never);
    case 'ConstantLR': return new ConstantLR(opt, o);
    case 'ExponentialLR': return new ExponentialLR(opt, { gamma: o.gamma });
    case 'LinearLR': return new LinearLR(opt, o);
    case 'StepLR': return new StepLR(opt, { stepSize: o.stepSize, gamma: o.gamma });
    default: throw new Error(`no scheduler ${spec.scheduler}`);
  }
}

function checkScheduler(c: SchedulerCase): void {
  const tol = { rtol: 1e-10, atol: 0 };
  const params = [0.1, 0.01].map(() => tensor([1, 2], { dtype: 'float64', requiresGrad: true }));
  const opt = new SGD([{ params: [params[0]!], lr: 0.1 }, { params: [params[1]!], lr: 0.01 }], { lr: 0.1, momentum: 0.9 });
  let scheds = c.schedulers.map((spec) => makeScheduler(spec, opt));
  if (c.chained) scheds = [new ChainedScheduler(scheds)];
  const lrs = () => opt.paramGroups.map((g) => g.lr);
  const momentums = () => opt.paramGroups.map((g) => g.momentum);
  expect(lrs(), 'lrs after construction').toBeAllClose(c.lrs[0]!, tol);
  expect(momentums(), 'momentums after construction').toBeAllClose(c.momentums[0]!, tol);
  for (let s = 1; s < c.lrs.length; s++) {
    params.forEach((p) => (p.grad = zerosLike(p)));
    opt.step();
    for (const sched of scheds) sched.step();
    expect(lrs(), `lrs after step ${s}`).toBeAllClose(c.lrs[s]!, tol);
    expect(momentums(), `momentums after step ${s}`).toBeAllClose(c.momentums[s]!, tol);
    expect(scheds.at(-1)!.getLastLr(), `getLastLr after step ${s}`).toBeAllClose(c.lrs[s]!, tol);
  }
}

describe('Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD, LBFGS, CyclicLR and ChainedScheduler vs PyTorch', () => {
  const fixture = load<Case>('optim-more') as MoreFixture;
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/optim_more.py');
  for (const c of fixture.cases) {
    if (c.kind === 'optimizer') it(`${c.name}: parameters after each step and the final state match PyTorch`, () => checkOptimizer(c, fixture));
    else if (c.kind === 'lbfgs') it(`${c.name}: parameters, loss and counters after each call match PyTorch`, () => checkLbfgs(c, fixture));
    else it(`${c.name}: learning rates and momentums match PyTorch`, () => checkScheduler(c));
  }
});
