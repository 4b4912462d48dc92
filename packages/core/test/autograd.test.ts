import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, randn, zeros, ones, grad, gradcheck, gradgradcheck, noGrad, defineFunction, Generator,
  AutogradError, ValueError, manualSeed, exp, add, mul, sum, primitives,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: new Generator(seed) });

describe('backward', () => {
  it('fills the gradients of the leaves of a small expression', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = tensor([4, 5, 6], { requiresGrad: true });
    x.mul(y).add(x).sum().backward();
    expect(x.grad!).toBeAllClose([5, 6, 7]);
    expect(y.grad!).toBeAllClose([1, 2, 3]);
  });

  it('accumulates gradients across calls', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!).toBeAllClose([6, 6]);
  });

  it('reduces broadcast gradients to the input shape', () => {
    const a = f64([2, 3]);
    const b = f64([3], 2);
    const c = f64([2, 1], 3);
    a.add(b).mul(c).sum().backward();
    expect(b.grad!.shape).toEqual([3]);
    expect(c.grad!.shape).toEqual([2, 1]);
    expect(b.grad!).toBeAllClose(c.expand([2, 3]).detach().sum(0));
  });

  it('throws for a non-scalar output without a gradient, naming the shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(ValueError);
    expect(() => x.mul(2).backward()).toThrow(/backward: .*shape \[2\]/);
  });

  it('throws when backward runs twice through a freed graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward: trying to backward through the graph a second time/);
  });

  it('allows a second backward with retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(x.grad!).toBeAllClose(tensor([1, 2]).exp().mul(2));
  });

  it('throws when a saved tensor was modified in place', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const e = x.exp();
    const y = e.mul(e).sum();
    noGrad(() => e.add_(1));
    expect(() => y.backward()).toThrow(/modified by an in-place operation/);
  });

  it('refuses in-place updates of a leaf requiring grad while recording', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => w.sub_(1)).toThrow(/sub_: a tensor that requires grad/);
    noGrad(() => w.sub_(1));
    expect(w).toBeAllClose([-1, -1]);
  });

  it('does not record under noGrad', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('keeps gradients of non-leaves on retainGrad and runs hooks', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(2).retainGrad();
    let seen = 0;
    h.registerHook((g) => {
      seen++;
      return g.mul(10);
    });
    h.exp().sum().backward();
    expect(seen).toBe(1);
    // As in PyTorch, the retained gradient is the one after the tensor's hooks.
    expect(h.grad!).toBeAllClose(tensor([2, 4]).exp().mul(10));
    expect(x.grad!).toBeAllClose(tensor([2, 4]).exp().mul(20));
  });

  it('tells each rule which inputs need a gradient, so rules skip the others', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    const g = ones([2]);
    for (const [name, y] of [['mul', w.mul(c)], ['div', w.div(c)], ['maximum', w.maximum(c)], ['sub', w.sub(c)]] as const) {
      const grads = y.gradFn!.apply(g);
      expect(grads[0], name).toBeInstanceOf(Tensor);
      expect(grads[1] ?? null, name).toBeNull();
    }
  });
});

describe('grad', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const [g] = grad(x.mul(x).sum(), [x]);
    expect(g!).toBeAllClose([2, 4, 6]);
    expect(x.grad).toBeNull();
  });

  it('gives second derivatives with createGraph', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(x).mul(x).sum(); // sum x^3
    const [dx] = grad(y, [x], { createGraph: true });
    expect(dx!).toBeAllClose([3, 12, 27]);
    const [d2x] = grad(dx!.sum(), [x]);
    expect(d2x!).toBeAllClose([6, 12, 18]);
  });

  it('computes a Hessian-vector product', () => {
    const x = f64([4]);
    const v = randn([4], { dtype: 'float64', generator: new Generator(9) });
    const f = x.exp().mul(x).sum(); // f = sum x e^x, H = diag((x + 2) e^x)
    const [g] = grad(f, [x], { createGraph: true });
    const [hv] = grad(g!.mul(v).sum(), [x]);
    const xd = x.detach();
    expect(hv!).toBeAllClose(xd.add(2).mul(xd.exp()).mul(v));
  });

  it('returns the gradient at a non-leaf input', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    const [gh] = grad(h.mul(h).sum(), [h]);
    expect(gh!).toBeAllClose([6, 12]);
  });

  it('throws for an unused input unless allowUnused', () => {
    const x = tensor([1], { requiresGrad: true });
    const z = tensor([1], { requiresGrad: true });
    expect(() => grad(x.mul(2).sum(), [x, z])).toThrow(/grad: one of the inputs/);
    expect(grad(x.mul(2).sum(), [x, z], { allowUnused: true })[1]).toBeNull();
  });
});

describe('defineFunction', () => {
  it('uses the hand-written backward and supports double backward', () => {
    const cube = defineFunction({
      name: 'cube',
      forward(ctx, x) {
        ctx.saveForBackward(x);
        return x.mul(x).mul(x);
      },
      backward(_ctx, g, [x]) {
        return [g.mul(x!).mul(x!).mul(3)];
      },
    });
    const x = f64([3]);
    gradcheck((a) => cube(a), [x]);
    gradgradcheck((a) => cube(a), [x]);
    expect(cube(x).gradFn!.name).toBe('cube');
  });
});

