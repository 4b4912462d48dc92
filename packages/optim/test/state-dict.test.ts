import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, ValueError, tensor } from '@tapegrad/core';
import {
  Adagrad, Adam, AdamW, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, RMSprop, ReduceLROnPlateau, SGD, StepLR,
  type Optimizer, type ParamsInput,
} from '@tapegrad/optim';
import { X0, objective } from './helpers.js';

// Resuming: run N steps, save the optimizer's (and scheduler's) state dict, keep going with the
// original (so a state dict that shared buffers with it would be spoiled), then build a fresh
// optimizer and scheduler over fresh tensors holding the saved values, load, and continue. The
// resumed trajectory and learning rates must equal the uninterrupted ones exactly.

const Y0 = [0.3, -0.7, 1.1];

interface Scheduler {
  step(...metric: number[]): void;
  getLastLr(): number[];
  stateDict(): Record<string, unknown>;
  loadStateDict(sd: any): void;
}

interface Setup {
  name: string;
  make: (params: ParamsInput<any>) => Optimizer<any, any>;
  sched?: (opt: Optimizer<any, any>) => Scheduler;
  /** Scripted metric for ReduceLROnPlateau, by step. */
  metric?: (t: number) => number;
}

// Two groups with their own options, plus a parameter that never gets a gradient (skipped, no state).
function model(xStart: number[], yStart: number[], zStart: number[]) {
  const x = tensor(xStart, { dtype: 'float64', requiresGrad: true });
  const y = tensor(yStart, { dtype: 'float64', requiresGrad: true });
  const z = tensor(zStart, { dtype: 'float64', requiresGrad: true });
  const params = [{ params: [x, z] }, { params: [y], lr: 0.003 }];
  const loss = () => {
    const y2 = y.mul(y);
    return objective(x).add(y2.mul(y2).sum()).add(y.sum().mul(0.4));
  };
  return { x, y, z, params, loss };
}

function train(opt: Optimizer<any, any>, m: ReturnType<typeof model>, steps: number, from: number, s: Setup, sched?: Scheduler) {
  const traj: number[][] = [];
  const lrs: number[][] = [];
  for (let t = from; t < from + steps; t++) {
    opt.zeroGrad();
    m.loss().backward();
    opt.step();
    if (sched) {
      if (s.metric) sched.step(s.metric(t));
      else sched.step();
      lrs.push(sched.getLastLr());
    }
    traj.push([...Array.from(m.x.data), ...Array.from(m.y.data), ...Array.from(m.z.data)]);
  }
  return { traj, lrs };
}

function checkResume(s: Setup, n = 12, more = 12): void {
  it(`${s.name}: resuming from the state dict after ${n} steps gives exactly the uninterrupted trajectory`, () => {
    const m1 = model(X0, Y0, [5, 6]);
    const opt1 = s.make(m1.params);
    const sched1 = s.sched?.(opt1);
    train(opt1, m1, n, 0, s, sched1);
    const saved = opt1.stateDict();
    const savedSched = sched1?.stateDict();
    const at = { x: Array.from(m1.x.data), y: Array.from(m1.y.data), z: Array.from(m1.z.data) };
    const rest1 = train(opt1, m1, more, n, s, sched1);

    const m2 = model(at.x, at.y, at.z);
    const opt2 = s.make(m2.params);
    const sched2 = s.sched?.(opt2);
    opt2.loadStateDict(saved);
    if (sched2) sched2.loadStateDict(savedSched);
    const rest2 = train(opt2, m2, more, n, s, sched2);

    expect(rest2.traj).toEqual(rest1.traj);
    expect(rest2.lrs).toEqual(rest1.lrs);
    expect(opt2.paramGroups.map((g) => g.lr)).toEqual(opt1.paramGroups.map((g) => g.lr));
    // The parameter without a gradient never moved and has no state.
    expect(rest2.traj.at(-1)!.slice(-2)).toEqual([5, 6]);
    expect(opt2.state.has(m2.z)).toBe(false);
    // The run did something: the parameters moved and the schedule changed the rate after the resume.
    expect(rest1.traj.at(-1)).not.toEqual(rest1.traj[0]);
    if (sched1) expect(new Set(rest1.lrs.map((l) => l[0])).size).toBeGreaterThan(1);
  });
}

