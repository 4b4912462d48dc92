import { describe, expect, it } from 'vitest';
import {
  AutogradError, DTypeError, Generator, ShapeError, ValueError, cholesky, det, eye, gradcheck, gradgradcheck, inverse,
  linalg, matrixPower, ones, pinverse, randn, slogdet, tensor, zeros, type Tensor,
} from '@tapegrad/core';

const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });

/** The values of `t` in row-major order. */
const flat = (t: Tensor) => Array.from(t.detach().data as ArrayLike<number>);

/** Symmetric positive-definite matrices built from `a [..., N, N]`: a a^T + N I. */
const spd = (a: Tensor) => a.matmul(a.mT).add(eye(a.shape[a.ndim - 1]!, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]!));

/** The determinant by the Leibniz formula (sum over permutations), for small n. */
function leibniz(m: number[][]): number {
  const n = m.length;
  let total = 0;
  const perm = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) {
      let inv = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (prefix[i]! > prefix[j]!) inv++;
      total += (inv % 2 ? -1 : 1) * prefix.reduce((p, c, r) => p * m[r]![c]!, 1);
      return;
    }
    rest.forEach((c, i) => perm([...prefix, c], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  perm([], Array.from({ length: n }, (_, i) => i));
  return total;
}

describe('det, slogdet', () => {
  it('match the Leibniz formula for a batch of matrices, float64 and float32', () => {
    const a = f64([2, 3, 4, 4], 1, false);
    const ref = (a.toArray() as number[][][][]).flat().map(leibniz);
    expect(det(a).shape).toEqual([2, 3]);
    expect(flat(det(a))).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
    expect(flat(det(a.float()))).toBeAllClose(ref, { rtol: 1e-4, atol: 1e-5 });
    const { sign, logabsdet } = slogdet(a);
    expect(flat(sign)).toEqual(ref.map(Math.sign));
    expect(flat(logabsdet)).toBeAllClose(ref.map((d) => Math.log(Math.abs(d))), { rtol: 1e-12 });
  });

  it('give 0 (sign 0, logabsdet -inf) for a singular matrix, 1 for a 0x0 matrix, and propagate NaN', () => {
    const s = tensor([[1, 2], [2, 4]], { dtype: 'float64' });
    expect(det(s).item()).toBe(0);
    expect(slogdet(s).sign.item()).toBe(0);
    expect(slogdet(s).logabsdet.item()).toBe(-Infinity);
    expect(det(zeros([3, 0, 0])).toArray()).toEqual([1, 1, 1]);
    expect(det(zeros([0, 2, 2])).shape).toEqual([0]);
    expect(det(tensor([[NaN, 1], [1, 1]])).item()).toBeNaN();
  });

  it('keep the sign when the determinant underflows', () => {
    const a = eye(200, { dtype: 'float64' }).mul(0.01);
    const { sign, logabsdet } = slogdet(a.neg());
    expect(det(a).item()).toBe(0);
    expect(sign.item()).toBe(1);
    expect(logabsdet.item()).toBeCloseTo(200 * Math.log(0.01), 8);
  });

  it('have gradients that match finite differences, twice over, also on transposed inputs', () => {
    gradcheck((a) => det(a!), [f64([2, 3, 3], 1)]);
    gradcheck((a) => slogdet(a!).logabsdet, [f64([3, 3], 2)]);
    gradgradcheck((a) => det(a!.mT), [f64([3, 3], 3)]);
    gradgradcheck((a) => slogdet(a!).logabsdet, [f64([2, 2, 2], 4)]);
  });

  it('has the adjugate as gradient at singular matrices (through the SVD), not an error', () => {
    const a = tensor([[1, 2, 3], [2, 4, 6], [1, 0, 1]], { dtype: 'float64', requiresGrad: true });
    det(a).backward();
    // the cofactors of a rank-2 matrix (PyTorch 1.13 returns zeros here)
    expect(a.grad!).toBeAllClose([[4, 4, -4], [-2, -2, 2], [0, 0, 0]], { atol: 1e-12 });
    gradcheck((x) => det(x!), [tensor([[[1, 2, 3], [2, 4, 6], [1, 0, 1]], [[1, 2, 3], [2, 4, 6], [2, 4, 6]]], { dtype: 'float64', requiresGrad: true })]);
    const z = zeros([2, 2], { dtype: 'float64', requiresGrad: true });
    det(z).backward();
    expect(flat(z.grad!)).toEqual([0, 0, 0, 0]);
  });

  it('refuse non-square and integer inputs, naming the op', () => {
    expect(() => det(ones([3]))).toThrow('det: expected a batch of square matrices [..., N, N], got shape [3]');
    expect(() => slogdet(ones([2, 3]))).toThrow(ShapeError);
    expect(() => det(ones([2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('inv, solve', () => {
  it('invert a batch: inv(A) A = I, float64 and float32, strided input', () => {
    const a = f64([3, 4, 4], 1, false);
    const i = linalg.inv(a);
    expect(flat(i.matmul(a))).toBeAllClose(flat(eye(4, { dtype: 'float64' }).expand([3, 4, 4]).contiguous()), { atol: 1e-12 });
    expect(flat(linalg.inv(a.float()))).toBeAllClose(flat(i), { rtol: 1e-3, atol: 1e-4 });
    expect(flat(linalg.inv(a.mT))).toBeAllClose(flat(i.mT.contiguous()), { rtol: 1e-10, atol: 1e-12 });
    expect(flat(inverse(a))).toEqual(flat(i));
    expect(linalg.inv(zeros([2, 0, 0])).shape).toEqual([2, 0, 0]);
  });

  it('solve A X = B with matrix and vector right-hand sides, broadcasting batch dims', () => {
    const a = f64([2, 1, 3, 3], 1, false);
    const b = f64([4, 3, 2], 2, false);
    const x = linalg.solve(a, b);
    expect(x.shape).toEqual([2, 4, 3, 2]);
    expect(flat(a.matmul(x))).toBeAllClose(flat(b.expand([2, 4, 3, 2]).contiguous()), { atol: 1e-12 });
    const v = f64([3], 3, false);
    const xv = linalg.solve(a, v);
    expect(xv.shape).toEqual([2, 1, 3]);
    expect(flat(a.matmul(xv.unsqueeze(-1)))).toBeAllClose([...flat(v), ...flat(v)], { atol: 1e-12 });
    // B with one dim fewer than A and A's batch: a batch of vectors
    expect(linalg.solve(f64([5, 3, 3], 4, false), f64([5, 3], 5, false)).shape).toEqual([5, 3]);
    // left: false solves X A = B
    const b2 = f64([2, 3], 6, false);
    const a2 = f64([3, 3], 7, false);
    expect(flat(linalg.solve(a2, b2, { left: false }).matmul(a2))).toBeAllClose(flat(b2), { atol: 1e-12 });
    expect(() => linalg.solve(a2, f64([3], 8, false), { left: false })).toThrow(ShapeError);
  });

  it('throw naming the op and the batch index of a singular matrix', () => {
    const a = tensor([[[1, 0], [0, 1]], [[1, 2], [2, 4]]], { dtype: 'float64' });
    expect(() => linalg.inv(a)).toThrow(ValueError);
    expect(() => linalg.inv(a)).toThrow('inv: the matrix at batch index 1 is singular (U[1,1] == 0)');
    expect(() => linalg.solve(a, ones([2, 2], { dtype: 'float64' }))).toThrow('solve: the matrix at batch index 1 is singular (U[1,1] == 0)');
    expect(() => linalg.inv(zeros([3, 3]))).toThrow('inv: the matrix at batch index 0 is singular (U[0,0] == 0)');
    expect(() => linalg.solve(ones([2, 2]), ones([3]))).toThrow('solve: A of shape [2,2] and B of shape [3] are not aligned (2 != 3)');
    expect(() => linalg.solve(ones([2, 2]), ones([2], { dtype: 'float64' }))).toThrow(DTypeError);
  });

  it('have gradients that match finite differences, twice over', () => {
    gradcheck((a) => linalg.inv(a!), [f64([2, 3, 3], 1)]);
    gradgradcheck((a) => linalg.inv(a!), [f64([3, 3], 2)]);
    gradcheck((a, b) => linalg.solve(a!, b!), [f64([2, 1, 3, 3], 3), f64([2, 3, 2], 4)]);
    gradcheck((a, b) => linalg.solve(a!, b!), [f64([3, 3], 5), f64([3], 6)]);
    gradgradcheck((a, b) => linalg.solve(a!, b!), [f64([3, 3], 7), f64([3, 2], 8)]);
  });
});

describe('cholesky', () => {
  it('factors A = L L^T with L lower triangular (upper: U = L^T), reading only the lower triangle', () => {
    const a = spd(f64([2, 4, 4], 1, false));
    const l = cholesky(a);
    expect(flat(l.matmul(l.mT))).toBeAllClose(flat(a), { rtol: 1e-12, atol: 1e-12 });
    const lv = l.toArray() as number[][][];
    for (const m of lv) for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(m[i]![j]).toBe(0);
    expect(flat(cholesky(a, { upper: true }))).toEqual(flat(l.mT.contiguous()));
    // garbage above the diagonal is ignored
    const garbled = a.add(tensor([[0, 9, 9, 9], [0, 0, 9, 9], [0, 0, 0, 9], [0, 0, 0, 0]], { dtype: 'float64' }));
    expect(flat(cholesky(garbled))).toEqual(flat(l));
    expect(flat(cholesky(a.float()))).toBeAllClose(flat(l), { rtol: 1e-4, atol: 1e-5 });
    expect(flat(linalg.cholesky(a))).toEqual(flat(l));
  });

  it('throws naming the batch index when a matrix is not positive-definite', () => {
    const a = tensor([[[4, 0], [0, 1]], [[1, 2], [2, 1]]], { dtype: 'float64' });
    expect(() => cholesky(a)).toThrow(
      'cholesky: the matrix at batch index 1 is not positive-definite (the leading minor of order 2 is not positive)',
    );
    expect(() => cholesky(tensor([[NaN]]))).toThrow(ValueError);
    expect(() => cholesky(ones([2, 2]), { lower: true } as never)).toThrow(ValueError);
  });

  it('has gradients that match finite differences, twice over (Murray)', () => {
    gradcheck((a) => cholesky(spd(a!)), [f64([2, 3, 3], 1)]);
    gradcheck((a) => cholesky(spd(a!), { upper: true }), [f64([3, 3], 2)]);
    gradgradcheck((a) => cholesky(spd(a!)), [f64([3, 3], 3)]);
  });
});

describe('qr', () => {
  for (const shape of [[5, 3], [3, 3], [3, 5], [2, 4, 3]])
    it(`decomposes ${JSON.stringify(shape)}: A = QR, Q^T Q = I, R upper triangular`, () => {
      const a = f64(shape, 1, false);
      const { Q, R } = linalg.qr(a);
      const k = Math.min(shape.at(-1)!, shape.at(-2)!);
      expect(Q.shape).toEqual([...shape.slice(0, -1), k]);
      expect(R.shape).toEqual([...shape.slice(0, -2), k, shape.at(-1)!]);
      expect(flat(Q.matmul(R))).toBeAllClose(flat(a), { atol: 1e-12 });
      expect(flat(Q.mT.matmul(Q))).toBeAllClose(flat(eye(k, { dtype: 'float64' }).expand([...shape.slice(0, -2), k, k]).contiguous()), { atol: 1e-12 });
      const rv = flat(R);
      const cols = shape.at(-1)!;
      rv.forEach((v, i) => {
        const r = Math.floor(i / cols) % k;
        if (i % cols < r) expect(v).toBe(0);
      });
    });

  it('has complete and r modes, and LAPACK signs (R[0,0] = -|a_0| for a positive a00)', () => {
    const a = f64([4, 2], 1, false);
    const { Q, R } = linalg.qr(a, { mode: 'complete' });
    expect(Q.shape).toEqual([4, 4]);
    expect(R.shape).toEqual([4, 2]);
    expect(flat(Q.matmul(R))).toBeAllClose(flat(a), { atol: 1e-12 });
    expect(flat(linalg.qr(a, { mode: 'r' }).R)).toEqual(flat(linalg.qr(a).R));
    expect(linalg.qr(tensor([[3, 1], [4, 2]], { dtype: 'float64' })).R.toArray()).toBeAllClose([[-5, -2.2], [0, 0.4]], { atol: 1e-12 });
    expect(() => linalg.qr(a, { mode: 'full' as never })).toThrow(ValueError);
  });

  it('has gradients that match finite differences, twice over, also for M < N', () => {
    gradcheck((a) => { const { Q, R } = linalg.qr(a!); return [Q, R]; }, [f64([4, 3], 1)]);
    gradcheck((a) => { const { Q, R } = linalg.qr(a!); return [Q, R]; }, [f64([2, 3, 3], 2)]);
    gradgradcheck((a) => { const { Q, R } = linalg.qr(a!); return [Q, R]; }, [f64([3, 2], 3)]);
    gradcheck((a) => { const { Q, R } = linalg.qr(a!); return [Q, R]; }, [f64([2, 4], 4)]);
    gradcheck((a) => linalg.qr(a!).R, [f64([2, 3], 5)]);
    gradgradcheck((a) => { const { Q, R } = linalg.qr(a!); return [Q, R]; }, [f64([2, 3], 6)]);
    gradcheck((a) => { const { Q, R } = linalg.qr(a!, { mode: 'complete' }); return [Q, R]; }, [f64([2, 3], 7)]);
    expect(() => linalg.qr(f64([3, 2], 8), { mode: 'complete' }).Q.sum().backward()).toThrow(AutogradError);
  });
});

describe('eigh', () => {
  it('returns ascending eigenvalues and orthonormal eigenvectors: A = V diag(L) V^T', () => {
    const b = f64([3, 5, 5], 1, false);
    const a = b.add(b.mT);
    const { eigenvalues: L, eigenvectors: V } = linalg.eigh(a);
    expect(flat(V.mul(L.unsqueeze(-2)).matmul(V.mT))).toBeAllClose(flat(a), { atol: 1e-11 });
    expect(flat(V.mT.matmul(V))).toBeAllClose(flat(eye(5, { dtype: 'float64' }).expand([3, 5, 5]).contiguous()), { atol: 1e-12 });
    for (const row of L.toArray() as number[][]) for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
    expect(flat(linalg.eigvalsh(a))).toEqual(flat(L));
    expect(flat(linalg.eigh(a.float()).eigenvalues)).toBeAllClose(flat(L), { rtol: 1e-4, atol: 1e-4 });
  });

  it('reads only the lower triangle, or the upper one with UPLO U', () => {
    const a = tensor([[2, 100], [1, 2]], { dtype: 'float64' });
    expect(linalg.eigvalsh(a).toArray()).toBeAllClose([1, 3], { atol: 1e-12 });
    expect(linalg.eigvalsh(a, { UPLO: 'U' }).toArray()).toBeAllClose([-98, 102], { atol: 1e-12 });
  });

  it('has gradients that match finite differences (distinct eigenvalues), twice over', () => {
    const sym = (a: Tensor) => a.add(a.mT);
    // eigenvectors only up to sign: check sign-invariant functions of them
    gradcheck((a) => { const { eigenvalues, eigenvectors } = linalg.eigh(sym(a!)); return [eigenvalues, eigenvectors.square()]; }, [f64([2, 4, 4], 1)]);
    gradcheck((a) => linalg.eigh(sym(a!), { UPLO: 'U' }).eigenvectors.abs(), [f64([3, 3], 2)]);
    gradgradcheck((a) => linalg.eigvalsh(sym(a!)), [f64([3, 3], 3)]);
    gradgradcheck((a) => linalg.eigh(sym(a!)).eigenvectors.square(), [f64([3, 3], 4)]);
  });
});

describe('matrixPower', () => {
  it('multiplies by repeated squaring; 0 gives I, negative powers invert', () => {
    const a = f64([2, 3, 3], 1, false);
    expect(flat(matrixPower(a, 5))).toBeAllClose(flat(a.matmul(a).matmul(a).matmul(a).matmul(a)), { rtol: 1e-10, atol: 1e-12 });
    expect(flat(matrixPower(a, 1))).toEqual(flat(a));
    expect(flat(matrixPower(a, 0))).toEqual(flat(eye(3, { dtype: 'float64' }).expand([2, 3, 3]).contiguous()));
    expect(flat(matrixPower(a, -2))).toBeAllClose(flat(linalg.inv(a.matmul(a))), { rtol: 1e-8, atol: 1e-10 });
    expect(matrixPower(tensor([[1, 1], [0, 1]], { dtype: 'int32' }), 3).toArray()).toEqual([[1, 3], [0, 1]]);
    expect(() => matrixPower(a, 0.5)).toThrow('matrixPower: n must be an integer, got 0.5');
    expect(() => matrixPower(ones([2, 3]), 2)).toThrow(ShapeError);
    gradgradcheck((x) => matrixPower(x!, 3), [f64([3, 3], 2)]);
    gradcheck((x) => matrixPower(x!, -1), [f64([3, 3], 3)]);
  });
});

describe('linalg namespace and Tensor methods', () => {
  it('expose the functions under their PyTorch names', () => {
    const a = tensor([[4, 2], [2, 5]], { dtype: 'float64' });
    expect(linalg.det(a).item()).toBeCloseTo(16, 12);
    expect(a.det().item()).toBeCloseTo(16, 12);
    expect(a.slogdet().logabsdet.item()).toBeCloseTo(Math.log(16), 12);
    expect(flat(a.inverse())).toBeAllClose(flat(linalg.inv(a)));
    expect(flat(a.cholesky())).toEqual(flat(linalg.cholesky(a)));
    expect(flat(a.matrixPower(2))).toEqual(flat(a.matmul(a)));
    expect(flat(a.pinverse())).toBeAllClose(flat(linalg.inv(a)), { rtol: 1e-12 });
    expect(pinverse(tensor([[1, 0], [0, 1e-3]], { dtype: 'float64' }), { rcond: 0.01 }).toArray()).toEqual([[1, 0], [0, 0]]);
    expect(linalg.vecdot(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    expect(linalg.matmul(a, a).shape).toEqual([2, 2]);
  });
});

// One block per exported op, twice differentiated (the coverage table reads describe('<op>') blocks).
describe('det', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a) => det(a!), [f64([3, 3], 11)]);
    gradgradcheck((a) => det(a!), [f64([2, 3, 3], 12)]);
  });
});
describe('slogdet', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a) => slogdet(a!).logabsdet, [f64([3, 3], 13)]);
    gradgradcheck((a) => slogdet(a!).logabsdet, [f64([3, 3], 14)]);
  });
});
describe('inverse', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a) => inverse(a!), [f64([3, 3], 15)]);
    gradgradcheck((a) => inverse(a!.mT), [f64([2, 2, 2], 16)]);
  });
});
describe('linalg', () => {
  it('has gradients that match finite differences, twice over, for every function of the namespace', () => {
    gradgradcheck((a, b) => linalg.solve(a!, b!), [f64([3, 3], 17), f64([3], 18)]);
    gradgradcheck((a) => { const { Q, R } = linalg.qr(a!); return [Q, R]; }, [f64([3, 3], 19)]);
    gradgradcheck((a) => linalg.eigh(a!.add(a!.mT)).eigenvalues, [f64([3, 3], 20)]);
    gradcheck((a) => linalg.det(a!), [f64([2, 2], 21)]);
    gradcheck((a) => linalg.inv(a!), [f64([2, 2], 22)]);
    gradcheck((a) => linalg.cholesky(spd(a!)), [f64([2, 2], 23)]);
    gradcheck((a) => linalg.matrixPower(a!, 2), [f64([2, 2], 24)]);
  });
});

