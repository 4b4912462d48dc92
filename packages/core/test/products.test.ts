import { describe, expect, it } from 'vitest';
import {
  Generator, ShapeError, ValueError, addbmm, addmm, addmv, addr, baddbmm, cdist, einsum, eye, ger, gradcheck,
  gradgradcheck, inner, kron, mv, ones, primitives, randn, tensor, tensordot, vdot, vecdot, zeros, type Tensor,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });

/** The values of `t` in row-major order. */
const flat = (t: Tensor) => Array.from(t.contiguous().detach().data as ArrayLike<number>).slice(t.contiguous().offset, t.contiguous().offset + t.numel());

/** Element `idx` of `t` by its strides. */
function at(t: Tensor, idx: number[]): number {
  let o = t.offset;
  idx.forEach((i, d) => (o += (t.shape[d] === 1 ? 0 : i) * t.strides[d]!));
  return (t.data as ArrayLike<number>)[o]!;
}

/** einsum by plain loops over every assignment of the letters (explicit output, no ellipsis). */
function refEinsum(eq: string, ...ts: Tensor[]): { shape: number[]; values: number[] } {
  const [lhs, out] = eq.split('->') as [string, string];
  const terms = lhs.split(',');
  const size: Record<string, number> = {};
  terms.forEach((term, i) => [...term].forEach((ch, d) => (size[ch] = size[ch] === undefined || size[ch] === 1 ? ts[i]!.shape[d]! : size[ch]!)));
  const letters = Object.keys(size);
  const summed = letters.filter((l) => !out.includes(l));
  const shape = [...out].map((l) => size[l]!);
  const values: number[] = [];
  const outIdx = shape.map(() => 0);
  const total = shape.reduce((p, d) => p * d, 1);
  for (let p = 0; p < total; p++) {
    let rest = p;
    for (let d = shape.length - 1; d >= 0; d--) {
      outIdx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    const val: Record<string, number> = {};
    [...out].forEach((l, d) => (val[l] = outIdx[d]!));
    let s = 0;
    const nsum = summed.reduce((q, l) => q * size[l]!, 1);
    for (let q = 0; q < nsum; q++) {
      let r = q;
      for (const l of summed) {
        val[l] = r % size[l]!;
        r = Math.floor(r / size[l]!);
      }
      let prod = 1;
      terms.forEach((term, i) => (prod *= at(ts[i]!, [...term].map((l) => val[l]!))));
      s += prod;
    }
    values.push(s);
  }
  return { shape, values };
}

describe('einsum', () => {
  const cases: [string, number[][]][] = [
    ['ij,jk->ik', [[3, 4], [4, 5]]],
    ['bij,bjk->bik', [[2, 3, 4], [2, 4, 5]]],
    ['ij->ji', [[3, 4]]],
    ['ii->i', [[4, 4]]],
    ['ii->', [[4, 4]]],
    ['iij->j', [[3, 3, 2]]],
    ['iii->i', [[3, 3, 3]]],
    ['ij->', [[3, 4]]],
    ['ij->j', [[3, 4]]],
    ['i,j->ij', [[3], [4]]],
    ['i,i->', [[5], [5]]],
    ['ij,ij->ij', [[3, 4], [3, 4]]],
    ['ijk,ikl->jl', [[2, 3, 4], [2, 4, 5]]],
    ['abc,cd,de->abe', [[2, 3, 4], [4, 5], [5, 2]]],
    ['ik,jk->ij', [[3, 1], [2, 4]]],
    ['bij,j->bi', [[1, 3, 4], [4]]],
    ['ij,jk->ik', [[3, 0], [0, 2]]],
    ['ij,jk->ik', [[0, 2], [2, 3]]],
    ['ijk,jil->kl', [[2, 3, 4], [3, 2, 5]]],
    ['ij,ik,il->jkl', [[2, 3], [2, 2], [2, 4]]],
    ['ii,i->i', [[3, 3], [3]]],
  ];
  for (const [eq, shapes] of cases) {
    it(`matches plain loops for '${eq}' with shapes ${JSON.stringify(shapes)}`, () => {
      const ts = shapes.map((s, i) => f64(s, i + 1, false));
      const ref = refEinsum(eq, ...ts);
      const got = einsum(eq, ...ts);
      expect(got.shape).toEqual(ref.shape);
      expect(flat(got)).toBeAllClose(ref.values, { rtol: 1e-12, atol: 1e-12 });
    });
  }

  it('takes the implicit output as the letters seen once, in ASCII order (upper case first)', () => {
    const a = f64([2, 3], 1, false);
    const b = f64([3, 4], 2, false);
    expect(flat(einsum('ij,jk', a, b))).toBeAllClose(flat(a.matmul(b)), { rtol: 1e-12 });
    expect(einsum('ba', a).shape).toEqual([3, 2]);
    expect(einsum('bA', a).shape).toEqual([3, 2]);
    expect(einsum('ii', tensor([[1, 2], [3, 4]])).item()).toBe(5);
  });

  it('broadcasts ellipsis dims, puts them first in the implicit output and sums them when the output omits them', () => {
    const a = f64([2, 1, 3, 4], 1, false);
    const b = f64([5, 4, 2], 2, false);
    const got = einsum('...ij,...jk->...ik', a, b);
    expect(got.shape).toEqual([2, 5, 3, 2]);
    expect(flat(got)).toBeAllClose(flat(a.matmul(b)), { rtol: 1e-12 });
    expect(einsum('...ij', a).shape).toEqual([2, 1, 3, 4]);
    expect(einsum('i...->...', f64([3, 2], 3, false)).shape).toEqual([2]);
    expect(flat(einsum('...ij->ij', a))).toBeAllClose(flat(a.sum(0).sum(0)), { rtol: 1e-12 });
    expect(einsum('i...j,j', ones([2, 3, 4, 5]), ones([5])).shape).toEqual([3, 4, 2]);
  });

  it('ignores spaces and accepts the operands as one array', () => {
    const a = f64([2, 3], 1, false);
    expect(flat(einsum(' i j -> j i ', [a]))).toEqual(flat(a.T));
  });

  it('runs a batched product as one batched matmul, without an element-wise product', () => {
    const a = f64([4, 2, 3], 1);
    const b = f64([4, 3, 5], 2);
    const out = einsum('bij,bjk->bik', a, b);
    // the graph: reshapes/permutes around a single bmm; no mul anywhere
    const seen: string[] = [];
    const walk = (n: { name: string; edges: readonly ({ node: unknown } | null)[] } | null) => {
      if (!n) return;
      seen.push(n.name);
      for (const e of n.edges) if (e && e.node) walk(e.node as never);
    };
    walk(out.gradFn as never);
    expect(seen.filter((s) => s === 'bmm')).toHaveLength(1);
    expect(seen.some((s) => s === 'mul')).toBe(false);
    expect(primitives().has('bmm')).toBe(true);
  });

  it('computes float32 close to the float64 result', () => {
    const a = f64([3, 4], 1, false);
    const b = f64([4, 5], 2, false);
    expect(flat(einsum('ij,jk->ik', a.float(), b.float()))).toBeAllClose(flat(einsum('ij,jk->ik', a, b)), { rtol: 1e-5, atol: 1e-5 });
    expect(einsum('ij,jk->ik', a.float(), b.float()).dtype).toBe('float32');
  });

  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => einsum('bij,bjk->bik', a!, b!), [f64([2, 3, 4], 1), f64([2, 4, 2], 2)]);
    gradcheck((a) => einsum('ii->i', a!), [f64([3, 3], 3)]);
    gradcheck((a, b, c) => einsum('ij,jk,ki->', a!, b!, c!), [f64([2, 3], 4), f64([3, 4], 5), f64([4, 2], 6)]);
    gradcheck((a, b) => einsum('...ij,...jk', a!, b!), [f64([2, 1, 3, 2], 7), f64([3, 2, 2], 8)]);
    gradcheck((a, b) => einsum('ik,jk->ij', a!, b!), [f64([3, 1], 9), f64([2, 4], 10)]);
    gradgradcheck((a, b) => einsum('ij,jk->ik', a!.T, b!), [f64([3, 2], 11), f64([3, 4], 12)]);
    gradgradcheck((a, b) => einsum('iij,j->i', a!, b!), [f64([3, 3, 2], 13), f64([2], 14)]);
  });

  it('reports bad equations naming einsum and the subscript', () => {
    const a = ones([2, 3]);
    expect(() => einsum('i1', a)).toThrow(ValueError);
    expect(() => einsum('i1', a)).toThrow("einsum: invalid subscript '1' in operand 0's term 'i1'");
    expect(() => einsum('ijk', a)).toThrow('einsum: operand 0 has 2 dims (shape [2,3]) but its term \'ijk\' names 3');
    expect(() => einsum('ij,jk->ik', a)).toThrow("einsum: the equation 'ij,jk->ik' has 2 operand terms but 1 operand was given");
    expect(() => einsum('ij->k', a)).toThrow("einsum: output subscript 'k' does not occur in any operand's term");
    expect(() => einsum('ij->ii', a)).toThrow("einsum: output subscript 'i' occurs more than once in the output");
    expect(() => einsum('ij,jk', a, ones([4, 5]))).toThrow(
      "einsum: subscript 'j' has size 3 in operand 0 and size 4 in operand 1 (shapes [2,3] and [4,5]), which do not broadcast",
    );
    expect(() => einsum('ii', a)).toThrow("einsum: subscript 'i' is repeated in operand 0 but its sizes differ (2 != 3, shape [2,3])");
    expect(() => einsum('i..j', a)).toThrow('einsum: operand 0\'s term \'i..j\' has a malformed or repeated ellipsis');
  });
});

