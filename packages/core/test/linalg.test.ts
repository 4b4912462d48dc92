import { describe, expect, it } from 'vitest';
import {
  tensor, randn, Generator, gradcheck, gradgradcheck, matmul, bmm, dot, outer, ShapeError, DTypeError, type Tensor,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });

/** PyTorch's matmul rules, by plain loops over the flattened operands. */
function refMatmul(a: Tensor, b: Tensor): { shape: number[]; values: number[] } {
  const av = Array.from(a.detach().data as ArrayLike<number>);
  const bv = Array.from(b.detach().data as ArrayLike<number>);
  const as = a.ndim === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.ndim === 1 ? [b.shape[0]!, 1] : b.shape;
  const [M, K] = as.slice(-2) as [number, number];
  const N = bs[bs.length - 1]!;
  const nb = Math.max(as.length, bs.length) - 2;
  const ba = [...Array(nb - (as.length - 2)).fill(1), ...as.slice(0, -2)] as number[];
  const bb = [...Array(nb - (bs.length - 2)).fill(1), ...bs.slice(0, -2)] as number[];
  const batch = ba.map((d, i) => Math.max(d, bb[i]!));
  const total = batch.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let p = 0; p < total; p++) {
    // multi-index of batch p, then the flat batch index into each operand (size-1 dims repeat)
    let rest = p;
    const idx = batch.map(() => 0);
    for (let d = nb - 1; d >= 0; d--) {
      idx[d] = rest % batch[d]!;
      rest = Math.floor(rest / batch[d]!);
    }
    let pa = 0;
    let pb = 0;
    for (let d = 0; d < nb; d++) {
      pa = pa * ba[d]! + (ba[d] === 1 ? 0 : idx[d]!);
      pb = pb * bb[d]! + (bb[d] === 1 ? 0 : idx[d]!);
    }
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += av[pa * M * K + i * K + k]! * bv[pb * K * N + k * N + j]!;
        values.push(s);
      }
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [M]), ...(b.ndim === 1 ? [] : [N])];
  return { shape, values };
}

function expectMatmul(a: Tensor, b: Tensor, tol = { rtol: 1e-10, atol: 1e-12 }): void {
  const out = matmul(a, b);
  const ref = refMatmul(a, b);
  expect(out.shape).toEqual(ref.shape);
  expect(Array.from(out.data as ArrayLike<number>)).toBeAllClose(ref.values, tol);
}

const cases: Array<[string, number[], number[]]> = [
  ['1-D by 1-D (dot)', [3], [3]],
  ['2-D by 2-D', [2, 3], [3, 4]],
  ['1-D by 2-D', [3], [3, 4]],
  ['2-D by 1-D', [2, 3], [3]],
  ['1-D by batched', [3], [2, 3, 4]],
  ['batched by 1-D', [2, 2, 3], [3]],
  ['batched by 2-D (rows folded)', [2, 3, 4], [4, 2]],
  ['2-D by batched', [3, 4], [2, 4, 2]],
  ['batched with broadcast batch dims', [2, 1, 3, 4], [5, 4, 2]],
  ['batched with size-1 rows and columns', [2, 1, 4], [2, 4, 1]],
];

