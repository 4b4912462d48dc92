import { describe, expect, it } from 'vitest';
import { ValueError, tensor } from '@tapegrad/core';
import {
  Adam, ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR,
  OneCycleLR, PolynomialLR, ReduceLROnPlateau, SequentialLR, SGD, StepLR, type LRScheduler,
} from '@tapegrad/optim';

// Each scheduler's learning rates over 30 epochs, for two param groups, against its closed form
// computed here. The first entry is the rate set by the constructor (epoch 0).

const BASES = [0.1, 0.02];
const EPOCHS = 30;

function optimizer() {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3], { requiresGrad: true });
  return new SGD([{ params: [a] }, { params: [b], lr: BASES[1] }], { lr: BASES[0] });
}

function sequence(sched: LRScheduler, opt: SGD): number[][] {
  const lrs = [sched.getLastLr()];
  expect(lrs[0]).toEqual(opt.paramGroups.map((g) => g.lr));
  for (let e = 1; e <= EPOCHS; e++) {
    opt.step();
    sched.step();
    lrs.push(sched.getLastLr());
    expect(lrs[e]).toEqual(opt.paramGroups.map((g) => g.lr));
  }
  return lrs;
}

function closedForm(f: (base: number, epoch: number) => number): number[][] {
  return Array.from({ length: EPOCHS + 1 }, (_, e) => BASES.map((b) => f(b, e)));
}

function expectSequence(got: number[][], want: number[][]): void {
  expect(got.length).toBe(want.length);
  got.forEach((lrs, e) => expect(lrs, `epoch ${e}`).toBeAllClose(want[e]!, { rtol: 1e-13, atol: 0 }));
}

describe('StepLR', () => {
  it('decays by gamma every stepSize epochs: base * gamma^floor(epoch / stepSize)', () => {
    const opt = optimizer();
    const got = sequence(new StepLR(opt, { stepSize: 4, gamma: 0.5 }), opt);
    expectSequence(got, closedForm((b, e) => b * Math.pow(0.5, Math.floor(e / 4))));
    expect(got[3]![0]).toBe(0.1);
    expect(got[4]![0]).toBe(0.05);
  });

  it('records the base rates as initialLr on the groups, keeping the first scheduler\'s', () => {
    const opt = optimizer();
    new StepLR(opt, { stepSize: 1, gamma: 0.5 }).step();
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual(BASES);
    const second = new ExponentialLR(opt, { gamma: 0.9 });
    expect(second.baseLrs).toEqual(BASES);
  });

  it('schedules a group added later from its own lr, recorded as its initialLr', () => {
    const opt = optimizer();
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    sched.step();
    opt.addParamGroup({ params: [tensor([1], { requiresGrad: true })], lr: 0.4 });
    for (let e = 2; e <= 5; e++) sched.step();
    expect(opt.paramGroups[2]!.initialLr).toBe(0.4);
    expect(sched.getLastLr()).toEqual([0.1 / 4, 0.02 / 4, 0.4 / 4]);
  });

  it('rejects a step size that is not a positive integer, naming it', () => {
    expect(() => new StepLR(optimizer(), { stepSize: 0 })).toThrow(ValueError);
    expect(() => new StepLR(optimizer(), { stepSize: -2 })).toThrow('StepLR: invalid step size: -2 (stepSize must be an integer >= 1)');
    expect(() => new StepLR(optimizer(), { stepSize: 2.5 })).toThrow('StepLR: option stepSize must be an integer, got 2.5 (a number)');
  });

  it('requires initialLr on every group to resume from a lastEpoch', () => {
    expect(() => new StepLR(optimizer(), { stepSize: 3, lastEpoch: 7 })).toThrow(
      'StepLR: param group 0 has no initialLr, which resuming with lastEpoch=7 requires',
    );
    // As in PyTorch, the schedule continues from the groups' lrs (restored from the optimizer's state dict).
    const opt = optimizer();
    opt.paramGroups.forEach((g) => {
      g.initialLr = g.lr;
      g.lr *= 0.01; // the lr at epoch 7
    });
    const s = new StepLR(opt, { stepSize: 3, gamma: 0.1, lastEpoch: 7 });
    expect(s.lastEpoch).toBe(8);
    expect(s.baseLrs).toEqual(BASES);
    expect(s.getLastLr()).toBeAllClose(BASES.map((b) => b * 0.01), { rtol: 1e-15 });
    s.step();
    expect(s.getLastLr()).toBeAllClose(BASES.map((b) => b * 0.001), { rtol: 1e-15 });
  });
});

