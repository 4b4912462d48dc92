import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tapegrad/core';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '@tapegrad/optim';
import { X0, gradient, param, run, value } from './helpers.js';

// Every optimizer, with each of its options, runs 30 steps on f(x) = Σ a·x² + b·x⁴ + c·x (the
// gradient from the tape), and every step's parameters are compared, to 1e-12 relative, with the
// update equations evaluated here on plain numbers (gradient in closed form). The references are
// written from the published update rules, not from the package's code.

const STEPS = 30;
const RTOL = 1e-12;

/** A reference: one update of x (in place) given the gradient and the step number t = 1, 2, ... */
type RefStep = (x: number[], g: number[], t: number) => void;

function reference(makeStep: () => RefStep, sign: number, steps = STEPS): number[][] {
  const step = makeStep();
  const x = [...X0];
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    step(x, gradient(x, sign), t);
    out.push([...x]);
  }
  return out;
}

const zerosN = () => X0.map(() => 0);

function sgdRef(o: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number; maximize?: boolean }): RefStep {
  const mu = o.momentum ?? 0;
  const tau = o.dampening ?? 0;
  const wd = o.weightDecay ?? 0;
  const buf = zerosN();
  return (x, grad, t) => {
    for (let i = 0; i < x.length; i++) {
      let g = o.maximize ? -grad[i]! : grad[i]!;
      g += wd * x[i]!;
      if (mu !== 0) {
        buf[i] = t === 1 ? g : mu * buf[i]! + (1 - tau) * g;
        g = o.nesterov ? g + mu * buf[i]! : buf[i]!;
      }
      x[i] = x[i]! - o.lr * g;
    }
  };
}