describe('addmm, addmv, addr, baddbmm, addbmm', () => {
  const a = f64([3, 4], 1, false);
  const b = f64([4, 2], 2, false);
  const c = f64([2], 3, false);
  it('compute beta * input + alpha * product', () => {
    const ref = flat(a.matmul(b).mul(2).add(c.mul(0.5).expand([3, 2])));
    expect(flat(addmm(c, a, b, { beta: 0.5, alpha: 2 }))).toBeAllClose(ref, { rtol: 1e-12 });
    expect(flat(addmv(f64([3], 4, false), a, f64([4], 5, false)))).toBeAllClose(
      flat(f64([3], 4, false).add(a.matmul(f64([4], 5, false)))), { rtol: 1e-12 },
    );
    expect(flat(addr(zeros([3, 2]), f64([3], 6, false), c, { alpha: 3 }))).toBeAllClose(
      flat(f64([3], 6, false).reshape([3, 1]).mul(c).mul(3)), { rtol: 1e-12 },
    );
    const b1 = f64([5, 3, 4], 7, false);
    const b2 = f64([5, 4, 2], 8, false);
    expect(flat(baddbmm(c, b1, b2))).toBeAllClose(flat(b1.matmul(b2).add(c)), { rtol: 1e-12 });
    expect(flat(addbmm(c, b1, b2, { beta: 2 }))).toBeAllClose(flat(b1.matmul(b2).sum(0).add(c.mul(2))), { rtol: 1e-12 });
  });

  it('ignore the input when beta is 0 (its NaN does not propagate)', () => {
    const out = addmm(tensor([NaN, Infinity]), eye(2), eye(2), { beta: 0 });
    expect(out.toArray()).toEqual([[1, 0], [0, 1]]);
  });

  it('have gradients that match finite differences, twice over', () => {
    gradcheck((i, x, y) => addmm(i!, x!, y!, { beta: 0.5, alpha: -2 }), [f64([1, 2], 1), f64([3, 4], 2), f64([4, 2], 3)]);
    gradcheck((i, x, y) => addmv(i!, x!, y!, { alpha: 3 }), [f64([3], 1), f64([3, 4], 2), f64([4], 3)]);
    gradcheck((i, x, y) => addr(i!, x!, y!, { beta: 2 }), [f64([3, 1], 1), f64([3], 2), f64([4], 3)]);
    gradcheck((i, x, y) => baddbmm(i!, x!, y!), [f64([2, 1], 1), f64([3, 2, 4], 2), f64([3, 4, 1], 3)]);
    gradcheck((i, x, y) => addbmm(i!, x!, y!), [f64([2, 3], 1), f64([4, 2, 5], 2), f64([4, 5, 3], 3)]);
    gradgradcheck((i, x, y) => addbmm(i!, x!, y!, { alpha: 2 }), [f64([2, 3], 1), f64([4, 2, 5], 2), f64([4, 5, 3], 3)]);
  });

  it('refuse wrong ranks, misaligned shapes and inputs that do not broadcast, naming the op', () => {
    expect(() => addmm(ones([2, 2]), ones([2, 3, 4]), ones([4, 2]))).toThrow('addmm: mat1 must be 2-D, got shape [2,3,4]');
    expect(() => addmm(ones([3]), ones([2, 2]), ones([2, 2]))).toThrow(
      "addmm: input of shape [3] does not broadcast to the product's shape [2,2]",
    );
    expect(() => addmm(ones([2, 2]), ones([2, 3]), ones([4, 2]))).toThrow('addmm: shapes [2,3] and [4,2] are not aligned (3 != 4)');
    expect(() => addmv(ones([2]), ones([2, 3]), ones([3, 1]))).toThrow('addmv: vec must be 1-D, got shape [3,1]');
    expect(() => baddbmm(ones([1]), ones([2, 3, 4]), ones([3, 4, 5]))).toThrow('baddbmm: batch sizes differ, shapes [2,3,4] and [3,4,5]');
    expect(() => addbmm(ones([1]), ones([2, 3, 4]), ones([2, 5, 5]))).toThrow('addbmm: shapes [2,3,4] and [2,5,5] are not aligned (4 != 5)');
    expect(() => addmm(ones([2, 2]), ones([2, 2]), ones([2, 2]), { gamma: 1 } as never)).toThrow(ValueError);
  });
});