describe('svd, svdvals, pinv', () => {
  const eyeB = (k: number, batch: number[]) => flat(eye(k, { dtype: 'float64' }).expand([...batch, k, k]).contiguous());
  for (const shape of [[5, 3], [3, 5], [4, 4], [2, 4, 2], [1, 3]])
    it(`decomposes ${JSON.stringify(shape)}: A = U diag(S) Vh, orthonormal factors, S descending (full and reduced)`, () => {
      const a = f64(shape, 1, false);
      const [m, n] = shape.slice(-2) as [number, number];
      const k = Math.min(m, n);
      const batch = shape.slice(0, -2);
      for (const fullMatrices of [true, false]) {
        const { U, S, Vh } = linalg.svd(a, { fullMatrices });
        expect(U.shape).toEqual([...batch, m, fullMatrices ? m : k]);
        expect(S.shape).toEqual([...batch, k]);
        expect(Vh.shape).toEqual([...batch, fullMatrices ? n : k, n]);
        const rec = U.narrow(-1, 0, k).mul(S.unsqueeze(-2)).matmul(Vh.narrow(-2, 0, k));
        expect(flat(rec)).toBeAllClose(flat(a), { atol: 1e-12 });
        expect(flat(U.mT.matmul(U))).toBeAllClose(eyeB(U.shape.at(-1)!, batch), { atol: 1e-12 });
        expect(flat(Vh.matmul(Vh.mT))).toBeAllClose(eyeB(Vh.shape.at(-2)!, batch), { atol: 1e-12 });
        const sv = flat(S);
        for (let i = 1; i < sv.length; i++) if (i % k !== 0) expect(sv[i]!).toBeLessThanOrEqual(sv[i - 1]!);
      }
    });

  it('is accurate for small singular values (no A^T A) and gives zeros for a zero matrix', () => {
    // singular values 1 and 1e-9: A^T A would lose the small one entirely
    const a = tensor([[1, 0], [0, 1e-9]], { dtype: 'float64' }).matmul(tensor([[0.6, 0.8], [-0.8, 0.6]], { dtype: 'float64' }));
    expect(flat(linalg.svdvals(a))).toBeAllClose([1, 1e-9], { rtol: 1e-7 });
    expect(flat(linalg.svdvals(zeros([3, 2], { dtype: 'float64' })))).toEqual([0, 0]);
    expect(flat(linalg.svdvals(f64([3, 4], 2, false).float()))).toBeAllClose(flat(linalg.svdvals(f64([3, 4], 2, false))), { rtol: 1e-5 });
  });

  it('pinv satisfies the Penrose conditions, cuts small singular values, and agrees with hermitian mode', () => {
    for (const shape of [[4, 3], [3, 4]]) {
      const a = f64(shape, 3, false);
      const p = linalg.pinv(a);
      expect(p.shape).toEqual([shape[1], shape[0]]);
      expect(flat(a.matmul(p).matmul(a))).toBeAllClose(flat(a), { atol: 1e-12 });
      expect(flat(p.matmul(a).matmul(p))).toBeAllClose(flat(p), { atol: 1e-12 });
    }
    expect(linalg.pinv(tensor([[1, 0], [0, 1e-20]], { dtype: 'float64' })).toArray()).toEqual([[1, 0], [0, 0]]);
    expect(linalg.pinv(tensor([[1, 0], [0, 0.1]], { dtype: 'float64' }), { atol: 0.5 }).toArray()).toEqual([[1, 0], [0, 0]]);
    const b = f64([3, 3], 4, false);
    const s = b.matmul(b.mT);
    expect(flat(linalg.pinv(s, { hermitian: true }))).toBeAllClose(flat(linalg.pinv(s)), { rtol: 1e-9, atol: 1e-12 });
  });

  it('have gradients that match finite differences (distinct singular values), twice over for S and pinv', () => {
    for (const shape of [[4, 3], [3, 4], [3, 3]]) {
      gradcheck((a) => { const { U, S, Vh } = linalg.svd(a!, { fullMatrices: false }); return [U.abs(), S, Vh.abs()]; }, [f64(shape, 5)]);
      gradcheck((a) => linalg.pinv(a!), [f64(shape, 6)]);
    }
    gradgradcheck((a) => linalg.svdvals(a!), [f64([3, 2], 7)]);
    gradgradcheck((a) => linalg.pinv(a!), [f64([2, 3], 8)]);
    // rank-deficient: the rank-preserving perturbations of a rank-1 matrix u v^T
    gradcheck((u, v) => linalg.pinv(u!.unsqueeze(-1).mul(v!.unsqueeze(-2))), [f64([3], 11), f64([2], 12)]);
    gradgradcheck((u, v) => linalg.pinv(u!.unsqueeze(-1).mul(v!.unsqueeze(-2))), [f64([3], 13), f64([2], 14)]);
    gradcheck((a) => linalg.svd(a!).U.abs(), [f64([3, 3], 9)]);
    const w = f64([2, 3], 10);
    expect(() => linalg.svd(w).U.sum().backward()).toThrow(AutogradError);
  });

  it('refuse non-matrices and unknown options', () => {
    expect(() => linalg.svd(ones([3]))).toThrow('svd: expected a batch of matrices [..., M, N], got shape [3]');
    expect(() => linalg.svd(ones([2, 2]), { driver: 'gesvd' } as never)).toThrow(ValueError);
    expect(() => linalg.pinv(ones([2, 3]), { hermitian: true })).toThrow(ShapeError);
  });
});
describe('pinverse', () => {
  it('has gradients that match finite differences, twice over', () => {
    gradcheck((a) => pinverse(a!), [f64([3, 2], 31)]);
    gradgradcheck((a) => pinverse(a!), [f64([2, 3], 32)]);
  });
});