describe('gradcheck', () => {
  it('reports a wrong backward rule with the worst element', () => {
    const wrong = defineFunction({
      name: 'wrong',
      forward: (_ctx, x) => x.mul(2),
      backward: (_ctx, g) => [g.mul(3)],
    });
    expect(() => gradcheck((a) => wrong(a), [f64([2])])).toThrow(/gradcheck: mismatch for input 0/);
    const r = gradcheck((a) => wrong(a), [f64([2])], { raiseException: false });
    expect(r.ok).toBe(false);
    expect(r.worst!.analytic).toBeCloseTo(3);
    expect(r.worst!.numeric).toBeCloseTo(2);
  });

  it('rejects float32 inputs', () => {
    expect(() => gradcheck((a) => a.mul(2), [randn([2], { requiresGrad: true })])).toThrow(/float64/);
  });
});

describe('add', () => {
  it('matches a hand computation with broadcasting', () => {
    expect(add(tensor([[1, 2], [3, 4]]), tensor([10, 20]))).toBeAllClose([[11, 22], [13, 24]]);
    expect(add(tensor([1, 2]), 1, { alpha: 2 })).toBeAllClose([3, 4]);
  });
  it('passes gradcheck with broadcasting and size-1 dims', () => {
    gradcheck((a, b) => add(a, b), [f64([2, 1, 3]), f64([4, 1], 2)]);
    gradcheck((a, b) => add(a, b, { alpha: -1.5 }), [f64([3]), f64([1], 2)]);
  });
  it('passes gradgradcheck', () => {
    gradgradcheck((a, b) => add(a, b).mul(a), [f64([2, 3]), f64([3], 2)]);
  });
  it('throws on mismatched shapes, naming both', () => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/add: cannot broadcast shapes \[2,3\] and \[4\]/);
  });
  it('takes an integer alpha for int32 operands and refuses a fractional one, as PyTorch', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    const r = add(i, i, { alpha: 3 });
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([4, 8]);
    expect(() => add(i, i, { alpha: 0.5 })).toThrow(/add: alpha must be an integer for int32 operands, got 0.5 \(shapes \[2\] and \[2\]\)/);
    expect(() => add(tensor([true]), tensor([true]), { alpha: 2 })).toThrow(/add: alpha must be 1 for bool operands, got 2/);
    expect(add(i, tensor([1, 1]), { alpha: 0.5 })).toBeAllClose([1.5, 2.5]);
  });
});

describe('mul', () => {
  it('passes gradcheck and gradgradcheck with broadcasting', () => {
    gradcheck((a, b) => mul(a, b), [f64([2, 3]), f64([1, 3], 2)]);
    gradgradcheck((a, b) => mul(a, b), [f64([2, 3]), f64([1, 3], 2)]);
  });
  it('promotes int32 * float32 to float32', () => {
    expect(mul(tensor([1, 2], { dtype: 'int32' }), tensor([0.5, 0.5])).dtype).toBe('float32');
    expect(mul(tensor([1, 2], { dtype: 'int32' }), 2).dtype).toBe('int32');
    expect(mul(tensor([1, 2], { dtype: 'int32' }), 0.5).dtype).toBe('float32');
  });
});

describe('exp', () => {
  it('matches Math.exp', () => {
    expect(exp(tensor([0, 1, -1], { dtype: 'float64' }))).toBeAllClose([1, Math.E, 1 / Math.E]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => exp(a), [f64([3, 2])]);
    gradgradcheck((a) => exp(a), [f64([3, 2])]);
  });
});

describe('sum', () => {
  it('reduces over all dims, one dim, several dims, with keepdim', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(sum(x).item()).toBe(21);
    expect(sum(x, 1)).toBeAllClose([6, 15]);
    expect(sum(x, 0, { keepdim: true }).shape).toEqual([1, 3]);
    expect(sum(x, [0, 1])).toBeAllClose(21);
    expect(sum(x, -1)).toBeAllClose([6, 15]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => sum(a, 1), [f64([2, 3])]);
    gradcheck((a) => sum(a, [0, 2], { keepdim: true }), [f64([2, 3, 2])]);
    gradgradcheck((a) => sum(a.mul(a), 0), [f64([2, 3])]);
  });
  it('throws for a bad dim', () => {
    expect(() => sum(zeros([2, 3]), 2)).toThrow(/sum: dim 2 is out of range for a tensor of 2 dims \(shape \[2,3\]\)/);
  });
});

describe('primitives registry', () => {
  it('lists the primitives with backward rules', () => {
    expect(primitives().has('mul')).toBe(true);
    expect(primitives().has('sum')).toBe(true);
  });
});

describe('manualSeed', () => {
  it('gives the same numbers for the same seed', () => {
    manualSeed(7);
    const a = randn([5]).toArray();
    manualSeed(7);
    expect(randn([5]).toArray()).toEqual(a);
    expect(ones([1]).item()).toBe(1);
  });
});

void AutogradError;