describe('MultiStepLR', () => {
  it('decays by gamma at each milestone, twice at a repeated one: base * gamma^#{m <= epoch}', () => {
    const milestones = [20, 7, 3, 7];
    const opt = optimizer();
    const got = sequence(new MultiStepLR(opt, { milestones, gamma: 0.3 }), opt);
    expectSequence(got, closedForm((b, e) => b * 0.3 ** milestones.filter((m) => m <= e).length));
  });

  it('rejects negative or fractional milestones, naming them', () => {
    expect(() => new MultiStepLR(optimizer(), { milestones: [3, -1] })).toThrow(
      'MultiStepLR: invalid milestones: [3, -1] (milestones must be non-negative integers)',
    );
  });
});

describe('ExponentialLR', () => {
  it('decays by gamma every epoch: base * gamma^epoch', () => {
    const opt = optimizer();
    const got = sequence(new ExponentialLR(opt, { gamma: 0.9 }), opt);
    expectSequence(got, closedForm((b, e) => b * Math.exp(e * Math.log(0.9))));
  });

  it('rejects a non-finite gamma, naming it', () => {
    expect(() => new ExponentialLR(optimizer(), { gamma: NaN })).toThrow('ExponentialLR: invalid gamma: NaN (gamma must be a finite number)');
  });
});

