import { afterEach, describe, expect, it } from 'vitest';
import {
  arange, cat, getBackend, grad, jsBackend, randn, registerBackend, setBackend, tensor, type Backend, type Tensor, type View,
} from '@tapegrad/core';
import '../../../test/matchers.js';

// Backward without createGraph sums the gradients of many slices of one tensor into a single
// input-shaped buffer (PrimitiveDef.backwardInto) instead of padding each slice's gradient with
// zeros to the input's shape and adding those up. The values must be what the padding rule gives.

const saved = getBackend();
afterEach(() => setBackend(saved));

/** The gradients of `f` w.r.t. `x` by backward(), and by grad() with createGraph (the padding rule). */
function bothWays(x: Tensor, f: (x: Tensor) => Tensor): [Tensor, Tensor] {
  const [viaRule] = grad(f(x), [x], { createGraph: true });
  x.grad = null;
  f(x).backward();
  return [x.grad!, viaRule!.detach()];
}

describe('gradients of slices summed in place', () => {
  it('give the padding rule\'s gradient for overlapping, strided and selected slices of a non-leaf', () => {
    const x = randn([6, 5], { dtype: 'float64', requiresGrad: true });
    const w = randn([6, 5], { dtype: 'float64' });
    const f = (x: Tensor): Tensor => {
      const y = x.mul(w); // a node, not a leaf
      const parts = [
        y.narrow(0, 0, 4).mul(2).sum(),
        y.narrow(0, 2, 4).pow(2).sum(), // overlaps the first
        y.slice([1, null, 2], [0, 5, 3]).exp().sum(),
        y.select(1, 4).sin().sum(),
        ...y.unbind(0).map((r, i) => r.mul(i).sum()),
      ];
      return parts.reduce((a, b) => a.add(b));
    };
    const [viaInto, viaRule] = bothWays(x, f);
    expect(viaInto).toBeAllClose(viaRule, { rtol: 1e-12, atol: 1e-12 });
  });

  it('give the padding rule\'s gradient for slices of a leaf, together with its other uses', () => {
    const x = randn([8, 3], { dtype: 'float64', requiresGrad: true });
    const f = (x: Tensor): Tensor =>
      x.split(3, 0).map((p, i) => p.mul(i + 1).square().sum()).reduce((a, b) => a.add(b)).add(x.tanh().sum());
    const [viaInto, viaRule] = bothWays(x, f);
    expect(viaInto).toBeAllClose(viaRule, { rtol: 1e-12, atol: 1e-12 });
  });

  it('mix with whole-tensor gradients reaching the same node, in either order', () => {
    const x = randn([4, 4], { dtype: 'float64', requiresGrad: true });
    const before = (x: Tensor): Tensor => {
      const y = x.exp();
      return y.sum().add(y.narrow(1, 1, 2).mul(3).sum()).add(y.mul(y).sum());
    };
    const after = (x: Tensor): Tensor => {
      const y = x.exp();
      return y.narrow(1, 1, 2).mul(3).sum().add(y.sum()).add(y.narrow(0, 3, 1).sum());
    };
    for (const f of [before, after]) {
      const [viaInto, viaRule] = bothWays(x, f);
      expect(viaInto).toBeAllClose(viaRule, { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it('reach hooks and retained gradients as the summed input gradient', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(2);
    y.retainGrad();
    const seen: number[][] = [];
    y.registerHook((g) => void seen.push(g.toArray() as number[]));
    y.narrow(0, 0, 2).sum().add(y.narrow(0, 1, 3).mul(10).sum()).backward();
    expect(y.grad!.toArray()).toEqual([1, 11, 10, 10]);
    expect(seen).toEqual([[1, 11, 10, 10]]);
    expect(x.grad!.toArray()).toEqual([2, 22, 20, 20]);
  });

  it('leave a leaf with hooks to get each slice\'s gradient through its hooks', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    let calls = 0;
    x.registerHook((g) => {
      calls++;
      return g.mul(2);
    });
    x.narrow(0, 0, 2).sum().add(x.narrow(0, 1, 2).sum()).backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 2]);
    expect(calls).toBe(2);
  });

  it('add to an existing .grad and keep retainGraph passes independent', () => {
    const x = arange(6, { dtype: 'float64' }).requiresGrad_();
    const loss = x.narrow(0, 0, 3).sum().add(x.narrow(0, 2, 4).mul(2).sum());
    loss.backward({ retainGraph: true });
    loss.backward();
    expect(x.grad!.toArray()).toEqual([2, 2, 6, 4, 4, 4]);
  });

  it('cost each slice its own size: T slices write no input-sized buffer per slice', () => {
    const full = 64 * 8;
    let fullWrites = 0;
    const count = (v: View): void => void (v.size === full && fullWrites++);
    const counting: Backend = {
      ...jsBackend,
      name: 'count-full-writes',
      assign: (dst, src) => (count(dst), jsBackend.assign(dst, src)),
      fill: (dst, value) => (count(dst), jsBackend.fill(dst, value)),
      binaryInPlace: (op, dst, src, alpha) => (count(dst), jsBackend.binaryInPlace(op, dst, src, alpha)),
      binary: (op, a, b, dt) => {
        const out = jsBackend.binary(op, a, b, dt);
        count(out);
        return out;
      },
    };
    registerBackend(counting);
    setBackend('count-full-writes');
    const writesFor = (T: number): number => {
      const x = randn([64, 8], { requiresGrad: true });
      const y = x.mul(2);
      const loss = cat(Array.from({ length: T }, (_, t) => y.narrow(0, t % 60, 4).sum().reshape([1]))).sum();
      fullWrites = 0;
      loss.backward();
      return fullWrites;
    };
    // with a padded gradient per slice, each slice costs at least one full-size write (2 with the add)
    expect(writesFor(50)).toBe(writesFor(5));
    expect(writesFor(50)).toBeLessThan(10);
  });
});
