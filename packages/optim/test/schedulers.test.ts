import { describe, expect, it } from 'vitest';
import { ValueError, tensor } from '@tapegrad/core';
import {
  CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, ReduceLROnPlateau, SGD, StepLR, type LRScheduler,
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
    expect(() => new StepLR(optimizer(), { stepSize: 2.5 })).toThrow('StepLR: invalid step size: 2.5 (stepSize must be an integer >= 1)');
  });

  it('requires initialLr on every group to resume from a lastEpoch', () => {
    expect(() => new StepLR(optimizer(), { stepSize: 3, lastEpoch: 7 })).toThrow(
      'StepLR: param group 0 has no initialLr, which resuming with lastEpoch=7 requires',
    );
    const opt = optimizer();
    opt.paramGroups.forEach((g) => (g.initialLr = g.lr));
    const s = new StepLR(opt, { stepSize: 3, gamma: 0.1, lastEpoch: 7 });
    expect(s.lastEpoch).toBe(8);
    expect(s.getLastLr()).toBeAllClose(BASES.map((b) => b * 0.01), { rtol: 1e-15 });
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
    expect(sd).toEqual({ lastEpoch: 5, baseLrs: BASES, lastLr: s1.getLastLr(), tMax: 7, etaMin: 0.01 });
    const opt2 = optimizer();
    const s2 = new CosineAnnealingLR(opt2, { tMax: 7, etaMin: 0.01 });
    s2.loadStateDict(sd);
    for (let e = 0; e < 5; e++) {
      s1.step();
      s2.step();
      expect(s2.getLastLr()).toEqual(s1.getLastLr());
    }
    expect(() => s2.loadStateDict({ gamma: 0.1 })).toThrow("CosineAnnealingLR.loadStateDict: unknown entry 'gamma'");
  });
});