describe('CosineAnnealingLR', () => {
  const tMax = 10;
  const etaMin = 0.001;

  it('follows etaMin + (base - etaMin)(1 + cos(pi * epoch / tMax)) / 2, past tMax too', () => {
    const opt = optimizer();
    const got = sequence(new CosineAnnealingLR(opt, { tMax, etaMin }), opt);
    expectSequence(got, closedForm((b, e) => etaMin + (b - etaMin) * (1 + Math.cos((Math.PI * e) / tMax)) / 2));
    expect(got[tMax]![0]).toBeCloseTo(etaMin, 15);
    expect(got[2 * tMax]![0]).toBeCloseTo(0.1, 15);
  });

  it("agrees with PyTorch's recursive form when stepped normally", () => {
    const opt = optimizer();
    const got = sequence(new CosineAnnealingLR(opt, { tMax, etaMin }), opt);
    // PyTorch's chainable update, from the lr of the previous epoch.
    const rec = [BASES];
    for (let e = 1; e <= EPOCHS; e++) {
      const prev = rec[e - 1]!;
      rec.push(
        BASES.map((b, i) =>
          (e - 1 - tMax) % (2 * tMax) === 0
            ? prev[i]! + ((b - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2
            : ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (prev[i]! - etaMin) + etaMin,
        ),
      );
    }
    got.forEach((lrs, e) => expect(lrs, `epoch ${e}`).toBeAllClose(rec[e]!, { rtol: 1e-10, atol: 1e-15 }));
  });

  it('rejects a tMax that is not a positive integer, naming it', () => {
    expect(() => new CosineAnnealingLR(optimizer(), { tMax: 0 })).toThrow('CosineAnnealingLR: invalid T_max: 0 (tMax must be an integer >= 1)');
  });
});

describe('LinearLR', () => {
  it('warms up from base/3 to base over 5 epochs with the defaults', () => {
    const opt = optimizer();
    const got = sequence(new LinearLR(opt), opt);
    expectSequence(got, closedForm((b, e) => b * (1 / 3 + (2 / 3) * (Math.min(e, 5) / 5))));
    expect(got[0]![0]).toBeCloseTo(0.1 / 3, 15);
  });

  it('moves linearly between any two factors: base * (s + (e - s) min(epoch, T) / T)', () => {
    const opt = optimizer();
    const got = sequence(new LinearLR(opt, { startFactor: 0.5, endFactor: 0.1, totalIters: 8 }), opt);
    expectSequence(got, closedForm((b, e) => b * (0.5 - 0.4 * (Math.min(e, 8) / 8))));
  });

  it('rejects factors out of range, naming them', () => {
    expect(() => new LinearLR(optimizer(), { startFactor: 0 })).toThrow('LinearLR: invalid start factor: 0 (startFactor must be in (0, 1])');
    expect(() => new LinearLR(optimizer(), { endFactor: 1.5 })).toThrow('LinearLR: invalid end factor: 1.5 (endFactor must be in [0, 1])');
  });
});

describe('ReduceLROnPlateau', () => {
  it('halves the rates after more than patience bad epochs, with cooldown and minLr (mode min, rel threshold)', () => {
    const opt = optimizer();
    const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2, threshold: 0.1, cooldown: 1, minLr: [0.02, 0.001] });
    const losses = [10, 9.5, 9.2, 9.1, 9.0, 8.5, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7];
    // Derived by hand: "better" means loss < 0.9 * best (epochs 1, 6, 10). Bad epochs count up
    // and the rates halve when the count passes 2: at epochs 4, 9, 13, 17 and 21; the epoch after
    // each reduction is swallowed by the cooldown (epochs 5, 10, 14, 18). At 13 the first group
    // stops at its minLr 0.02 (0.0125 would be below) and stays there; at 21 the second group
    // stops at its minLr 0.001.
    const first = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02];
    const second = [
      0.02, 0.02, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.0025, 0.0025, 0.0025, 0.0025, 0.00125, 0.00125, 0.00125,
      0.00125, 0.001,
    ];
    expect(sched.getLastLr()).toEqual(BASES);
    losses.forEach((loss, i) => {
      sched.step(loss);
      expect(sched.getLastLr(), `epoch ${i + 1}`).toEqual([first[i], second[i]]);
    });
  });

  it('reduces at once with patience 0 in mode max with an absolute threshold', () => {
    const opt = optimizer();
    const sched = new ReduceLROnPlateau(opt, { mode: 'max', factor: 0.1, patience: 0, threshold: 0.5, thresholdMode: 'abs' });
    const accuracies = [1, 1.4, 2, 2.4, 2.6];
    // "better" means acc > best + 0.5: epoch 1 (first), 3 (2 > 1.5), 5 (2.6 > 2.5).
    const want = [0.1, 0.01, 0.01, 0.001, 0.001];
    accuracies.forEach((a, i) => {
      sched.step(tensor(a));
      expect(sched.getLastLr()[0]).toBeCloseTo(want[i]!, 15);
    });
    expect(sched.best).toBeCloseTo(2.6, 6);
  });

  it('rejects a factor of 1 or more, and unknown modes, naming them', () => {
    expect(() => new ReduceLROnPlateau(optimizer(), { factor: 1 })).toThrow('ReduceLROnPlateau: invalid factor: 1 (factor must be in [0, 1))');
    expect(() => new ReduceLROnPlateau(optimizer(), { mode: 'up' as 'max' })).toThrow(`ReduceLROnPlateau: invalid mode: "up" (mode must be 'min' or 'max')`);
    expect(() => new ReduceLROnPlateau(optimizer(), { minLr: [0.1] })).toThrow(
      'ReduceLROnPlateau: invalid minLr: [0.1] (expected 2 values, one per param group, got 1)',
    );
  });
});

describe('LRScheduler.stateDict', () => {
  it('restores the epoch so that a fresh scheduler continues the same sequence', () => {
    const opt = optimizer();
    const s1 = new CosineAnnealingLR(opt, { tMax: 7, etaMin: 0.01 });
    for (let e = 0; e < 5; e++) s1.step();
    const sd = s1.stateDict();
    expect(sd).toEqual({ lastEpoch: 5, stepCount: 6, baseLrs: BASES, lastLr: s1.getLastLr(), tMax: 7, etaMin: 0.01 });
    const opt2 = optimizer();
    const s2 = new CosineAnnealingLR(opt2, { tMax: 7, etaMin: 0.01 });
    s2.loadStateDict(sd);
    opt2.loadStateDict(opt.stateDict()); // the groups' current lrs, which the next step starts from
    for (let e = 0; e < 5; e++) {
      s1.step();
      s2.step();
      expect(s2.getLastLr()).toEqual(s1.getLastLr());
    }
    expect(() => s2.loadStateDict({ gamma: 0.1 })).toThrow("CosineAnnealingLR.loadStateDict: unknown entry 'gamma'");
  });
});

