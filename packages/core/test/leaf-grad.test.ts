import { describe, expect, it } from 'vitest';
import { tensor, randn, defineFunction, backward, registerBackend, setBackend, getBackend, jsBackend, type Tensor } from '@tapegrad/core';

// backward hands a gradient it computed itself to a leaf's .grad without a copy, unless something
// else can see that memory; these tests check both halves: no copy where none is needed, and no
// aliasing where the memory is shared (an in-place change of .grad must not reach anything else).

/** Runs `f` on a backend that counts the unary 'copy' kernels (clone) it runs. */
function countCopies(f: () => void): number {
  let copies = 0;
  const prev = getBackend();
  registerBackend({
    ...jsBackend,
    name: 'copy-counting',
    unary: (op, x, dt, p0, p1) => {
      if (op === 'copy') copies++;
      return jsBackend.unary(op, x, dt, p0, p1);
    },
  });
  setBackend('copy-counting');
  try {
    f();
  } finally {
    setBackend(prev);
  }
  return copies;
}

function values(t: Tensor): number[] {
  return Array.from(t.contiguous().data as ArrayLike<number>);
}

describe('leaf gradients', () => {
  it('take the gradient of a matrix product without copying it', () => {
    const w = randn([3, 4], { requiresGrad: true });
    const x = randn([2, 3]);
    const copies = countCopies(() => x.matmul(w).sum().backward());
    expect(copies).toBe(0);
    expect(w.grad!.shape).toEqual([3, 4]);
  });

  it('take the gradient of a weight used transposed (x @ w.T, as Linear does) without copying it', () => {
    const w = randn([5, 4], { requiresGrad: true, dtype: 'float64' });
    const x = randn([3, 4], { dtype: 'float64' });
    const copies = countCopies(() => x.matmul(w.T).sum().backward());
    expect(copies).toBe(0);
    expect(w.grad!.isContiguous()).toBe(true);
    // d sum(x w^T) / dw[j, k] = sum_i x[i, k]
    const xs = x.toArray() as number[][];
    const col = [0, 1, 2, 3].map((k) => xs.reduce((s, r) => s + r[k]!, 0));
    expect(w.grad!).toBeAllClose([0, 1, 2, 3, 4].map(() => col));
  });

  it('are copied where two leaves receive the same gradient (add), so they do not share memory', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    a.add(b).mul(tensor([1, 10, 100])).sum().backward();
    expect(a.grad!.storage).not.toBe(b.grad!.storage);
    a.grad!.mul_(0);
    expect(values(b.grad!)).toEqual([1, 10, 100]);
  });

  it('do not alias a gradient the caller passed to backward', () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const g = tensor([[1, 2], [3, 4]]);
    backward(x.reshape([2, 2]), g);
    x.grad!.mul_(0);
    expect(values(g)).toEqual([1, 2, 3, 4]);
    expect(values(x.grad!)).toEqual([0, 0, 0, 0]);
  });

  it('do not alias a retained gradient of an intermediate result', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.add(1).retainGrad();
    h.mul(tensor([3, 5])).sum().backward();
    x.grad!.mul_(0);
    expect(values(h.grad!)).toEqual([3, 5]);
  });

  it('do not alias what a hook has seen', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let seen: Tensor | null = null;
    x.registerHook((g) => {
      seen = g;
    });
    x.mul(tensor([3, 5])).sum().backward();
    x.grad!.mul_(0);
    expect(values(seen!)).toEqual([3, 5]);
  });

  it('do not alias a tensor that existed before the backward pass (a custom backward returning a saved tensor)', () => {
    const k = tensor([7, 8]);
    const f = defineFunction({
      name: 'fixedGrad',
      forward: (_ctx, x: Tensor) => x.mul(k),
      backward: () => [k],
    });
    const x = tensor([1, 2], { requiresGrad: true });
    f(x).sum().backward();
    x.grad!.mul_(0);
    expect(values(k)).toEqual([7, 8]);
  });

  it('sum the gradients of one pass before adding them to .grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(2).add(x.mul(3)).sum().backward();
    expect(values(x.grad!)).toEqual([5, 5]);
    x.mul(x).sum().backward();
    expect(values(x.grad!)).toEqual([7, 9]);
  });

  it('sum many gradients of one leaf into one buffer of the pass, in place, without touching the gradients summed', () => {
    // a weight used at every step of a recurrence: h = tanh(h w + x_t)
    const w = randn([3, 3], { requiresGrad: true, dtype: 'float64' });
    const xs = Array.from({ length: 6 }, () => randn([2, 3], { dtype: 'float64' }));
    const run = () => xs.reduce<Tensor>((h, x) => h.matmul(w).add(x).tanh(), randn([2, 3], { dtype: 'float64' }).mul(0));
    const adds: string[] = [];
    const prev = getBackend();
    registerBackend({
      ...jsBackend,
      name: 'add-counting',
      binary: (op, a, b, dt) => (op === 'add' && a.shape.join() === '3,3' && adds.push('fresh'), jsBackend.binary(op, a, b, dt)),
      binaryInPlace: (op, dst, src, alpha) => (op === 'add' && dst.shape.join() === '3,3' && adds.push('in place'), jsBackend.binaryInPlace(op, dst, src, alpha)),
    });
    setBackend('add-counting');
    try {
      run().sum().backward();
    } finally {
      setBackend(prev);
    }
    // 6 gradients: one new sum, then 4 added into it
    expect(adds).toEqual(['fresh', 'in place', 'in place', 'in place', 'in place']);
    const once = w.grad!.clone();
    // the same as the steps' gradients summed apart: a separate copy of w at each step
    w.grad = null;
    const steps: Tensor[] = [];
    const ws = xs.map(() => w.detach().requiresGrad_());
    xs.reduce<Tensor>((h, x, t) => h.matmul(ws[t]!).add(x).tanh(), randn([2, 3], { dtype: 'float64' }).mul(0)).sum().backward();
    for (const wt of ws) steps.push(wt.grad!);
    expect(once).toBeAllClose(steps.reduce((a, b) => a.add(b)), { rtol: 1e-12, atol: 1e-14 });
    // and each step's gradient is its own: summing did not change them
    expect(steps.every((g, t) => t === 0 || values(g).join() !== values(steps[0]!).join())).toBe(true);
  });

  it('keep a leaf gradient taken with createGraph differentiable when it has several parts', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    x.mul(x).add(x.mul(x).mul(x)).add(x.pow(4)).sum().backward({ createGraph: true });
    // d/dx (x^2 + x^3 + x^4) = 2x + 3x^2 + 4x^3, and its derivative 2 + 6x + 12x^2
    expect(values(x.grad!)).toEqual([9, 48]);
    const g = x.grad!;
    x.grad = null;
    g.sum().backward();
    expect(values(x.grad!)).toEqual([20, 62]);
  });
});
