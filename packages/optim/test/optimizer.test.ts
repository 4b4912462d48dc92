import { describe, expect, it } from 'vitest';
import { AutogradError, DTypeError, ValueError, noGrad, tensor, type Tensor } from '@tapegrad/core';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '@tapegrad/optim';
import { X0, gradient, objective, param, value } from './helpers.js';

const f64 = (values: number[]) => tensor(values, { dtype: 'float64', requiresGrad: true });

describe('Optimizer', () => {
  it('updates in place, outside the tape, reusing its buffers and bumping the storage version', () => {
    const x = param();
    const opt = new Adam([x], { lr: 0.1 });
    const storage = x.storage.data;
    objective(x).backward();
    opt.step();
    const state = opt.state.get(x)!;
    const buffers = [state.expAvg, state.expAvgSq];
    const v = x.version;
    objective(x).backward();
    opt.step();
    expect(x.storage.data).toBe(storage);
    expect([state.expAvg, state.expAvgSq]).toEqual(buffers);
    expect(opt.state.get(x)!.expAvg).toBe(buffers[0]);
    expect(x.version).toBe(v + 1);
    expect(x.isLeaf).toBe(true);
    expect(x.requiresGrad).toBe(true);
  });

  it('keeps its per-parameter state in pinned memory (the fused kernels update it where it is)', () => {
    const x = param();
    const opt = new Adam([x], { lr: 0.1, amsgrad: true });
    objective(x).backward();
    opt.step();
    const state = opt.state.get(x)!;
    for (const t of [state.expAvg, state.expAvgSq, state.maxExpAvgSq]) expect((t as Tensor).isPinned()).toBe(true);
  });

  it('makes backward through a graph that saved the parameter fail after a step', () => {
    const x = param();
    const opt = new SGD([x], { lr: 0.1 });
    x.sum().backward();
    const y = x.mul(x).sum();
    opt.step();
    expect(() => y.backward()).toThrow(AutogradError);
  });

  it('skips parameters whose grad is null, creating no state for them', () => {
    const x = param();
    const y = f64([1, 2]);
    const opt = new SGD([x, y], { lr: 0.1, momentum: 0.9 });
    objective(x).backward();
    opt.step();
    expect(Array.from(y.data)).toEqual([1, 2]);
    expect(opt.state.has(y)).toBe(false);
    expect(opt.state.get(x)!.momentumBuffer).not.toBeNull();
  });

  it('updates a non-contiguous parameter through a contiguous copy', () => {
    const base = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    const p = base.T.requiresGrad_(); // shape [3, 2], strides [1, 3]
    expect(p.isContiguous()).toBe(false);
    const opt = new SGD([p], { lr: 0.5 });
    p.mul(p).sum().backward(); // grad = 2p
    const v = base.version;
    opt.step();
    // p - 0.5 * 2p = 0, written through the view into base
    expect(base).toBeAllClose([[0, 0, 0], [0, 0, 0]], { atol: 0 });
    expect(base.version).toBeGreaterThan(v);
  });

  it('accepts frozen parameters, as PyTorch, and updates them once they are unfrozen', () => {
    const frozen = tensor([1, 2], { dtype: 'float64' });
    const live = f64([3]);
    const opt = new SGD([frozen, live], { lr: 0.5 });
    live.mul(live).sum().backward();
    opt.step();
    expect(Array.from(frozen.data)).toEqual([1, 2]);
    expect(Array.from(live.data)).toEqual([0]); // 3 - 0.5 * 2 * 3
    frozen.requiresGrad = true;
    frozen.mul(frozen).sum().backward(); // grad 2 * frozen
    opt.step();
    expect(Array.from(frozen.data)).toEqual([0, 0]);
  });

  it('works on float32 parameters', () => {
    const x = tensor([1.5, -2], { requiresGrad: true });
    const opt = new SGD([x], { lr: 0.1, momentum: 0.5 });
    for (let t = 0; t < 3; t++) {
      opt.zeroGrad();
      x.mul(x).sum().backward();
      opt.step();
    }
    // b ← 0.5 b + 2x (b = 2x at first), x ← x - 0.1 b; by hand from 1.5: 1.2, 0.81, 0.453 and
    // from -2: -1.6, -1.08, -0.604
    expect(x).toBeAllClose([0.453, -0.604], { rtol: 1e-6, atol: 0 });
    expect(x.dtype).toBe('float32');
  });

  it('calls a closure with the tape recording and returns its loss', () => {
    const x = param();
    const opt = new SGD([x], { lr: 0.01 });
    const loss = noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = objective(x);
        l.backward();
        return l;
      }),
    ) as Tensor;
    expect(loss.item()).toBeCloseTo(value(X0), 12);
    expect(x).toBeAllClose(X0.map((v, i) => v - 0.01 * gradient(X0)[i]!), { rtol: 1e-14 });
  });

  it('zeroGrad sets grads to null by default, or zeros them in place', () => {
    const x = param();
    const opt = new SGD([x]);
    objective(x).backward();
    opt.zeroGrad();
    expect(x.grad).toBeNull();
    objective(x).backward();
    const g = x.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(x.grad).toBe(g);
    expect(g).toBeAllClose([0, 0, 0, 0, 0], { atol: 0 });
  });

  it('keeps per-group options, fills the rest from the defaults, and accepts new groups', () => {
    const x = f64([1]);
    const y = f64([1]);
    const z = f64([1]);
    const opt = new SGD([{ params: [x] }, { params: y, lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum, g.params.length])).toEqual([[0.1, 0, 1], [0.5, 0.9, 1]]);
    opt.addParamGroup({ params: [z], weightDecay: 0.1 });
    expect(opt.paramGroups[2]).toMatchObject({ lr: 0.1, weightDecay: 0.1, momentum: 0 });
    for (const p of [x, y, z]) p.mul(p).sum().backward(); // grad 2
    opt.step();
    expect([x.data[0], y.data[0], z.data[0]]).toEqual([1 - 0.1 * 2, 1 - 0.5 * 2, 1 - 0.1 * (2 + 0.1)]);
    expect(() => opt.addParamGroup({ params: [x] })).toThrow('SGD: parameter 0 of param group 3 (shape [1]) appears more than once');
  });
});