// The PyTorch schedulers added with the chainable form: each sequence derived by hand from
// PyTorch's update rules (get_lr / _get_closed_form_lr), for base rate 0.1 unless stated.

function single(lr = 0.1, opts: { momentum?: number } = {}) {
  return new SGD([tensor([1], { requiresGrad: true })], { lr, ...opts });
}

function run(sched: { step(): void; getLastLr(): number[] }, steps: number): number[] {
  const out = [sched.getLastLr()[0]!];
  for (let i = 0; i < steps; i++) {
    sched.step();
    out.push(sched.getLastLr()[0]!);
  }
  return out;
}

describe('chaining', () => {
  it('composes two schedulers stepped on one optimizer, as in PyTorch', () => {
    // ConstantLR x0.1 until epoch 2 and ExponentialLR x0.9 every epoch, on lr 1.
    const opt = single(1);
    const constant = new ConstantLR(opt, { factor: 0.1, totalIters: 2 });
    const exp = new ExponentialLR(opt, { gamma: 0.9 });
    const lrs = [opt.paramGroups[0]!.lr];
    for (let e = 1; e <= 4; e++) {
      constant.step();
      exp.step();
      lrs.push(opt.paramGroups[0]!.lr);
    }
    expect(lrs).toBeAllClose([0.1, 0.09, 0.81, 0.729, 0.6561], { rtol: 1e-14 });
  });

  it('carries an lr set by hand into the next steps', () => {
    const opt = single();
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    sched.step();
    opt.paramGroups[0]!.lr = 1;
    sched.step();
    expect(sched.getLastLr()).toEqual([0.5]);
  });

  it('jumps to an epoch with step(epoch), by the closed form', () => {
    const opt = single();
    const sched = new StepLR(opt, { stepSize: 3, gamma: 0.1 });
    sched.step(7);
    expect(sched.lastEpoch).toBe(7);
    expect(sched.getLastLr()).toBeAllClose([0.001], { rtol: 1e-14 });
  });
});

describe('LambdaLR and MultiplicativeLR', () => {
  it('LambdaLR sets baseLr * lrLambda(epoch), one function per group', () => {
    const opt = optimizer();
    const sched = new LambdaLR(opt, { lrLambda: [(e) => 1 / (e + 1), (e) => 0.5 ** e] });
    const got = sequence(sched, opt);
    expectSequence(got, Array.from({ length: EPOCHS + 1 }, (_, e) => [0.1 / (e + 1), 0.02 * 0.5 ** e]));
    expect(() => new LambdaLR(optimizer(), { lrLambda: [() => 1] })).toThrow(
      'LambdaLR: lrLambda must be a function or 2 functions (one per param group), got an array',
    );
  });

  it('MultiplicativeLR multiplies the lr by lrLambda(epoch) from epoch 1', () => {
    const opt = optimizer();
    const got = sequence(new MultiplicativeLR(opt, { lrLambda: () => 0.9 }), opt);
    expectSequence(got, closedForm((b, e) => b * 0.9 ** e));
  });
});

describe('ConstantLR', () => {
  it('scales by factor until totalIters: [0.05, 0.05, 0.1, 0.1]', () => {
    expect(run(new ConstantLR(single(), { factor: 0.5, totalIters: 2 }), 3)).toBeAllClose([0.05, 0.05, 0.1, 0.1], { rtol: 1e-15 });
    expect(() => new ConstantLR(single(), { factor: 2 })).toThrow('ConstantLR: invalid factor: 2 (factor must be in [0, 1])');
  });
});

describe('PolynomialLR', () => {
  it('decays as base * (1 - min(epoch, T) / T)^power and stays at 0', () => {
    const opt = optimizer();
    const got = sequence(new PolynomialLR(opt, { totalIters: 4, power: 2 }), opt);
    got.forEach((lrs, e) => expect(lrs, `epoch ${e}`).toBeAllClose(BASES.map((b) => b * (1 - Math.min(e, 4) / 4) ** 2), { rtol: 1e-13, atol: 1e-18 }));
    expect(got[1]![0]).toBeCloseTo(0.05625, 15);
  });
});