function adamRef(o: { lr: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean; maximize?: boolean; decoupled?: boolean }): RefStep {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? 0;
  const m = zerosN();
  const v = zerosN();
  const vmax = zerosN();
  return (x, grad, t) => {
    for (let i = 0; i < x.length; i++) {
      let g = o.maximize ? -grad[i]! : grad[i]!;
      if (o.decoupled) x[i] = x[i]! * (1 - o.lr * wd);
      else g += wd * x[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      const mHat = m[i]! / (1 - b1 ** t);
      const vHat = (o.amsgrad ? vmax[i]! : v[i]!) / (1 - b2 ** t);
      x[i] = x[i]! - (o.lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

function rmspropRef(o: { lr: number; alpha?: number; eps?: number; weightDecay?: number; momentum?: number; centered?: boolean; maximize?: boolean }): RefStep {
  const alpha = o.alpha ?? 0.99;
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? 0;
  const mu = o.momentum ?? 0;
  const sq = zerosN();
  const mean = zerosN();
  const buf = zerosN();
  return (x, grad) => {
    for (let i = 0; i < x.length; i++) {
      let g = o.maximize ? -grad[i]! : grad[i]!;
      g += wd * x[i]!;
      sq[i] = alpha * sq[i]! + (1 - alpha) * g * g;
      mean[i] = alpha * mean[i]! + (1 - alpha) * g;
      const variance = o.centered ? sq[i]! - mean[i]! ** 2 : sq[i]!;
      const denom = Math.sqrt(variance) + eps;
      if (mu > 0) {
        buf[i] = mu * buf[i]! + g / denom;
        x[i] = x[i]! - o.lr * buf[i]!;
      } else x[i] = x[i]! - (o.lr * g) / denom;
    }
  };
}

function adagradRef(o: { lr: number; lrDecay?: number; weightDecay?: number; initialAccumulatorValue?: number; eps?: number; maximize?: boolean }): RefStep {
  const decay = o.lrDecay ?? 0;
  const wd = o.weightDecay ?? 0;
  const eps = o.eps ?? 1e-10;
  const sum = X0.map(() => o.initialAccumulatorValue ?? 0);
  return (x, grad, t) => {
    const lrT = o.lr / (1 + (t - 1) * decay);
    for (let i = 0; i < x.length; i++) {
      let g = o.maximize ? -grad[i]! : grad[i]!;
      g += wd * x[i]!;
      sum[i] = sum[i]! + g * g;
      x[i] = x[i]! - (lrT * g) / (Math.sqrt(sum[i]!) + eps);
    }
  };
}

interface Case {
  name: string;
  make: (x: Tensor) => Optimizer<any, any>;
  /** Makes a fresh reference (with its own buffers). */
  ref: () => RefStep;
  /** -1: the tape minimises -f with maximize: true, i.e. maximises -f. */
  sign?: number;
}

function check(cases: Case[], baseline: Case): void {
  const baseTrajectory = reference(baseline.ref, baseline.sign ?? 1);
  for (const c of cases) {
    it(`${c.name}: every one of ${STEPS} steps matches the reference to 1e-12 relative`, () => {
      const sign = c.sign ?? 1;
      const x = param();
      const got = run(c.make(x), x, STEPS, sign);
      const want = reference(c.ref, sign);
      for (let t = 0; t < STEPS; t++) expect(got[t]!, `step ${t + 1}`).toBeAllClose(want[t]!, { rtol: RTOL, atol: 0 });
      // The run must go somewhere: f decreases, and the option changes the path.
      expect(value(want[STEPS - 1]!)).toBeLessThan(value(X0));
      if (c !== baseline) expect(want[STEPS - 1]).not.toEqual(baseTrajectory[STEPS - 1]);
    });
  }
}

describe('SGD', () => {
  const plain: Case = { name: 'plain', make: (x) => new SGD([x], { lr: 0.01 }), ref: () => sgdRef({ lr: 0.01 }) };
  check(
    [
      plain,
      { name: 'momentum', make: (x) => new SGD([x], { lr: 0.01, momentum: 0.9 }), ref: () => sgdRef({ lr: 0.01, momentum: 0.9 }) },
      {
        name: 'momentum with dampening',
        make: (x) => new SGD([x], { lr: 0.01, momentum: 0.9, dampening: 0.3 }),
        ref: () => sgdRef({ lr: 0.01, momentum: 0.9, dampening: 0.3 }),
      },
      {
        name: 'nesterov',
        make: (x) => new SGD([x], { lr: 0.01, momentum: 0.9, nesterov: true }),
        ref: () => sgdRef({ lr: 0.01, momentum: 0.9, nesterov: true }),
      },
      { name: 'weightDecay', make: (x) => new SGD([x], { lr: 0.01, weightDecay: 0.5 }), ref: () => sgdRef({ lr: 0.01, weightDecay: 0.5 }) },
      { name: 'maximize', make: (x) => new SGD([x], { lr: 0.02, maximize: true }), ref: () => sgdRef({ lr: 0.02, maximize: true }), sign: -1 },
      {
        name: 'maximize with weightDecay, momentum and dampening (gradient negated before weight decay)',
        make: (x) => new SGD([x], { lr: 0.01, momentum: 0.8, dampening: 0.1, weightDecay: 0.2, maximize: true }),
        ref: () => sgdRef({ lr: 0.01, momentum: 0.8, dampening: 0.1, weightDecay: 0.2, maximize: true }),
        sign: -1,
      },
    ],
    plain,
  );
});

describe('Adam', () => {
  const plain: Case = { name: 'plain', make: (x) => new Adam([x], { lr: 0.1 }), ref: () => adamRef({ lr: 0.1 }) };
  check(
    [
      plain,
      { name: 'weightDecay (L2 added to the gradient)', make: (x) => new Adam([x], { lr: 0.1, weightDecay: 0.5 }), ref: () => adamRef({ lr: 0.1, weightDecay: 0.5 }) },
      { name: 'amsgrad', make: (x) => new Adam([x], { lr: 0.1, amsgrad: true }), ref: () => adamRef({ lr: 0.1, amsgrad: true }) },
      { name: 'maximize', make: (x) => new Adam([x], { lr: 0.05, maximize: true }), ref: () => adamRef({ lr: 0.05, maximize: true }), sign: -1 },
      {
        name: 'betas and eps',
        make: (x) => new Adam([x], { lr: 0.1, betas: [0.5, 0.8], eps: 1e-3 }),
        ref: () => adamRef({ lr: 0.1, betas: [0.5, 0.8], eps: 1e-3 }),
      },
      {
        name: 'amsgrad with weightDecay and maximize',
        make: (x) => new Adam([x], { lr: 0.1, amsgrad: true, weightDecay: 0.3, maximize: true }),
        ref: () => adamRef({ lr: 0.1, amsgrad: true, weightDecay: 0.3, maximize: true }),
        sign: -1,
      },
    ],
    plain,
  );
});

describe('AdamW', () => {
  const plain: Case = { name: 'plain (default weightDecay 1e-2, decoupled)', make: (x) => new AdamW([x], { lr: 0.1 }), ref: () => adamRef({ lr: 0.1, weightDecay: 1e-2, decoupled: true }) };
  check(
    [
      plain,
      { name: 'weightDecay', make: (x) => new AdamW([x], { lr: 0.1, weightDecay: 0.5 }), ref: () => adamRef({ lr: 0.1, weightDecay: 0.5, decoupled: true }) },
      { name: 'amsgrad', make: (x) => new AdamW([x], { lr: 0.1, amsgrad: true }), ref: () => adamRef({ lr: 0.1, weightDecay: 1e-2, amsgrad: true, decoupled: true }) },
      {
        name: 'maximize',
        make: (x) => new AdamW([x], { lr: 0.05, maximize: true }),
        ref: () => adamRef({ lr: 0.05, weightDecay: 1e-2, maximize: true, decoupled: true }),
        sign: -1,
      },
    ],
    plain,
  );
});

describe('RMSprop', () => {
  const plain: Case = { name: 'plain', make: (x) => new RMSprop([x], { lr: 0.01 }), ref: () => rmspropRef({ lr: 0.01 }) };
  check(
    [
      plain,
      { name: 'weightDecay', make: (x) => new RMSprop([x], { lr: 0.01, weightDecay: 0.5 }), ref: () => rmspropRef({ lr: 0.01, weightDecay: 0.5 }) },
      { name: 'momentum', make: (x) => new RMSprop([x], { lr: 0.01, momentum: 0.5 }), ref: () => rmspropRef({ lr: 0.01, momentum: 0.5 }) },
      { name: 'centered', make: (x) => new RMSprop([x], { lr: 0.01, centered: true }), ref: () => rmspropRef({ lr: 0.01, centered: true }) },
      {
        name: 'centered with momentum',
        make: (x) => new RMSprop([x], { lr: 0.01, centered: true, momentum: 0.5 }),
        ref: () => rmspropRef({ lr: 0.01, centered: true, momentum: 0.5 }),
      },
      { name: 'alpha and eps', make: (x) => new RMSprop([x], { lr: 0.01, alpha: 0.9, eps: 1e-2 }), ref: () => rmspropRef({ lr: 0.01, alpha: 0.9, eps: 1e-2 }) },
      { name: 'maximize', make: (x) => new RMSprop([x], { lr: 0.005, maximize: true }), ref: () => rmspropRef({ lr: 0.005, maximize: true }), sign: -1 },
    ],
    plain,
  );
});

describe('Adagrad', () => {
  const plain: Case = { name: 'plain', make: (x) => new Adagrad([x], { lr: 0.5 }), ref: () => adagradRef({ lr: 0.5 }) };
  check(
    [
      plain,
      { name: 'lrDecay', make: (x) => new Adagrad([x], { lr: 0.5, lrDecay: 0.1 }), ref: () => adagradRef({ lr: 0.5, lrDecay: 0.1 }) },
      { name: 'weightDecay', make: (x) => new Adagrad([x], { lr: 0.5, weightDecay: 0.5 }), ref: () => adagradRef({ lr: 0.5, weightDecay: 0.5 }) },
      {
        name: 'initialAccumulatorValue',
        make: (x) => new Adagrad([x], { lr: 0.5, initialAccumulatorValue: 2 }),
        ref: () => adagradRef({ lr: 0.5, initialAccumulatorValue: 2 }),
      },
      { name: 'eps', make: (x) => new Adagrad([x], { lr: 0.5, eps: 0.5 }), ref: () => adagradRef({ lr: 0.5, eps: 0.5 }) },
      { name: 'maximize', make: (x) => new Adagrad([x], { lr: 0.3, maximize: true }), ref: () => adagradRef({ lr: 0.3, maximize: true }), sign: -1 },
    ],
    plain,
  );
});