describe('hyper-parameter validation', () => {
  const x = () => f64([1, 2]);
  const cases: Array<[string, () => unknown, string]> = [
    ['SGD lr', () => new SGD([x()], { lr: -1 }), 'SGD: invalid learning rate: -1 (lr must be >= 0)'],
    ['SGD lr NaN', () => new SGD([x()], { lr: NaN }), 'SGD: invalid learning rate: NaN (lr must be >= 0)'],
    ['SGD momentum', () => new SGD([x()], { momentum: -0.5 }), 'SGD: invalid momentum value: -0.5 (momentum must be >= 0)'],
    ['SGD weightDecay', () => new SGD([x()], { weightDecay: -0.1 }), 'SGD: invalid weight decay: -0.1 (weightDecay must be >= 0)'],
    ['SGD nesterov without momentum', () => new SGD([x()], { nesterov: true }), 'SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum=0, dampening=0'],
    ['SGD nesterov with dampening', () => new SGD([x()], { nesterov: true, momentum: 0.9, dampening: 0.1 }), 'SGD: Nesterov momentum requires momentum > 0 and dampening = 0, got momentum=0.9, dampening=0.1'],
    ['SGD group lr', () => new SGD([{ params: [x()], lr: -2 }]), 'SGD: invalid learning rate: -2 (lr must be >= 0)'],
    ['Adam beta1', () => new Adam([x()], { betas: [1, 0.999] }), 'Adam: invalid beta parameter at index 0: 1 (betas[0] must be in [0, 1))'],
    ['Adam beta2', () => new Adam([x()], { betas: [0.9, -0.1] }), 'Adam: invalid beta parameter at index 1: -0.1 (betas[1] must be in [0, 1))'],
    ['Adam eps', () => new Adam([x()], { eps: -1e-8 }), 'Adam: invalid epsilon value: -1e-8 (eps must be >= 0)'],
    ['Adam weightDecay', () => new Adam([x()], { weightDecay: -1 }), 'Adam: invalid weight decay: -1 (weightDecay must be >= 0)'],
    ['Adam lr', () => new Adam([x()], { lr: -0.001 }), 'Adam: invalid learning rate: -0.001 (lr must be >= 0)'],
    ['AdamW beta1', () => new AdamW([x()], { betas: [1.5, 0.9] }), 'AdamW: invalid beta parameter at index 0: 1.5 (betas[0] must be in [0, 1))'],
    ['AdamW weightDecay', () => new AdamW([x()], { weightDecay: -0.01 }), 'AdamW: invalid weight decay: -0.01 (weightDecay must be >= 0)'],
    ['RMSprop alpha', () => new RMSprop([x()], { alpha: -0.9 }), 'RMSprop: invalid alpha value: -0.9 (alpha must be >= 0)'],
    ['RMSprop eps', () => new RMSprop([x()], { eps: -1 }), 'RMSprop: invalid epsilon value: -1 (eps must be >= 0)'],
    ['RMSprop momentum', () => new RMSprop([x()], { momentum: -1 }), 'RMSprop: invalid momentum value: -1 (momentum must be >= 0)'],
    ['RMSprop weightDecay', () => new RMSprop([x()], { weightDecay: -1 }), 'RMSprop: invalid weight decay: -1 (weightDecay must be >= 0)'],
    ['Adagrad lrDecay', () => new Adagrad([x()], { lrDecay: -1 }), 'Adagrad: invalid learning rate decay: -1 (lrDecay must be >= 0)'],
    ['Adagrad initialAccumulatorValue', () => new Adagrad([x()], { initialAccumulatorValue: -0.1 }), 'Adagrad: invalid initial accumulator value: -0.1 (initialAccumulatorValue must be >= 0)'],
    ['Adagrad eps', () => new Adagrad([x()], { eps: -1 }), 'Adagrad: invalid epsilon value: -1 (eps must be >= 0)'],
    ['Adagrad weightDecay', () => new Adagrad([x()], { weightDecay: -2 }), 'Adagrad: invalid weight decay: -2 (weightDecay must be >= 0)'],
  ];
  for (const [name, make, message] of cases)
    it(`${name}: throws a ValueError naming the hyper-parameter and the value`, () => {
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });

  it('rejects an empty parameter list', () => {
    expect(() => new Adam([])).toThrow('Adam: got an empty parameter list');
  });

  it('rejects a list that mixes tensors and param groups', () => {
    expect(() => new SGD([f64([1]), { params: [f64([2])] }] as never)).toThrow('SGD: params mixes 1 Tensors with 1 param groups; put every tensor in a group');
  });

  it('rejects a bare tensor, asking for an array', () => {
    expect(() => new SGD(f64([1]) as unknown as Tensor[])).toThrow(
      'SGD: params must be an iterable of Tensors or param groups, got a single Tensor (shape [1]); wrap it in an array',
    );
  });

  it('rejects integer tensors, non-leaves and duplicates', () => {
    expect(() => new SGD([tensor([1, 2], { dtype: 'int32' })])).toThrow(DTypeError);
    expect(() => new SGD([tensor([1, 2], { dtype: 'int32' })])).toThrow('SGD: can only optimize float tensors, but parameter 0 of param group 0 (shape [2]) is int32');
    const a = f64([1, 2]);
    expect(() => new SGD([a.mul(2)])).toThrow("SGD: can't optimize a non-leaf tensor: parameter 0 of param group 0 (shape [2]) was computed by an operation");
    expect(() => new SGD([a, a])).toThrow('SGD: parameter 1 of param group 0 (shape [2]) appears more than once in the optimizer\'s param groups');
  });
});