describe('CosineAnnealingWarmRestarts', () => {
  const c = (t: number, T: number) => (0.1 * (1 + Math.cos((Math.PI * t) / T))) / 2;

  it('restarts the cosine after t0, t0 * tMult, ... epochs', () => {
    const sched = new CosineAnnealingWarmRestarts(single(), { t0: 2, tMult: 2 });
    const want = [c(0, 2), c(1, 2), c(0, 4), c(1, 4), c(2, 4), c(3, 4), c(0, 8), c(1, 8)];
    expect(run(sched, 7)).toBeAllClose(want, { rtol: 1e-14 });
    expect(sched.tI).toBe(8);
  });

  it('jumps to an epoch with step(epoch)', () => {
    const sched = new CosineAnnealingWarmRestarts(single(), { t0: 2, tMult: 2 });
    sched.step(9); // cycles of 2, 4, 8 start at 0, 2, 6: epoch 9 is 3 into the cycle of 8
    expect([sched.tCur, sched.tI]).toEqual([3, 8]);
    expect(sched.getLastLr()).toBeAllClose([c(3, 8)], { rtol: 1e-14 });
    expect(() => new CosineAnnealingWarmRestarts(single(), { t0: 2, tMult: 0 })).toThrow('(tMult must be an integer >= 1)');
  });
});

describe('SequentialLR', () => {
  it('runs a warm-up then a decay, restarting the second at its milestone', () => {
    const opt = single();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const decay = new ExponentialLR(opt, { gamma: 0.5 });
    const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] });
    expect(run(sched, 4)).toBeAllClose([0.05, 0.075, 0.1, 0.05, 0.025], { rtol: 1e-14 });
    expect(sched.lastEpoch).toBe(4);
    expect(() => new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [] })).toThrow(
      'SequentialLR: expected 1 milestones for 2 schedulers, got an array []',
    );
    expect(() => new SequentialLR(single(), { schedulers: [warmup], milestones: [] })).toThrow(/scheduler 0 \(LinearLR\) is on another optimizer/);
  });

  it('saves and restores the states of its schedulers', () => {
    const make = (opt: SGD) =>
      new SequentialLR(opt, { schedulers: [new ConstantLR(opt, { factor: 0.5, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })], milestones: [3] });
    const opt1 = single();
    const a = make(opt1);
    for (let i = 0; i < 4; i++) a.step();
    const opt2 = single();
    const b = make(opt2);
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    opt2.loadStateDict(opt1.stateDict());
    a.step();
    b.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());
    expect(b.lastEpoch).toBe(5);
  });
});