describe('inner, mv, vdot, ger, tensordot, kron, vecdot', () => {
  it('inner contracts the last dims and multiplies 0-d operands', () => {
    const a = f64([2, 3, 4], 1, false);
    const b = f64([5, 4], 2, false);
    expect(inner(a, b).shape).toEqual([2, 3, 5]);
    expect(flat(inner(a, b))).toBeAllClose(refEinsum('ijk,lk->ijl', a, b).values, { rtol: 1e-12 });
    expect(inner(tensor(2), tensor([1, 2])).toArray()).toEqual([2, 4]);
    expect(() => inner(ones([2, 3]), ones([4]))).toThrow('inner: the last dims of shapes [2,3] and [4] differ (3 != 4)');
    gradgradcheck((x, y) => inner(x!, y!), [f64([2, 3], 3), f64([4, 3], 4)]);
  });

  it('mv, vdot and ger match matmul and outer', () => {
    expect(mv(tensor([[1, 2], [3, 4]]), tensor([1, -1])).toArray()).toEqual([-1, -1]);
    expect(vdot(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(ger(tensor([1, 2]), tensor([3, 4])).toArray()).toEqual([[3, 4], [6, 8]]);
    expect(() => mv(ones([3]), ones([3]))).toThrow('mv: mat must be 2-D, got shape [3]');
    expect(() => mv(ones([2, 3]), ones([4]))).toThrow('mv: shapes [2,3] and [4] are not aligned (3 != 4)');
    expect(() => vdot(ones([2, 3]), ones([3]))).toThrow('vdot: expected two 1-D tensors, got shapes [2,3] and [3]');
    gradcheck((m, v) => mv(m!, v!), [f64([3, 4], 1), f64([4], 2)]);
  });

  it('tensordot contracts the named dims in the given order', () => {
    const a = f64([2, 3, 4], 1, false);
    const b = f64([4, 3, 5], 2, false);
    expect(flat(tensordot(a, b, [[1, 2], [1, 0]]))).toBeAllClose(refEinsum('ijk,kjl->il', a, b).values, { rtol: 1e-12 });
    expect(flat(tensordot(a, f64([3, 4, 2], 3, false)))).toBeAllClose(refEinsum('ijk,jkl->il', a, f64([3, 4, 2], 3, false)).values, { rtol: 1e-12 });
    expect(tensordot(a, b, 0).shape).toEqual([2, 3, 4, 4, 3, 5]);
    expect(tensordot(a, b, [-1, 0]).shape).toEqual([2, 3, 3, 5]);
    expect(() => tensordot(ones([2, 3]), ones([4, 5]), 1)).toThrow(
      'tensordot: contracted dims have sizes 3 in a (shape [2,3]) and 4 in b (shape [4,5])',
    );
    expect(() => tensordot(ones([2, 3]), ones([3]), [[0], []])).toThrow(ValueError);
    gradgradcheck((x, y) => tensordot(x!, y!, [[0, 2], [2, 1]]), [f64([2, 3, 4], 4), f64([5, 4, 2], 5)]);
  });

  it('kron multiplies every pair of blocks, padding the shorter shape', () => {
    const a = f64([2, 3], 1, false);
    const b = f64([4, 2, 2], 2, false);
    const got = kron(a, b);
    expect(got.shape).toEqual([4, 4, 6]);
    for (const [i, j, k] of [[0, 0, 0], [3, 3, 5], [2, 1, 3], [1, 2, 4]] as const)
      expect(at(got, [i, j, k])).toBeCloseTo(at(a, [Math.floor(j / 2), Math.floor(k / 2)]) * at(b, [i, j % 2, k % 2]), 12);
    gradgradcheck((x, y) => kron(x!, y!), [f64([2, 2], 3), f64([3], 4)]);
  });

  it('vecdot sums the products along dim, broadcasting', () => {
    const x = f64([2, 3], 1, false);
    const y = f64([3], 2, false);
    expect(flat(vecdot(x, y))).toBeAllClose(flat(x.matmul(y)), { rtol: 1e-12 });
    expect(flat(vecdot(x, f64([1, 3], 3, false), { dim: 0 }))).toBeAllClose(flat(x.mul(f64([1, 3], 3, false)).sum(0)), { rtol: 1e-12 });
    expect(() => vecdot(ones([2, 3]), ones([4]))).toThrow(ShapeError);
    gradgradcheck((a, b) => vecdot(a!, b!), [f64([2, 3], 4), f64([3], 5)]);
  });
});

describe('cdist', () => {
  /** Plain-loop p-norm distances. */
  function ref(x1: Tensor, x2: Tensor, p: number): number[] {
    const [P, M] = x1.shape as [number, number];
    const R = x2.shape[0]!;
    const out: number[] = [];
    for (let i = 0; i < P; i++)
      for (let j = 0; j < R; j++) {
        const d = Array.from({ length: M }, (_, k) => Math.abs(at(x1, [i, k]) - at(x2, [j, k])));
        if (p === 0) out.push(d.filter((v) => v !== 0).length);
        else if (p === Infinity) out.push(Math.max(...d));
        else out.push(d.reduce((s, v) => s + v ** p, 0) ** (1 / p));
      }
    return out;
  }
  for (const p of [0, 0.5, 1, 2, 3, Infinity])
    it(`matches plain loops for p = ${p}`, () => {
      const x1 = f64([4, 3], 1, false);
      const x2 = f64([5, 3], 2, false);
      expect(flat(cdist(x1, x2, { p }))).toBeAllClose(ref(x1, x2, p), { rtol: 1e-10, atol: 1e-12 });
    });

  it('uses the expanded form past 25 rows, clamped at 0, and broadcasts batch dims', () => {
    const x1 = f64([30, 3], 1, false);
    const x2 = f64([6, 3], 2, false);
    expect(flat(cdist(x1, x2))).toBeAllClose(ref(x1, x2, 2), { rtol: 1e-8, atol: 1e-8 });
    const same = cdist(x1, x1);
    expect(flat(same).filter((_, k) => k % 31 === 0).every((v) => v === 0 || v < 1e-6)).toBe(true);
    expect(cdist(f64([2, 1, 4, 3], 3, false), f64([3, 5, 3], 4, false)).shape).toEqual([2, 3, 4, 5]);
  });

  it('gives a zero gradient (not NaN) where a distance is 0, as PyTorch', () => {
    for (const n of [2, 30]) {
      const x = f64([n, 2], 1);
      cdist(x, x.detach()).sum().backward();
      expect(flat(x.grad!).every((v) => Number.isFinite(v))).toBe(true);
    }
  });

  it('has gradients that match finite differences, twice over', () => {
    for (const p of [1, 2, 3, 0.5]) gradcheck((a, b) => cdist(a!, b!, { p }), [f64([3, 2], 1), f64([4, 2], 2)]);
    gradcheck((a, b) => cdist(a!, b!), [f64([27, 2], 3), f64([2, 2], 4)]);
    gradgradcheck((a, b) => cdist(a!, b!), [f64([3, 2], 5), f64([2, 2], 6)]);
  });

  it('refuses mismatched columns, negative p and integer inputs', () => {
    expect(() => cdist(ones([2, 3]), ones([4, 5]))).toThrow('cdist: x1 and x2 must have the same number of columns, got shapes [2,3] and [4,5]');
    expect(() => cdist(ones([2, 3]), ones([4, 3]), { p: -1 })).toThrow('cdist: p must be non-negative, got -1');
    expect(() => cdist(ones([2, 3], { dtype: 'int32' }), ones([4, 3], { dtype: 'int32' }))).toThrow('cdist');
  });
});

// One block per op, twice differentiated (the coverage table reads describe('<op>') blocks).
describe('inner', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => inner(a!, b!), [f64([2, 3], 1), f64([4, 3], 2)]);
    gradgradcheck((a, b) => inner(a!, b!), [f64([3], 3), f64([2, 3], 4)]);
  });
});
describe('ger', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => ger(a!, b!), [f64([2], 1), f64([3], 2)]);
    gradgradcheck((a, b) => ger(a!, b!), [f64([2], 1), f64([3], 2)]);
  });
});
describe('mv', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => mv(a!, b!), [f64([2, 3], 1), f64([3], 2)]);
    gradgradcheck((a, b) => mv(a!.T, b!), [f64([3, 2], 1), f64([3], 2)]);
  });
});
describe('vdot', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => vdot(a!, b!), [f64([4], 1), f64([4], 2)]);
    gradgradcheck((a, b) => vdot(a!, b!), [f64([4], 1), f64([4], 2)]);
  });
});
describe('addmm', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradgradcheck((i, a, b) => addmm(i!, a!, b!, { beta: 0.5, alpha: 2 }), [f64([2, 1], 1), f64([2, 3], 2), f64([3, 4], 3)]);
    gradcheck((i, a, b) => addmm(i!, a!, b!), [f64([4], 1), f64([2, 3], 2), f64([3, 4], 3)]);
  });
});
describe('addmv', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradgradcheck((i, a, b) => addmv(i!, a!, b!, { beta: 2 }), [f64([2], 1), f64([2, 3], 2), f64([3], 3)]);
    gradcheck((i, a, b) => addmv(i!, a!, b!), [f64([1], 1), f64([2, 3], 2), f64([3], 3)]);
  });
});
describe('addr', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradgradcheck((i, a, b) => addr(i!, a!, b!, { alpha: -1 }), [f64([1, 3], 1), f64([2], 2), f64([3], 3)]);
    gradcheck((i, a, b) => addr(i!, a!, b!), [f64([2, 3], 1), f64([2], 2), f64([3], 3)]);
  });
});
describe('baddbmm', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradgradcheck((i, a, b) => baddbmm(i!, a!, b!, { beta: 0.5 }), [f64([2, 1, 4], 1), f64([2, 2, 3], 2), f64([2, 3, 4], 3)]);
    gradcheck((i, a, b) => baddbmm(i!, a!, b!), [f64([4], 1), f64([2, 2, 3], 2), f64([2, 3, 4], 3)]);
  });
});
describe('addbmm', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradgradcheck((i, a, b) => addbmm(i!, a!, b!), [f64([2, 4], 1), f64([3, 2, 3], 2), f64([3, 3, 4], 3)]);
    gradcheck((i, a, b) => addbmm(i!, a!, b!, { beta: 3, alpha: 0.5 }), [f64([1, 4], 1), f64([3, 2, 3], 2), f64([3, 3, 4], 3)]);
  });
});
describe('tensordot', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => tensordot(a!, b!, 1), [f64([2, 3], 1), f64([3, 2], 2)]);
    gradgradcheck((a, b) => tensordot(a!, b!, [[0], [1]]), [f64([2, 3], 1), f64([3, 2], 2)]);
  });
});
describe('kron', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => kron(a!, b!), [f64([2, 3], 1), f64([2, 1, 2], 2)]);
    gradgradcheck((a, b) => kron(a!, b!), [f64([2], 1), f64([2, 2], 2)]);
  });
});
describe('vecdot', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a, b) => vecdot(a!, b!, { dim: 0 }), [f64([3, 2], 1), f64([3, 1], 2)]);
    gradgradcheck((a, b) => vecdot(a!, b!), [f64([2, 3], 1), f64([3], 2)]);
  });
});