describe('Optimizer.stateDict', () => {
  checkResume({ name: 'SGD with momentum and StepLR', make: (p) => new SGD(p, { lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }), sched: (o) => new StepLR(o, { stepSize: 5, gamma: 0.5 }) });
  checkResume({ name: 'SGD with Nesterov momentum and MultiStepLR', make: (p) => new SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true }), sched: (o) => new MultiStepLR(o, { milestones: [4, 10, 15], gamma: 0.5 }) });
  checkResume({ name: 'Adam with amsgrad and CosineAnnealingLR', make: (p) => new Adam(p, { lr: 0.05, amsgrad: true, weightDecay: 0.01 }), sched: (o) => new CosineAnnealingLR(o, { tMax: 20, etaMin: 0.001 }) });
  checkResume({ name: 'AdamW and LinearLR', make: (p) => new AdamW(p, { lr: 0.05 }), sched: (o) => new LinearLR(o, { startFactor: 0.25, totalIters: 16 }) });
  checkResume({ name: 'RMSprop centered with momentum and ExponentialLR', make: (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 }), sched: (o) => new ExponentialLR(o, { gamma: 0.9 }) });
  checkResume({
    name: 'Adagrad with lrDecay and ReduceLROnPlateau',
    make: (p) => new Adagrad(p, { lr: 0.3, lrDecay: 0.05, initialAccumulatorValue: 0.1 }),
    sched: (o) => new ReduceLROnPlateau(o, { patience: 1, factor: 0.5, cooldown: 1 }),
    // improves, then plateaus around the save point so that counters are mid-way when saved
    metric: (t) => [5, 4, 4, 4, 3, 3, 3, 3, 2.9, 2.9, 2.9, 2.95, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1][t]!,
  });
  checkResume({ name: 'plain Adam without a scheduler', make: (p) => new Adam(p, { lr: 0.05 }) }, 1, 8);

  it('indexes parameters in group order and copies buffers', () => {
    const m = model(X0, Y0, [5, 6]);
    const opt = new Adam(m.params, { lr: 0.1 });
    m.loss().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
    expect(sd.paramGroups[1]!.lr).toBe(0.003);
    expect(Object.keys(sd.state).sort()).toEqual(['0', '2']);
    const expAvg = sd.state[0]!.expAvg as Tensor;
    expect(expAvg).toBeInstanceOf(Tensor);
    expect(expAvg.data).not.toBe(opt.state.get(m.x)!.expAvg.data);
    expect(sd.state[0]!.step).toBe(1);
  });

  it('refuses a state dict with another group structure or buffer shape, naming the counts and shapes', () => {
    const m = model(X0, Y0, [5, 6]);
    const opt = new SGD(m.params, { lr: 0.1, momentum: 0.9 });
    m.loss().backward();
    opt.step();
    const sd = opt.stateDict();
    const other = new SGD([tensor([1, 2], { dtype: 'float64', requiresGrad: true })], { momentum: 0.9 });
    expect(() => other.loadStateDict(sd)).toThrow(ValueError);
    expect(() => other.loadStateDict(sd)).toThrow('SGD.loadStateDict: the state dict has 2 param groups, the optimizer has 1');
    const m2 = model([1, 2, 3, 4], Y0, [5, 6]);
    const opt2 = new SGD(m2.params, { momentum: 0.9 });
    expect(() => opt2.loadStateDict(sd)).toThrow(ShapeError);
    expect(() => opt2.loadStateDict(sd)).toThrow("SGD.loadStateDict: state 'momentumBuffer' of parameter 0 has shape [5], the parameter has shape [4]");
  });
});