describe('OneCycleLR', () => {
  const min = 0.04 / 1e4;

  it('rises from maxLr / 25 to maxLr over pctStart of the steps along a cosine, then falls to the final rate, cycling momentum', () => {
    const opt = single(0.1, { momentum: 0.9 });
    const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
    const lrs = [sched.getLastLr()[0]!];
    const moms = [opt.paramGroups[0]!.momentum];
    for (let i = 1; i <= 10; i++) {
      sched.step();
      lrs.push(sched.getLastLr()[0]!);
      moms.push(opt.paramGroups[0]!.momentum);
    }
    // Phase 1 ends at step 0.3 * 10 - 1 = 2; phase 2 runs from step 2 to 9 (and on to 10).
    const cos = (s: number, e: number, p: number) => e + ((s - e) / 2) * (Math.cos(Math.PI * p) + 1);
    const want = Array.from({ length: 11 }, (_, s) => (s <= 2 ? cos(0.04, 1, s / 2) : cos(1, min, (s - 2) / 7)));
    const wantM = Array.from({ length: 11 }, (_, s) => (s <= 2 ? cos(0.95, 0.85, s / 2) : cos(0.85, 0.95, (s - 2) / 7)));
    expect(lrs).toBeAllClose(want, { rtol: 1e-13 });
    expect(lrs.slice(0, 3)).toBeAllClose([0.04, 0.52, 1], { rtol: 1e-14 });
    expect(lrs[9]).toBeCloseTo(min, 18);
    expect(moms).toBeAllClose(wantM, { rtol: 1e-13 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.04);
    expect(() => sched.step()).toThrow('OneCycleLR: tried to step 11 times; the specified number of total steps is 10');
  });

  it('anneals linearly in three phases, cycling Adam\'s beta1', () => {
    const opt = new Adam([tensor([1], { requiresGrad: true })]);
    const sched = new OneCycleLR(opt, { maxLr: 1, epochs: 2, stepsPerEpoch: 5, pctStart: 0.3, annealStrategy: 'linear', threePhase: true });
    const lrs = run(sched, 9);
    // Phases end at steps 2, 4 and 9: 0.04 -> 1 -> 0.04 -> 4e-6.
    const lin = (s: number, e: number, p: number) => s + (e - s) * p;
    const want = Array.from({ length: 10 }, (_, s) => (s <= 2 ? lin(0.04, 1, s / 2) : s <= 4 ? lin(1, 0.04, (s - 2) / 2) : lin(0.04, min, (s - 4) / 5)));
    expect(lrs).toBeAllClose(want, { rtol: 1e-13 });
    expect(opt.paramGroups[0]!.betas[0]).toBeCloseTo(0.95, 15);
    expect(opt.paramGroups[0]!.betas[1]).toBe(0.999);
    const plain = { paramGroups: [{ lr: 0.1 }] };
    expect(() => new OneCycleLR(plain, { maxLr: 1, totalSteps: 5 })).toThrow(/optimizer must support momentum or betas/);
    expect(new OneCycleLR(plain, { maxLr: 1, totalSteps: 5, cycleMomentum: false }).getLastLr()).toBeAllClose([0.04], { rtol: 1e-14 });
  });
});

describe('scheduler options', () => {
  const bad = (C: unknown, ...args: unknown[]) => () => new (C as new (...a: unknown[]) => unknown)(...args);

  it('refuses positional values, misspelt keys and wrong types, naming the keys', () => {
    expect(bad(StepLR, single(), 30)).toThrow(
      'StepLR: expected an options object such as { stepSize: ... }, got 30 (a number); StepLR takes stepSize, gamma, lastEpoch',
    );
    expect(bad(StepLR, single(), { step_size: 30 })).toThrow("StepLR: unknown option 'step_size' (did you mean 'stepSize'?)");
    expect(bad(ExponentialLR, single(), { gamma: '0.9' })).toThrow("ExponentialLR: option gamma must be a number, got '0.9' (a string)");
    expect(bad(MultiStepLR, single(), [30, 80])).toThrow(/^MultiStepLR: expected an options object such as \{ milestones: \.\.\. \}/);
    expect(bad(CosineAnnealingLR, single(), { T_max: 10 })).toThrow(/did you mean 'tMax'/);
    expect(bad(LinearLR, single(), 0.5)).toThrow(/^LinearLR: expected an options object such as \{ startFactor: \.\.\. \}/);
    expect(bad(ReduceLROnPlateau, single(), 'min')).toThrow(/^ReduceLROnPlateau: expected an options object such as \{ mode: \.\.\. \}, got 'min'/);
    expect(bad(ReduceLROnPlateau, single(), { min_lr: 0 })).toThrow(/did you mean 'minLr'/);
    expect(bad(ReduceLROnPlateau, single(), { patience: 2.5 })).toThrow(/option patience must be an integer/);
    expect(bad(LambdaLR, single(), () => 1)).toThrow(/^LambdaLR: expected an options object such as \{ lrLambda: \.\.\. \}, got a function/);
    expect(bad(ConstantLR, single(), { total_iters: 2 })).toThrow(/did you mean 'totalIters'/);
    expect(bad(PolynomialLR, single(), { power: '2' })).toThrow(/option power must be a number/);
    expect(bad(CosineAnnealingWarmRestarts, single(), 10)).toThrow(/^CosineAnnealingWarmRestarts: expected an options object such as \{ t0: \.\.\. \}/);
    expect(bad(OneCycleLR, single(0.1, { momentum: 0.9 }), { max_lr: 1, totalSteps: 4 })).toThrow(/did you mean 'maxLr'/);
    expect(bad(SequentialLR, single(), [])).toThrow(/^SequentialLR: expected an options object such as \{ schedulers: \.\.\. \}/);
  });
});