describe('matmul', () => {
  for (const [name, sa, sb] of cases) {
    it(`matches plain loops: ${name} ${JSON.stringify(sa)} x ${JSON.stringify(sb)}`, () => {
      expectMatmul(f64(sa, 1, false), f64(sb, 2, false));
    });
  }

  it('matches plain loops for transposed (non-contiguous) operands', () => {
    const a = f64([4, 3], 3, false).T;
    const b = f64([5, 4], 4, false).T;
    expect(a.isContiguous()).toBe(false);
    expectMatmul(a, b);
    expectMatmul(f64([2, 4, 3], 5, false).mT, f64([2, 5, 4], 6, false).mT);
    expectMatmul(f64([2, 4, 3], 5, false).mT, f64([4, 2], 7, false));
  });

  it('handles sizes past the unrolled and blocked loop bounds (odd M, K > 128, K % 4 != 0)', () => {
    expectMatmul(f64([5, 131], 8, false), f64([131, 7], 9, false));
    expectMatmul(f64([3, 3, 6], 10, false), f64([3, 6, 1], 11, false));
  });

  it('computes float32 products close to the float64 reference', () => {
    const a = randn([17, 40], { generator: new Generator(12) });
    const b = randn([40, 9], { generator: new Generator(13) });
    const out = matmul(a, b);
    expect(out.dtype).toBe('float32');
    expect(Array.from(out.data as ArrayLike<number>)).toBeAllClose(refMatmul(a, b).values, { rtol: 1e-5, atol: 1e-5 });
  });

  it('multiplies int32 tensors exactly into an int32 result', () => {
    const a = tensor([[1, -2, 3], [4, 5, -6]], { dtype: 'int32' });
    const b = tensor([[7, 8], [9, 10], [11, -12]], { dtype: 'int32' });
    const out = matmul(a, b);
    expect(out.dtype).toBe('int32');
    expect(out.toArray()).toEqual([
      [1 * 7 - 2 * 9 + 3 * 11, 1 * 8 - 2 * 10 - 3 * 12],
      [4 * 7 + 5 * 9 - 6 * 11, 4 * 8 + 5 * 10 + 6 * 12],
    ]);
  });

  it('promotes mixed dtypes like the elementwise ops', () => {
    const a = tensor([[1, 2]], { dtype: 'int32' });
    const b = tensor([[0.5], [0.25]], { dtype: 'float64' });
    const out = matmul(a, b);
    expect(out.dtype).toBe('float64');
    expect(out).toBeAllClose([[1]]);
    expect(matmul(tensor([[1, 2]]), b).dtype).toBe('float64');
  });

  for (const [name, sa, sb] of cases) {
    it(`has gradients that match finite differences: ${name}`, () => {
      gradcheck((a, b) => matmul(a!, b!), [f64(sa, 1), f64(sb, 2)]);
    });
  }

  it('has gradients that match finite differences for transposed operands', () => {
    gradcheck((a, b) => matmul(a!.mT, b!), [f64([2, 4, 3], 1), f64([4, 2], 2)]);
    gradcheck((a, b) => matmul(a!.T, b!.T), [f64([4, 3], 3), f64([2, 4], 4)]);
    // transposed operands get their gradient computed in their own layout: check it twice over
    gradgradcheck((a, b) => matmul(a!.T, b!.T), [f64([4, 3], 5), f64([2, 4], 6)]);
    gradgradcheck((a, b) => matmul(a!, b!.mT), [f64([3, 4], 7), f64([2, 5, 4], 8)]);
  });


  it('sends a gradient only to the operands that require one', () => {
    const x = f64([2, 3], 1, false);
    const w = f64([3, 4], 2);
    matmul(x, w).sum().backward();
    expect(w.grad!.shape).toEqual([3, 4]);
    expect(x.grad).toBeNull();
    // d sum(XW) / dW[k, j] = sum_i X[i, k]
    const xs = x.toArray() as number[][];
    const expected = [0, 1, 2].map((k) => Array(4).fill(xs[0]![k]! + xs[1]![k]!));
    expect(w.grad!).toBeAllClose(expected);
  });

  it('has second derivatives that match finite differences', () => {
    gradgradcheck((a, b) => matmul(a!, b!), [f64([2, 3], 1), f64([3, 2], 2)]);
    gradgradcheck((a, b) => matmul(a!, b!), [f64([2, 1, 2, 3], 3), f64([2, 3, 2], 4)]);
    gradgradcheck((a, b) => matmul(a!, b!), [f64([3], 5), f64([3], 6)]);
  });

  it('throws for operands whose inner dims are not aligned, naming both shapes', () => {
    expect(() => matmul(randn([2, 3]), randn([4, 5]))).toThrow(ShapeError);
    expect(() => matmul(randn([2, 3]), randn([4, 5]))).toThrow('matmul: shapes [2,3] and [4,5] are not aligned (3 != 4)');
    expect(() => matmul(randn([3]), randn([4]))).toThrow('matmul: shapes [3] and [4] are not aligned (3 != 4)');
    expect(() => matmul(randn([2, 3, 4]), randn([5]))).toThrow('matmul: shapes [2,3,4] and [5] are not aligned (4 != 5)');
  });

  it('throws for 0-d operands, naming the shapes', () => {
    expect(() => matmul(tensor(2), randn([3]))).toThrow(/matmul: .*shapes \[\] and \[3\]/);
    expect(() => matmul(randn([3]), tensor(2))).toThrow(ShapeError);
  });

  it('throws for batch dims that do not broadcast', () => {
    expect(() => matmul(randn([2, 3, 4]), randn([3, 4, 5]))).toThrow(
      'matmul: batch dims of shapes [2,3,4] and [3,4,5] cannot be broadcast ([2] vs [3])',
    );
  });

  it('throws for bool operands', () => {
    const m = tensor([[true, false]]);
    expect(() => matmul(m, m.T)).toThrow(DTypeError);
    expect(() => matmul(m, m.T)).toThrow(/matmul: bool/);
  });
});

