import { describe, expect, it } from 'vitest';
import {
  AutogradError, ShapeError, ValueError, Tensor, backward, defineFunction, grad, gradcheck, gradgradcheck, noGrad, ones,
  randn, tensor, exp,
} from '@tapegrad/core';

// Friction in the autograd API: options objects where PyTorch users put them, options checked,
// errors that name the user's function and give advice that fits the case.

const leaf = (v: number[]) => tensor(v, { dtype: 'float64', requiresGrad: true });

describe('backward options', () => {
  it('loss.backward({ retainGraph: true }) takes the options alone, and a second pass adds up', () => {
    const x = leaf([1, 2]);
    const loss = x.mul(x).sum();
    loss.backward({ retainGraph: true });
    expect(x.grad!.toArray()).toEqual([2, 4]);
    loss.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
  });

  it('backward(loss, { retainGraph: true }) and backward(loss, null, options) do the same', () => {
    const x = leaf([3]);
    const loss = x.mul(x).sum();
    backward(loss, { retainGraph: true });
    backward(loss, null, { retainGraph: true });
    backward(loss);
    expect(x.grad!.toArray()).toEqual([18]);
  });

  it('a gradient tensor and null or undefined keep their meaning', () => {
    const x = leaf([1, 2]);
    x.mul(3).backward(tensor([1, 10], { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([3, 30]);
    x.sum().backward(undefined, { createGraph: false });
    x.sum().backward(null);
    expect(x.grad!.toArray()).toEqual([5, 32]);
  });

  it('unknown, wrong-typed or doubled options throw a ValueError naming backward', () => {
    const x = leaf([1, 2]);
    const loss = () => x.mul(x).sum();
    expect(() => loss().backward({ retainGrap: true } as never)).toThrow(/backward: unknown option 'retainGrap'.*retainGraph/);
    expect(() => loss().backward(null, { retainGraph: 'yes' } as never)).toThrow(ValueError);
    expect(() => loss().backward({ retainGraph: true }, { createGraph: true })).toThrow('backward: the options were given twice');
    expect(() => loss().backward({ inputs: [x] } as never)).toThrow('backward: inputs is not supported');
    expect(() => loss().backward(null, true as never)).toThrow(ValueError);
    expect(() => loss().backward(3 as never)).toThrow('backward: gradient must be a Tensor, null or an options object, got 3');
    expect(() => backward(loss(), { retaingraph: true } as never)).toThrow(/backward: unknown option 'retaingraph'/);
  });

  it('grad checks its options too', () => {
    const x = leaf([1, 2]);
    expect(() => grad(x.sum(), [x], { allowUnsed: true } as never)).toThrow(/grad: unknown option 'allowUnsed'.*allowUnused/);
    expect(() => grad(x.sum(), [x], true as never)).toThrow(ValueError);
    expect(() => grad(x.sum(), [x], { createGraph: 1 } as never)).toThrow(ValueError);
    expect(grad(x.sum(), [x], { retainGraph: undefined })[0]!.toArray()).toEqual([1, 1]);
  });
});

describe('custom functions', () => {
  const scale = (shape: number[]) =>
    defineFunction({ name: 'scale', forward: (_c, a: Tensor) => a.mul(2), backward: () => [ones(shape, { dtype: 'float64' })] });

  it('a backward returning the wrong shape names the function, the input and both shapes', () => {
    const x = randn([2, 3], { dtype: 'float64', requiresGrad: true });
    const f = scale([4]);
    expect(() => f(x).sum().backward()).toThrow(ShapeError);
    expect(() => f(x).sum().backward()).toThrow(
      "backward: the custom function 'scale' returned a gradient of shape [4] for its input 0 of shape [2,3]",
    );
  });

  it('a backward returning a broadcast gradient is still summed down to the input', () => {
    const x = randn([3], { dtype: 'float64', requiresGrad: true });
    scale([2, 3])(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2, 2]);
  });
});

describe('gradcheck', () => {
  it('fails, as PyTorch does, when no input requires grad', () => {
    const x = randn([3], { dtype: 'float64' });
    expect(() => gradcheck((a) => a.exp(), [x])).toThrow(ValueError);
    expect(() => gradcheck((a) => a.exp(), [x])).toThrow('gradcheck: no input requires grad (inputs of shapes [3])');
    expect(() => gradcheck((a) => a.exp(), [x], { raiseException: false })).toThrow(ValueError);
    expect(() => gradgradcheck((a) => a.exp(), [x])).toThrow('gradgradcheck: no input requires grad');
    expect(() => gradcheck(() => ones([1], { dtype: 'float64' }), [])).toThrow(ValueError);
  });

  it('checks its options', () => {
    const x = randn([3], { dtype: 'float64', requiresGrad: true });
    expect(() => gradcheck((a) => a.exp(), [x], { epsilon: 1e-6 } as never)).toThrow(/gradcheck: unknown option 'epsilon'/);
    expect(() => gradcheck((a) => a.exp(), [x], { atol: '1e-5' } as never)).toThrow(ValueError);
    expect(() => gradcheck((a) => a.exp(), [x], { eps: 0 })).toThrow('gradcheck: eps must be a positive finite number, got 0');
    expect(() => gradcheck((a) => a.exp(), [x], { rtol: -1 })).toThrow(ValueError);
    expect(() => gradgradcheck((a) => a.exp(), [x], { seed: 1.5 })).toThrow(ValueError);
    expect(() => gradgradcheck((a) => a.exp(), [x], { sed: 1 } as never)).toThrow(/gradgradcheck: unknown option 'sed'/);
    expect(gradgradcheck((a) => a.exp(), [x], { seed: 7, atol: 1e-4 }).ok).toBe(true);
  });
});

describe('in-place errors on tensors backward needs', () => {
  it('a leaf that requires grad is told to update inside noGrad', () => {
    const w = leaf([1, 2]);
    expect(() => w.add_(1)).toThrow(AutogradError);
    expect(() => w.add_(1)).toThrow(/add_: a tensor that requires grad \(shape \[2\], a leaf\).*noGrad/);
    noGrad(() => w.add_(1));
    expect(w.toArray()).toEqual([2, 3]);
  });

  it('an intermediate result is told to use the out-of-place op or a clone, not noGrad', () => {
    const y = leaf([1, 2]).mul(2);
    let message = '';
    try {
      y.add_(1);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^add_: the tensor \(shape \[2\]\) is a result recorded on the tape/);
    expect(message).toContain('y = y.add(...)');
    expect(message).toContain('y.clone().add_(...)');
    expect(message).not.toContain('noGrad');
    expect(() => y.copy_(ones([2]))).toThrow(/copy_: .*y\.clone\(\)\.copy_\(\.\.\.\)/);
    expect(() => noGrad(() => exp(ones([2], { dtype: 'float64' }), { out: y }))).not.toThrow();
    expect(() => exp(ones([2], { dtype: 'float64' }), { out: y })).toThrow(/exp: the tensor \(shape \[2\]\) is a result recorded on the tape.*pass another tensor as out/);
  });

  it('a saved tensor modified in place is named at backward, with advice for a constant and for a parameter', () => {
    const x = leaf([1, 2]);
    const c = tensor([3, 4], { dtype: 'float64' });
    const y = x.mul(c).sum();
    c.mul_(2);
    expect(() => y.backward()).toThrow(/saved by mul was modified by an in-place operation.*clone it before modifying it in place, or use the out-of-place op/);
    const w = leaf([1, 2]);
    const z = w.mul(w).sum();
    noGrad(() => w.sub_(0.5));
    expect(() => z.backward()).toThrow(/it is a leaf that requires grad: update it only after backward/);
  });
});
