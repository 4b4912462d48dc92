import { describe, expect, it } from 'vitest';
import { ValueError, tensor, type Tensor } from '@tapegrad/core';
import {
  ASGD, Adadelta, Adamax, ChainedScheduler, CyclicLR, ExponentialLR, LBFGS, NAdam, RAdam, Rprop, SGD, Adam, StepLR,
} from '@tapegrad/optim';

const f64 = (values: number[]) => tensor(values, { dtype: 'float64', requiresGrad: true });
const quadStep = (opt: { zeroGrad(): void; step(): unknown }, w: Tensor) => {
  opt.zeroGrad();
  w.mul(w).sum().backward();
  opt.step();
};

describe('Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD', () => {
  const makers = {
    Adadelta: (p: Tensor[], o?: object) => new Adadelta(p, o),
    Adamax: (p: Tensor[], o?: object) => new Adamax(p, o),
    NAdam: (p: Tensor[], o?: object) => new NAdam(p, o),
    RAdam: (p: Tensor[], o?: object) => new RAdam(p, o),
    Rprop: (p: Tensor[], o?: object) => new Rprop(p, o),
    ASGD: (p: Tensor[], o?: object) => new ASGD(p, o),
  };

  it("have PyTorch's defaults", () => {
    const w = f64([1]);
    expect(new Adadelta([w]).defaults).toEqual({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
    expect(new Adamax([w]).defaults).toEqual({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
    expect(new NAdam([w]).defaults).toEqual({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 });
    expect(new RAdam([w]).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(new Rprop([w]).defaults).toEqual({ lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
    expect(new ASGD([w]).defaults).toEqual({ lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false });
  });

  it('refuse a negative learning rate, naming the optimizer and the value', () => {
    for (const [name, make] of Object.entries(makers))
      expect(() => make([f64([1])], { lr: -1 }), name).toThrow(new ValueError(`${name}: invalid learning rate: -1 (lr must be >= 0)`));
  });

  it('refuse bad hyper-parameters of their own', () => {
    expect(() => new Adadelta([f64([1])], { rho: 1.5 })).toThrow('Adadelta: invalid rho value: 1.5 (rho must be in [0, 1])');
    expect(() => new Adamax([f64([1])], { betas: [1, 0.9] })).toThrow('Adamax: invalid beta parameter at index 0: 1');
    expect(() => new NAdam([f64([1])], { momentumDecay: -1 })).toThrow('NAdam: invalid momentum decay: -1 (momentumDecay must be >= 0)');
    expect(() => new RAdam([f64([1])], { eps: -1 })).toThrow('RAdam: invalid epsilon value: -1');
    expect(() => new Rprop([f64([1])], { etas: [0.5, 0.9] })).toThrow('Rprop: invalid eta values: [0.5, 0.9]');
    expect(() => new Rprop([f64([1])], { stepSizes: [1, 0.1] })).toThrow('Rprop: invalid step sizes: [1, 0.1]');
    expect(() => new ASGD([f64([1])], { t0: Infinity })).toThrow('ASGD: invalid t0 value: Infinity (t0 must be a finite number)');
  });

  it('refuse options PyTorch 1.13 does not have and snake_case keys', () => {
    expect(() => new NAdam([f64([1])], { maximize: true } as never)).toThrow(/maximize/);
    expect(() => new RAdam([f64([1])], { weight_decay: 0.1 } as never)).toThrow(/weightDecay/);
    expect(() => new Rprop([f64([1])], 0.1 as never)).toThrow(/options object/);
  });

  it('round-trip their state through stateDict and continue the same trajectory', () => {
    for (const [name, make] of Object.entries(makers)) {
      const a = f64([1, -2, 0.5]), b = f64([1, -2, 0.5]);
      const optA = make([a], { lr: 0.05 });
      for (let i = 0; i < 3; i++) quadStep(optA, a);
      b.data.set(a.data);
      const optB = make([b]);
      optB.loadStateDict(optA.stateDict());
      for (let i = 0; i < 3; i++) {
        quadStep(optA, a);
        quadStep(optB, b);
      }
      expect(b.toArray(), name).toEqual(a.toArray());
    }
  });

  it('Rprop grows a step size while the sign holds, and does not move an element whose sign flipped', () => {
    const w = f64([1]);
    const opt = new Rprop([w], { lr: 0.1, etas: [0.5, 2] });
    const setGrad = (g: number) => (w.grad = tensor([g], { dtype: 'float64' }));
    setGrad(1); opt.step(); // 1 - 0.1
    setGrad(1); opt.step(); // - 0.2
    expect(w.item()).toBeCloseTo(0.7, 12);
    setGrad(-1); opt.step(); // flipped: step size halves, no move
    expect(w.item()).toBeCloseTo(0.7, 12);
    expect(opt.state.get(w)!.stepSize.item()).toBeCloseTo(0.1, 12);
    setGrad(-1); opt.step(); // fresh start after the flip: + 0.1
    expect(w.item()).toBeCloseTo(0.8, 12);
  });

  it('ASGD averages the iterates from t0 on', () => {
    const w = f64([1]);
    const opt = new ASGD([w], { lr: 0.1, lambd: 0, t0: 1 });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      w.grad = tensor([1], { dtype: 'float64' });
      opt.step();
      seen.push(w.item());
    }
    // mu = 1 / max(1, t - t0) is 1 up to step 3, so the average restarts at the third iterate and then takes in the fourth.
    const ax = opt.state.get(w)!.ax.item();
    expect(ax).toBeCloseTo((seen[2]! + seen[3]!) / 2, 12);
  });
});

describe('LBFGS', () => {
  const closureFor = (opt: LBFGS, w: Tensor) => () => {
    opt.zeroGrad();
    const loss = w.sub(tensor([1, 2], { dtype: 'float64' })).pow(2).sum();
    loss.backward();
    return loss;
  };

  it('minimises a quadratic in one step, returning the loss at the start', () => {
    const w = f64([0, 0]);
    const opt = new LBFGS([w], { lineSearchFn: 'strong_wolfe' });
    const loss = opt.step(closureFor(opt, w));
    expect((loss as Tensor).item()).toBe(5);
    expect(w).toBeAllClose([1, 2], { rtol: 1e-8, atol: 1e-8 });
  });

  it('accepts a closure that returns a number', () => {
    const w = f64([0, 0]);
    const opt = new LBFGS([w]);
    const inner = closureFor(opt, w);
    expect(opt.step(() => (inner() as Tensor).item())).toBe(5);
  });

  it('requires a closure', () => {
    const opt = new LBFGS([f64([1])]);
    expect(() => opt.step()).toThrow('LBFGS.step: requires a closure that recomputes the loss and calls backward, got undefined');
  });

  it('refuses a second param group and bad options', () => {
    expect(() => new LBFGS([{ params: [f64([1])] }, { params: [f64([2])] }])).toThrow("LBFGS: doesn't support per-parameter options");
    expect(() => new LBFGS([f64([1])], { lineSearchFn: 'backtracking' as never })).toThrow(/lineSearchFn/);
    expect(() => new LBFGS([f64([1])], { historySize: 0 })).toThrow('LBFGS: invalid historySize: 0 (historySize must be an integer >= 1)');
    expect(() => new LBFGS([f64([1])], { max_iter: 3 } as never)).toThrow(/maxIter/);
  });

  it('defaults maxEval to maxIter · 5 / 4, rounded down', () => {
    expect(new LBFGS([f64([1])], { maxIter: 10 }).defaults.maxEval).toBe(12);
    expect(new LBFGS([f64([1])]).defaults).toEqual({
      lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null,
    });
  });

  it('continues identically after loading a state dict into a fresh optimizer', () => {
    const rosen = (opt: LBFGS, x: Tensor) => () => {
      opt.zeroGrad();
      const [a, b] = [x.select(0, 0), x.select(0, 1)];
      const loss = a.neg().add(1).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
      loss.backward();
      return loss;
    };
    const x = f64([-1.5, 2]);
    const opt = new LBFGS([x], { maxIter: 3, lineSearchFn: 'strong_wolfe' });
    opt.step(rosen(opt, x));
    const y = f64([0, 0]);
    y.data.set(x.data);
    const opt2 = new LBFGS([y]);
    opt2.loadStateDict(opt.stateDict());
    for (let i = 0; i < 3; i++) {
      opt.step(rosen(opt, x));
      opt2.step(rosen(opt2, y));
    }
    expect(y.toArray()).toEqual(x.toArray());
  });
});

describe('CyclicLR', () => {
  it('sets the groups to baseLr at construction and cycles the momentum the other way', () => {
    const opt = new SGD([f64([1])], { lr: 5, momentum: 0.5 });
    const sched = new CyclicLR(opt, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2 });
    expect(opt.paramGroups[0]!.lr).toBe(0.1);
    expect(opt.paramGroups[0]!.momentum).toBe(0.9);
    sched.step();
    sched.step();
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.5, 12);
    expect(opt.paramGroups[0]!.momentum).toBeCloseTo(0.8, 12);
  });

  it("cycles Adam's beta1", () => {
    const opt = new Adam([f64([1])], { betas: [0.9, 0.99] });
    new CyclicLR(opt, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2, baseMomentum: 0.7, maxMomentum: 0.95 }).step();
    expect(opt.paramGroups[0]!.betas[0]).toBeCloseTo(0.825, 12);
    expect(opt.paramGroups[0]!.betas[1]).toBe(0.99);
  });

  it('refuses momentum cycling without momentum, wrong-length lists, and bad step sizes', () => {
    const opt = () => new SGD([f64([1])], { lr: 0.1 });
    const noMomentum = { paramGroups: [{ lr: 0.1 }] };
    expect(() => new CyclicLR(noMomentum, { baseLr: 0.1, maxLr: 1 })).toThrow(/must support momentum or betas/);
    expect(() => new CyclicLR(opt(), { baseLr: [0.1, 0.2], maxLr: 1 })).toThrow('CyclicLR: expected baseLr to be a number or 1 numbers');
    expect(() => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeUp: 0 })).toThrow('CyclicLR: invalid stepSizeUp: 0');
    expect(() => new CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, mode: 'cosine' as never })).toThrow(/mode/);
  });
});

describe('ChainedScheduler', () => {
  it('steps its schedulers in order, compounding their factors', () => {
    const opt = new SGD([f64([1])], { lr: 1 });
    const sched = new ChainedScheduler([new StepLR(opt, { stepSize: 2, gamma: 0.1 }), new ExponentialLR(opt, { gamma: 0.5 })]);
    const lrs = [sched.getLastLr()[0]!];
    for (let i = 0; i < 3; i++) { sched.step(); lrs.push(sched.getLastLr()[0]!); }
    expect(lrs).toBeAllClose([1, 0.5, 0.025, 0.0125], { rtol: 1e-12 });
  });

  it('refuses an empty list and schedulers of different optimizers', () => {
    expect(() => new ChainedScheduler([])).toThrow('ChainedScheduler: expected a non-empty array of schedulers');
    const a = new SGD([f64([1])], { lr: 1 }), b = new SGD([f64([1])], { lr: 1 });
    expect(() => new ChainedScheduler([new StepLR(a, { stepSize: 1 }), new StepLR(b, { stepSize: 1 })])).toThrow(/another optimizer/);
  });
});