describe('products as Tensor methods and on other dtypes', () => {
  it('delegate to the functions', () => {
    const a = f64([2, 3], 1, false);
    const b = f64([3, 2], 2, false);
    const v = f64([3], 3, false);
    expect(flat(a.inner(b.T))).toEqual(flat(inner(a, b.T)));
    expect(flat(v.ger(v))).toEqual(flat(ger(v, v)));
    expect(flat(a.mv(v))).toEqual(flat(mv(a, v)));
    expect(v.vdot(v).item()).toBe(vdot(v, v).item());
    expect(flat(zeros([2, 2], { dtype: 'float64' }).addmm(a, b, { alpha: 2 }))).toEqual(flat(addmm(zeros([2, 2], { dtype: 'float64' }), a, b, { alpha: 2 })));
    expect(flat(zeros([2], { dtype: 'float64' }).addmv(a, v))).toEqual(flat(addmv(zeros([2], { dtype: 'float64' }), a, v)));
    expect(flat(zeros([3, 3], { dtype: 'float64' }).addr(v, v))).toEqual(flat(addr(zeros([3, 3], { dtype: 'float64' }), v, v)));
    const b1 = f64([2, 2, 3], 4, false);
    const b2 = f64([2, 3, 2], 5, false);
    expect(flat(zeros([2, 2], { dtype: 'float64' }).addbmm(b1, b2))).toEqual(flat(addbmm(zeros([2, 2], { dtype: 'float64' }), b1, b2)));
    expect(flat(zeros([2, 2, 2], { dtype: 'float64' }).baddbmm(b1, b2))).toEqual(flat(baddbmm(zeros([2, 2, 2], { dtype: 'float64' }), b1, b2)));
    expect(flat(a.kron(b))).toEqual(flat(kron(a, b)));
  });

  it('compute int32 einsum, kron and tensordot exactly in int32', () => {
    const a = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    const e = einsum('ij,jk->ik', a, a);
    expect(e.dtype).toBe('int32');
    expect(e.toArray()).toEqual([[7, 10], [15, 22]]);
    expect(einsum('ii', a).item()).toBe(5);
    expect(kron(a, tensor([1, 10], { dtype: 'int32' })).toArray()).toEqual([[1, 10, 2, 20], [3, 30, 4, 40]]);
    expect(tensordot(a, a, 2).item()).toBe(30);
  });

  it('handle empty operands', () => {
    expect(cdist(zeros([0, 3]), ones([2, 3])).shape).toEqual([0, 2]);
    expect(cdist(zeros([30, 3]), zeros([0, 3])).shape).toEqual([30, 0]);
    expect(inner(zeros([2, 0]), zeros([3, 0])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(kron(zeros([0, 2]), ones([2, 2])).shape).toEqual([0, 4]);
    expect(einsum('bij,bjk->bik', zeros([0, 2, 3]), zeros([0, 3, 4])).shape).toEqual([0, 2, 4]);
    expect(einsum('ii->i', zeros([0, 0])).shape).toEqual([0]);
  });
});