describe('bmm', () => {
  it('multiplies matching batches of matrices', () => {
    const a = f64([3, 2, 4], 1, false);
    const b = f64([3, 4, 5], 2, false);
    const out = bmm(a, b);
    const ref = refMatmul(a, b);
    expect(out.shape).toEqual([3, 2, 5]);
    expect(Array.from(out.data as ArrayLike<number>)).toBeAllClose(ref.values, { rtol: 1e-10 });
  });

  it('has gradients that match finite differences', () => {
    gradcheck((a, b) => bmm(a!, b!), [f64([2, 2, 3], 1), f64([2, 3, 2], 2)]);
  });

  it('throws for non-3-D, misaligned or differently batched operands', () => {
    expect(() => bmm(randn([2, 3]), randn([2, 3, 4]))).toThrow('bmm: expected 3-D tensors, got shapes [2,3] and [2,3,4]');
    expect(() => bmm(randn([2, 3, 4]), randn([2, 5, 6]))).toThrow('bmm: shapes [2,3,4] and [2,5,6] are not aligned (4 != 5)');
    expect(() => bmm(randn([2, 3, 4]), randn([3, 4, 5]))).toThrow('bmm: batch sizes differ, shapes [2,3,4] and [3,4,5]');
  });
});

describe('dot', () => {
  it('sums the elementwise products of two vectors into a 0-d tensor', () => {
    const out = dot(tensor([1, 2, 3]), tensor([4, -5, 6]));
    expect(out.shape).toEqual([]);
    expect(out.item()).toBeCloseTo(1 * 4 - 2 * 5 + 3 * 6);
  });

  it('has first and second derivatives that match finite differences', () => {
    gradcheck((a, b) => dot(a!, b!), [f64([4], 1), f64([4], 2)]);
    gradgradcheck((a, b) => dot(a!, b!), [f64([4], 1), f64([4], 2)]);
  });

  it('throws for non-vectors and for different lengths', () => {
    expect(() => dot(randn([2, 3]), randn([3]))).toThrow('dot: expected two 1-D tensors, got shapes [2,3] and [3]');
    expect(() => dot(randn([3]), randn([4]))).toThrow('dot: shapes [3] and [4] have different lengths (3 != 4)');
  });
});

describe('outer', () => {
  it('forms the products of every pair of elements', () => {
    const a = [1, -2];
    const b = [3, 4, 0.5];
    expect(outer(tensor(a), tensor(b))).toBeAllClose(a.map((x) => b.map((y) => x * y)));
  });

  it('has gradients that match finite differences', () => {
    gradcheck((a, b) => outer(a!, b!), [f64([3], 1), f64([2], 2)]);
  });

  it('throws for non-vectors, naming the shapes', () => {
    expect(() => outer(randn([2, 3]), randn([3]))).toThrow('outer: expected two 1-D tensors, got shapes [2,3] and [3]');
  });
});
