import { requireTensor } from './operands.js';
import { primitive } from '../autograd/primitive.js';
import { noGrad } from '../autograd/grad-mode.js';
import { isFloating, type DType } from '../dtype.js';
import { AutogradError, DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { choleskyFactor, householderQR, jacobiEigh, jacobiSVD, luDet, luFactor, luSolve } from '../kernels/js/linalg.js';
import { checkOptions, defineOptions, unsupported } from '../options.js';
import { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { matmul } from './matmul.js';
import { vecdot } from './products.js';
import { matrixNorm, vectorNorm } from './norm.js';
import { div } from './div.js';
import { where } from './where.js';

// The decompositions run in float64 through the plain-JS reference kernels of kernels/js/linalg.ts,
// one matrix of the batch at a time (not hot paths: no Backend entry). Gradients are tensor ops,
// so they differentiate again.

/** The matrices of `x [..., M, N]` as one float64 array, with the batch count. */
function matricesOf(x: Tensor): { data: Float64Array; count: number; m: number; n: number } {
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  const data = Float64Array.from(x.data as ArrayLike<number>);
  return { data, count: m * n === 0 ? x.shape.slice(0, -2).reduce((p, d) => p * d, 1) : data.length / (m * n), m, n };
}

/** A tensor of `dtype` from float64 values. */
function fromF64(values: Float64Array, shape: number[], dtype: DType): Tensor {
  return Tensor.fromData(dtype === 'float64' ? values : Float32Array.from(values), shape, dtype);
}

function requireMatrices(op: string, x: unknown, square: boolean): asserts x is Tensor {
  requireTensor(op, 'A', x);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  if (x.ndim < 2 || (square && x.shape[x.ndim - 1] !== x.shape[x.ndim - 2]))
    throw new ShapeError(`${op}: expected ${square ? 'a batch of square matrices [..., N, N]' : 'a batch of matrices [..., M, N]'}, got shape ${fmtShape(x.shape)}`);
}

/** A constant [n, n] matrix: `f(i, j)` at row i, column j. */
function constMatrix(n: number, dtype: DType, f: (i: number, j: number) => number): Tensor {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[i * n + j] = f(i, j);
  return fromF64(v, [n, n], dtype);
}

/** The identity [n, n] in `dtype`. */
const eyeOf = (n: number, dtype: DType) => constMatrix(n, dtype, (i, j) => (i === j ? 1 : 0));

// ---------------------------------------------------------------- inv, det, slogdet, solve

const invPrimitive = primitive('inv', {
  forward: (x: Tensor) => {
    const { data, count, n } = matricesOf(x);
    const out = new Float64Array(data.length);
    const eye = eyeValues(n);
    for (let b = 0; b < count; b++) {
      const f = luFactor(data.subarray(b * n * n, (b + 1) * n * n), n);
      if (f.zeroPivot >= 0) throw singular('inv', b, f.zeroPivot);
      out.set(luSolve(f, n, eye, n), b * n * n);
    }
    const res = fromF64(out, x.shape, x.dtype);
    return { out: res, saved: [res] };
  },
  // d(A^-1) = -A^-1 dA A^-1, so gA = -A^-T G A^-T.
  backward: (g, [y]) => [matmul(matmul(y!.mT, g), y!.mT).neg()],
});

function eyeValues(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

function singular(op: string, b: number, k: number): ValueError {
  return new ValueError(`${op}: the matrix at batch index ${b} is singular (U[${k},${k}] == 0)`);
}

/**
 * The inverse `A^-1` of each square matrix, by LU decomposition with partial pivoting.
 *
 * A - shape [..., N, N] (float32 or float64); returns [..., N, N].
 * Gradient: `-A^-T G A^-T`.
 *
 * @throws ValueError `inv: the matrix at batch index 0 is singular (U[1,1] == 0)`
 * @throws ShapeError `inv: expected a batch of square matrices [..., N, N], got shape [2,3]`
 * @example
 * linalg.inv(tensor([[2, 0], [0, 4]])).toArray(); // [[0.5, 0], [0, 0.25]]
 */
export function inv(A: Tensor): Tensor {
  requireMatrices('inv', A, true);
  return invPrimitive(A);
}

const detPrimitive = primitive('det', {
  forward: (x: Tensor) => {
    const { data, count, n } = matricesOf(x);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) out[b] = luDet(luFactor(data.subarray(b * n * n, (b + 1) * n * n), n), n);
    const res = fromF64(out, x.shape.slice(0, -2), x.dtype);
    return { out: res, saved: [x, res] };
  },
  // d det(A) = tr(adj(A) dA), so gA = g adj(A)^T = g det(A) A^-T when A is invertible; otherwise
  // the adjugate comes from the SVD (below).
  backward: (g, [x, d]) => {
    const scale = g.unsqueeze(-1).unsqueeze(-1);
    if (anySingular(x!)) return [adjugateT(x!).mul(scale)];
    return [inv(x!).mT.mul(scale.mul(d!.unsqueeze(-1).unsqueeze(-1)))];
  },
});

/** True if some matrix of the batch has an exactly zero pivot. */
function anySingular(x: Tensor): boolean {
  return noGrad(() => {
    const { data, count, n } = matricesOf(x);
    for (let b = 0; b < count; b++) if (luFactor(data.subarray(b * n * n, (b + 1) * n * n), n).zeroPivot >= 0) return true;
    return false;
  });
}

/**
 * adj(A)^T for any square A, through A = U diag(S) V^T: adj(A) = det(U) det(V) V adj(S) U^T with
 * adj(S) = diag(prod_{j != i} S_j) (PyTorch's route for singular matrices). det(U) det(V) = +-1
 * is locally constant, hence detached.
 */
function adjugateT(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1]!;
  const { U, S, Vh } = svd(x);
  const sgn = noGrad(() => det(U.detach()).mul(det(Vh.detach())));
  const offDiag = eyeOf(n, x.dtype).gt(0);
  const adjS = where(offDiag, 1, S.unsqueeze(-2).expand([...S.shape.slice(0, -1), n, n])).prod(-1);
  return matmul(U.mul(adjS.unsqueeze(-2)), Vh).mul(sgn.unsqueeze(-1).unsqueeze(-1));
}

/**
 * The inverse of each square matrix: PyTorch's `torch.inverse`, the same as {@link inv}.
 *
 * A - shape [..., N, N]; returns [..., N, N].
 *
 * @throws ValueError `inv: the matrix at batch index 0 is singular (U[1,1] == 0)`
 * @example
 * inverse(tensor([[2, 0], [0, 4]])).toArray(); // [[0.5, 0], [0, 0.25]]
 */
export function inverse(A: Tensor): Tensor {
  requireMatrices('inverse', A, true);
  return invPrimitive(A);
}

/**
 * The determinant of each square matrix, by LU decomposition with partial pivoting.
 *
 * A - shape [..., N, N]; returns [...]. Gradient: `g adj(A)^T`, which is `g det(A) A^-T` for an
 * invertible A and comes from the SVD for a singular one (as PyTorch).
 *
 * @throws ShapeError `det: expected a batch of square matrices [..., N, N], got shape [3]`
 * @example
 * det(tensor([[1, 2], [3, 4]])).item(); // -2
 */
export function det(A: Tensor): Tensor {
  requireMatrices('det', A, true);
  return detPrimitive(A);
}

const logabsdetPrimitive = primitive('logabsdet', {
  forward: (x: Tensor) => {
    const { data, count, n } = matricesOf(x);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) {
      const f = luFactor(data.subarray(b * n * n, (b + 1) * n * n), n);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.log(Math.abs(f.lu[k * n + k]!));
      out[b] = s;
    }
    return { out: fromF64(out, x.shape.slice(0, -2), x.dtype), saved: [x] };
  },
  // d log|det A| = tr(A^-1 dA), so gA = g A^-T.
  backward: (g, [x]) => [inv(x!).mT.mul(g.unsqueeze(-1).unsqueeze(-1))],
});

/**
 * The sign and the log of the absolute value of each determinant: `det(A) = sign * exp(logabsdet)`,
 * without overflow. A singular matrix gives sign 0 and logabsdet -inf.
 *
 * A - shape [..., N, N]; returns `{ sign, logabsdet }`, each [...]. The sign has no gradient;
 * logabsdet's is `g A^-T`.
 *
 * @throws ShapeError `slogdet: expected a batch of square matrices [..., N, N], got shape [2,3]`
 * @example
 * const { sign, logabsdet } = slogdet(tensor([[1, 2], [3, 4]]));
 * sign.item(); // -1
 * logabsdet.item(); // 0.6931472
 */
export function slogdet(A: Tensor): { sign: Tensor; logabsdet: Tensor } {
  requireMatrices('slogdet', A, true);
  const sign = noGrad(() => {
    const { data, count, n } = matricesOf(A);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) {
      const f = luFactor(data.subarray(b * n * n, (b + 1) * n * n), n);
      out[b] = Math.sign(luDet(f, n));
      if (f.zeroPivot < 0 && out[b] === 0) {
        // the product underflowed: the sign is that of P times the pivots'
        let s = f.sign;
        for (let k = 0; k < n; k++) s *= Math.sign(f.lu[k * n + k]!);
        out[b] = s;
      }
    }
    return fromF64(out, A.shape.slice(0, -2), A.dtype);
  });
  return { sign, logabsdet: logabsdetPrimitive(A) };
}

const solvePrimitive = primitive('solve', {
  forward: (a: Tensor, bm: Tensor) => {
    const { data, count, n } = matricesOf(a);
    const rhs = matricesOf(bm);
    const k = rhs.n;
    const out = new Float64Array(count * n * k);
    for (let b = 0; b < count; b++) {
      const f = luFactor(data.subarray(b * n * n, (b + 1) * n * n), n);
      if (f.zeroPivot >= 0) throw singular('solve', b, f.zeroPivot);
      out.set(luSolve(f, n, rhs.data.subarray(b * n * k, (b + 1) * n * k), k), b * n * k);
    }
    const res = fromF64(out, bm.shape, bm.dtype);
    return { out: res, saved: [a, res] };
  },
  // X = A^-1 B: gB = A^-T G (a solve with A^T), gA = -gB X^T.
  backward: (g, [a, x]) => {
    const gb = solve(a!.mT, g);
    return [matmul(gb, x!.mT).neg(), gb];
  },
});

const SOLVE = defineOptions('solve', { left: 'boolean', out: unsupported('out= is not supported') });

/**
 * The solution X of `A X = B` for each square matrix A, by LU decomposition with partial pivoting.
 *
 * A - shape [..., N, N]; B - shape [..., N, K], or [..., N] (a vector, when B has one dim fewer
 * than A or is 1-D); batch dims broadcast; returns X of B's shape (with the broadcast batch).
 * `{ left: false }` solves `X A = B` instead (B [..., K, N]).
 * Gradients: `gB = A^-T G`, `gA = -gB X^T`.
 *
 * @throws ValueError `solve: the matrix at batch index 0 is singular (U[1,1] == 0)`
 * @throws ShapeError `solve: A of shape [2,2] and B of shape [3] are not aligned (2 != 3)`
 * @example
 * linalg.solve(tensor([[2, 0], [0, 4]]), tensor([2, 2])).toArray(); // [1, 0.5]
 */
export function solve(A: Tensor, B: Tensor, opts?: { left?: boolean }): Tensor {
  const { left = true } = checkOptions(SOLVE, opts);
  requireMatrices('solve', A, true);
  if (!left) {
    if (!(B instanceof Tensor) || B.ndim < 2)
      throw new ShapeError(`solve: with left: false, B must be a batch of matrices [..., K, N], got ${B instanceof Tensor ? `shape ${fmtShape(B.shape)}` : typeof B}`);
    return solve(A.mT, B.mT).mT;
  }
  requireTensor('solve', 'B', B);
  if (!isFloating(B.dtype)) throw new DTypeError(`solve: expected a float32 or float64 B, got ${B.dtype} (shape ${fmtShape(B.shape)})`);
  if (A.dtype !== B.dtype) throw new DTypeError(`solve: A and B must have the same dtype, got ${A.dtype} and ${B.dtype}`);
  const n = A.shape[A.ndim - 1]!;
  const vector = B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.slice(0, -1).every((d, i) => d === A.shape[i]));
  const Bm = vector ? B.unsqueeze(-1) : B;
  if (Bm.ndim < 2 || Bm.shape[Bm.ndim - 2] !== n)
    throw new ShapeError(`solve: A of shape ${fmtShape(A.shape)} and B of shape ${fmtShape(B.shape)} are not aligned (${n} != ${Bm.shape[Math.max(0, Bm.ndim - 2)]})`);
  const ba = A.shape.slice(0, -2);
  const bb = Bm.shape.slice(0, -2);
  const nb = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const da = ba[i - (nb - ba.length)] ?? 1;
    const db = bb[i - (nb - bb.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new ShapeError(`solve: the batch dims of A ${fmtShape(A.shape)} and B ${fmtShape(B.shape)} do not broadcast`);
    batch.push(da === 1 ? db : da);
  }
  const a = A.expand([...batch, n, n]);
  const b = Bm.expand([...batch, n, Bm.shape[Bm.ndim - 1]!]);
  const x = solvePrimitive(a, b);
  return vector ? x.squeeze(-1) : x;
}

// ---------------------------------------------------------------- cholesky

const CHOLESKY = defineOptions('cholesky', { upper: 'boolean', out: unsupported('out= is not supported') });

const choleskyPrimitive = primitive('cholesky', {
  forward: (x: Tensor) => {
    const { data, count, n } = matricesOf(x);
    const out = new Float64Array(data.length);
    for (let b = 0; b < count; b++) {
      const l = choleskyFactor(data.subarray(b * n * n, (b + 1) * n * n), n);
      if (!(l instanceof Float64Array))
        throw new ValueError(
          `cholesky: the matrix at batch index ${b} is not positive-definite (the leading minor of order ${l.failedOrder} is not positive)`,
        );
      out.set(l, b * n * n);
    }
    const res = fromF64(out, x.shape, x.dtype);
    return { out: res, saved: [res] };
  },
  // Murray (2016), as PyTorch: Phi = tril(L^T gL) with its diagonal halved, gA = L^-T Phi L^-1,
  // symmetrised (only A's lower triangle is read, but the gradient is that of a symmetric input).
  backward: (g, [l]) => {
    const n = l!.shape[l!.ndim - 1]!;
    const mask = constMatrix(n, l!.dtype, (i, j) => (i > j ? 1 : i === j ? 0.5 : 0));
    const li = inv(l!);
    const phi = matmul(l!.mT, g).mul(mask);
    const ga = matmul(matmul(li.mT, phi), li);
    return [ga.add(ga.mT).mul(0.5)];
  },
});

/**
 * The Cholesky factor L of each symmetric positive-definite matrix: `A = L L^T`, L lower
 * triangular with a positive diagonal (`{ upper: true }` gives `U = L^T`, `A = U^T U`). Only
 * the lower triangle of A is read.
 *
 * A - shape [..., N, N]; returns [..., N, N]. Gradient by Murray's formula (symmetric).
 *
 * @throws ValueError `cholesky: the matrix at batch index 0 is not positive-definite (the leading minor of order 2 is not positive)`
 * @example
 * cholesky(tensor([[4, 2], [2, 5]])).toArray(); // [[2, 0], [1, 2]]
 */
export function cholesky(A: Tensor, opts?: { upper?: boolean }): Tensor {
  const { upper = false } = checkOptions(CHOLESKY, opts);
  requireMatrices('cholesky', A, true);
  const l = choleskyPrimitive(A);
  return upper ? l.mT : l;
}

// ---------------------------------------------------------------- qr

const QR = defineOptions('qr', { mode: "'reduced'|'complete'|'r'" });

function qrForward(x: Tensor, complete: boolean): { q: Tensor; r: Tensor } {
  const { data, count, m, n } = matricesOf(x);
  const k = Math.min(m, n);
  const kq = complete ? m : k;
  const qv = new Float64Array(count * m * kq);
  const rv = new Float64Array(count * kq * n);
  for (let b = 0; b < count; b++) {
    const f = householderQR(data.subarray(b * m * n, (b + 1) * m * n), m, n, complete);
    qv.set(f.q, b * m * kq);
    rv.set(f.r, b * kq * n);
  }
  const batch = x.shape.slice(0, -2);
  return { q: fromF64(qv, [...batch, m, kq], x.dtype), r: fromF64(rv, [...batch, kq, n], x.dtype) };
}

/**
 * For A = QR (M >= N, reduced): gA = (gQ + Q copyltu(M)) R^-T with M = R gR^T - gQ^T Q
 * (Liao et al. 2019, as PyTorch). For M < N, A = [X | Y] with X = Q R1 square and R2 = Q^T Y:
 * gY = Q gR2, and X's gradient is the square case's with gQ + Y gR2^T for gQ.
 */
function qrBackward(a: Tensor, gq: Tensor | null, gr: Tensor | null): Tensor {
  const [m, n] = a.shape.slice(-2) as [number, number];
  if (m < n) {
    const x = a.narrow(-1, 0, m);
    const y = a.narrow(-1, m, n - m);
    const { Q } = qr(x);
    const gr1 = gr ? gr.narrow(-1, 0, m) : null;
    const gr2 = gr ? gr.narrow(-1, m, n - m) : null;
    const gqx = gr2 ? (gq ? gq.add(matmul(y, gr2.mT)) : matmul(y, gr2.mT)) : gq;
    const gx = qrBackward(x, gqx, gr1);
    return cat([gx, gr2 ? matmul(Q, gr2) : y.mul(0)], -1);
  }
  const { Q, R } = qr(a);
  let M = gr ? matmul(R, gr.mT) : null;
  if (gq) M = M ? M.sub(matmul(gq.mT, Q)) : matmul(gq.mT, Q).neg();
  const lower = constMatrix(n, a.dtype, (i, j) => (i >= j ? 1 : 0));
  const strict = constMatrix(n, a.dtype, (i, j) => (i > j ? 1 : 0));
  const copyltu = M!.mul(lower).add(M!.mul(strict).mT);
  const b = matmul(Q, copyltu);
  const lhs = gq ? gq.add(b) : b;
  return matmul(lhs, inv(R).mT);
}

const qrQPrimitive = primitive('qrQ', {
  forward: (x: Tensor) => ({ out: qrForward(x, false).q, saved: [x] }),
  backward: (g, [x]) => [qrBackward(x!, g, null)],
});

const qrRPrimitive = primitive('qrR', {
  forward: (x: Tensor, complete: boolean) => ({ out: qrForward(x, complete).r, saved: [x], ctx: complete }),
  backward: (g, [x], complete) => {
    if (complete && x!.shape[x!.ndim - 2]! > x!.shape[x!.ndim - 1]!)
      throw new AutogradError(`qr: mode 'complete' has no gradient for M > N (Q is not unique), got shape ${fmtShape(x!.shape)}`);
    return [qrBackward(x!, null, g)];
  },
});

const qrCompleteQPrimitive = primitive('qrCompleteQ', {
  forward: (x: Tensor) => ({ out: qrForward(x, true).q, saved: [x] }),
  backward: (g, [x]) => {
    const [m, n] = x!.shape.slice(-2) as [number, number];
    if (m > n) throw new AutogradError(`qr: mode 'complete' has no gradient for M > N (Q is not unique), got shape ${fmtShape(x!.shape)}`);
    return [qrBackward(x!, g, null)];
  },
});

/**
 * The QR decomposition `A = Q R` of each matrix by Householder reflections (LAPACK's signs: R's
 * diagonal may be negative, as in PyTorch): Q has orthonormal columns, R is upper triangular.
 *
 * A - shape [..., M, N], K = min(M, N); mode 'reduced' (default): Q [..., M, K], R [..., K, N];
 * 'complete': Q [..., M, M], R [..., M, N]; 'r': R only (Q is an empty tensor).
 * Gradients as PyTorch's (Liao et al. 2019), which need the leading min(M, N) columns of A to
 * be independent; mode 'complete' with M > N has none (Q's extra columns are not unique: AutogradError).
 *
 * @throws ValueError `qr: mode must be one of 'reduced', 'complete', 'r', got 'full'`
 * @example
 * const { Q, R } = linalg.qr(tensor([[3, 1], [4, 2]], { dtype: 'float64' }));
 * (R.toArray() as number[][])[0]; // [-5, -2.2]
 * Q.shape; // [2, 2]
 */
export function qr(A: Tensor, opts?: { mode?: 'reduced' | 'complete' | 'r' }): { Q: Tensor; R: Tensor } {
  const { mode = 'reduced' } = checkOptions(QR, opts);
  requireMatrices('qr', A, false);
  if (mode === 'r') return { Q: fromF64(new Float64Array(0), [0], A.dtype), R: qrRPrimitive(A, false) };
  if (mode === 'complete') return { Q: qrCompleteQPrimitive(A), R: qrRPrimitive(A, true) };
  return { Q: qrQPrimitive(A), R: qrRPrimitive(A, false) };
}

// ---------------------------------------------------------------- eigh

const EIGH = defineOptions('eigh', { UPLO: "'L'|'U'" });

function eighForward(x: Tensor): { values: Tensor; vectors: Tensor } {
  const { data, count, n } = matricesOf(x);
  const w = new Float64Array(count * n);
  const v = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const e = jacobiEigh(data.subarray(b * n * n, (b + 1) * n * n), n);
    w.set(e.values, b * n);
    v.set(e.vectors, b * n * n);
  }
  return { values: fromF64(w, x.shape.slice(0, -1), x.dtype), vectors: fromF64(v, x.shape, x.dtype) };
}

/**
 * gA = V (diag(gL) + skew(V^T gV) / E) V^T with E[i,j] = L[j] - L[i] (PyTorch's rule; the
 * skew-symmetric part of V^T gV is the only one a unit-norm eigenvector's gradient sees).
 */
function eighBackward(x: Tensor, gl: Tensor | null, gv: Tensor | null): Tensor {
  const n = x.shape[x.ndim - 1]!;
  const { eigenvalues: L, eigenvectors: V } = eigh(x);
  const eye = eyeOf(n, x.dtype);
  let inner: Tensor | null = null;
  if (gv) {
    const vg = matmul(V.mT, gv);
    const skew = vg.sub(vg.mT).mul(0.5);
    const e = L.unsqueeze(-2).sub(L.unsqueeze(-1)).add(eye);
    inner = skew.div(e);
  }
  if (gl) {
    const d = gl.unsqueeze(-2).mul(eye);
    inner = inner ? inner.add(d) : d;
  }
  return matmul(matmul(V, inner!), V.mT);
}

const eigvalshPrimitive = primitive('eigvalsh', {
  forward: (x: Tensor) => ({ out: eighForward(x).values, saved: [x] }),
  backward: (g, [x]) => [eighBackward(x!, g, null)],
});

const eighVectorsPrimitive = primitive('eighVectors', {
  forward: (x: Tensor) => ({ out: eighForward(x).vectors, saved: [x] }),
  backward: (g, [x]) => [eighBackward(x!, null, g)],
});

/** A's triangle `uplo` mirrored onto the other: the symmetric matrix eigh sees. */
function symmetricFrom(A: Tensor, uplo: 'L' | 'U'): Tensor {
  return uplo === 'L' ? A : A.mT;
}

/**
 * The eigenvalues (ascending) and eigenvectors (columns, unit norm) of each symmetric matrix,
 * by cyclic Jacobi rotations; only the lower (`UPLO: 'L'`, default) or upper triangle is read.
 *
 * A - shape [..., N, N]; returns `{ eigenvalues [..., N], eigenvectors [..., N, N] }`,
 * `A = V diag(L) V^T`. Each eigenvector's sign is arbitrary (as LAPACK's). The eigenvectors'
 * gradient divides by the differences of eigenvalues: it is inf or NaN when two are equal
 * (the eigenvalues' gradient is always defined).
 *
 * @throws ShapeError `eigh: expected a batch of square matrices [..., N, N], got shape [2,3]`
 * @example
 * linalg.eigh(tensor([[2, 1], [1, 2]])).eigenvalues.toArray(); // [1, 3]
 */
export function eigh(A: Tensor, opts?: { UPLO?: 'L' | 'U' }): { eigenvalues: Tensor; eigenvectors: Tensor } {
  const { UPLO = 'L' } = checkOptions(EIGH, opts);
  requireMatrices('eigh', A, true);
  const s = symmetricFrom(A, UPLO);
  return { eigenvalues: eigvalshPrimitive(s), eigenvectors: eighVectorsPrimitive(s) };
}

/**
 * The eigenvalues (ascending) of each symmetric matrix (see {@link eigh}).
 *
 * A - shape [..., N, N]; returns [..., N].
 *
 * @throws ShapeError `eigvalsh: expected a batch of square matrices [..., N, N], got shape [3]`
 * @example
 * linalg.eigvalsh(tensor([[2, 0], [0, 1]])).toArray(); // [1, 2]
 */
export function eigvalsh(A: Tensor, opts?: { UPLO?: 'L' | 'U' }): Tensor {
  const { UPLO = 'L' } = checkOptions(EIGH, opts);
  requireMatrices('eigvalsh', A, true);
  return eigvalshPrimitive(symmetricFrom(A, UPLO));
}

// ---------------------------------------------------------------- svd, svdvals, pinv

const SVD = defineOptions('svd', { fullMatrices: 'boolean', driver: unsupported('driver is a CUDA option') });

function svdForward(x: Tensor, full: boolean): { U: Tensor; S: Tensor; Vh: Tensor } {
  const { data, count, m, n } = matricesOf(x);
  const k = Math.min(m, n);
  const ku = full ? m : k;
  const kv = full ? n : k;
  const uv = new Float64Array(count * m * ku);
  const sv = new Float64Array(count * k);
  const vhv = new Float64Array(count * kv * n);
  for (let b = 0; b < count; b++) {
    const r = jacobiSVD(data.subarray(b * m * n, (b + 1) * m * n), m, n, full);
    uv.set(r.u, b * m * ku);
    sv.set(r.s.subarray(0, k), b * k);
    // Vh = V^T, V being n x (full ? n : k) row-major
    const cols = r.v.length / Math.max(n, 1);
    for (let i = 0; i < kv; i++) for (let j = 0; j < n; j++) vhv[b * kv * n + i * n + j] = r.v[j * cols + i]!;
  }
  const batch = x.shape.slice(0, -2);
  return {
    U: fromF64(uv, [...batch, m, ku], x.dtype),
    S: fromF64(sv, [...batch, k], x.dtype),
    Vh: fromF64(vhv, [...batch, kv, n], x.dtype),
  };
}

/**
 * The gradient of the reduced SVD (PyTorch's rule): with E[i,j] = S[j]^2 - S[i]^2 and
 * skew(X) = X - X^T, the part inside the singular spaces is
 * `(skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS)`, plus the part of gU (gVh) outside U's (V's)
 * span for a tall (wide) matrix.
 */
function svdBackward(a: Tensor, gu: Tensor | null, gs: Tensor | null, gvh: Tensor | null): Tensor {
  const [m, n] = a.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const { U, S, Vh } = svd(a, { fullMatrices: false });
  const eye = eyeOf(k, a.dtype);
  const s2 = S.square();
  const e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eye);
  let ret: Tensor;
  if (gu) {
    const x = matmul(U.mT, gu);
    ret = x.sub(x.mT).div(e).mul(S.unsqueeze(-2));
  } else if (gvh) {
    const y = matmul(Vh, gvh.mT);
    ret = S.unsqueeze(-1).mul(y.sub(y.mT).div(e));
  } else {
    ret = gs!.unsqueeze(-2).mul(eye);
  }
  if (gs && (gu || gvh)) ret = ret.add(gs.unsqueeze(-2).mul(eye));
  if (m > n && gu) {
    const gusinv = gu.div(S.unsqueeze(-2));
    const ga = matmul(U, ret).add(gusinv).sub(matmul(U, matmul(U.mT, gusinv)));
    return matmul(ga, Vh);
  }
  if (m < n && gvh) {
    const sinvgvh = gvh.div(S.unsqueeze(-1));
    const ga = matmul(ret, Vh).add(sinvgvh).sub(matmul(matmul(sinvgvh, Vh.mT), Vh));
    return matmul(U, ga);
  }
  return matmul(matmul(U, ret), Vh);
}

function fullGuard(x: Tensor, full: boolean): void {
  const [m, n] = x.shape.slice(-2) as [number, number];
  if (full && m !== n)
    throw new AutogradError(
      `svd: U and Vh of fullMatrices: true have no gradient for a non-square matrix (shape ${fmtShape(x.shape)}); use { fullMatrices: false }`,
    );
}

const svdUPrimitive = primitive('svdU', {
  forward: (x: Tensor, full: boolean) => ({ out: svdForward(x, full).U, saved: [x], ctx: full }),
  backward: (g, [x], full) => (fullGuard(x!, full), [svdBackward(x!, g, null, null)]),
});

const svdSPrimitive = primitive('svdvals', {
  forward: (x: Tensor) => ({ out: svdForward(x, false).S, saved: [x] }),
  // dS = diag(U^T dA V): gA = U diag(gS) V^T
  backward: (g, [x]) => [svdBackward(x!, null, g, null)],
});

const svdVhPrimitive = primitive('svdVh', {
  forward: (x: Tensor, full: boolean) => ({ out: svdForward(x, full).Vh, saved: [x], ctx: full }),
  backward: (g, [x], full) => (fullGuard(x!, full), [svdBackward(x!, null, null, g)]),
});

/**
 * The singular value decomposition `A = U diag(S) Vh` of each matrix, by one-sided Jacobi
 * rotations: S descends, U and Vh^T have orthonormal columns, each pair of singular vectors up
 * to a common sign (as LAPACK's).
 *
 * A - shape [..., M, N], K = min(M, N); `{ fullMatrices: true }` (the default, as PyTorch):
 * U [..., M, M], S [..., K], Vh [..., N, N]; `false`: U [..., M, K], Vh [..., K, N].
 * Gradients: PyTorch's rule; the singular vectors' gradient divides by S[j]^2 - S[i]^2 (inf or
 * NaN for repeated singular values) and, for M != N, by S (needs full rank); U and Vh of a
 * non-square matrix with fullMatrices have none (AutogradError). S's gradient is always defined.
 *
 * @throws ShapeError `svd: expected a batch of matrices [..., M, N], got shape [3]`
 * @example
 * linalg.svd(tensor([[3, 0], [0, -4]])).S.toArray(); // [4, 3]
 * linalg.svd(ones([2, 3, 5]), { fullMatrices: false }).Vh.shape; // [2, 3, 5]
 */
export function svd(A: Tensor, opts?: { fullMatrices?: boolean }): { U: Tensor; S: Tensor; Vh: Tensor } {
  const { fullMatrices = true } = checkOptions(SVD, opts);
  requireMatrices('svd', A, false);
  return { U: svdUPrimitive(A, fullMatrices), S: svdSPrimitive(A), Vh: svdVhPrimitive(A, fullMatrices) };
}

/**
 * The singular values of each matrix, descending (see {@link svd}).
 *
 * A - shape [..., M, N]; returns [..., min(M, N)].
 *
 * @throws ShapeError `svdvals: expected a batch of matrices [..., M, N], got shape [3]`
 * @example
 * linalg.svdvals(tensor([[0, 2], [1, 0]])).toArray(); // [2, 1]
 */
export function svdvals(A: Tensor): Tensor {
  requireMatrices('svdvals', A, false);
  return svdSPrimitive(A);
}

const PINV = defineOptions('pinv', { rtol: 'number', atol: 'number', hermitian: 'boolean' });

/**
 * The Moore-Penrose pseudo-inverse of each matrix through its SVD: `V diag(1/S) U^T`, singular
 * values at most `max(atol, rtol * S_max)` counted as 0. The default rtol is
 * `eps * max(M, N)` (eps of the dtype) when atol is not given, else 0, as PyTorch.
 * `{ hermitian: true }` uses {@link eigh} (the lower triangle) instead.
 *
 * A - shape [..., M, N]; returns [..., N, M]. Gradient: PyTorch's (Golub & Pereyra), valid where
 * the rank does not change, also for rank-deficient A; twice differentiable.
 *
 * @throws ShapeError `pinv: expected a batch of matrices [..., M, N], got shape [3]`
 * @example
 * linalg.pinv(tensor([[1, 0], [0, 0]])).toArray(); // [[1, 0], [0, 0]]
 * linalg.pinv(tensor([[2], [0]], { dtype: 'float64' })).toArray(); // [[0.5, 0]]
 */
export function pinv(A: Tensor, opts?: { rtol?: number; atol?: number; hermitian?: boolean }): Tensor {
  const { rtol, atol, hermitian = false } = checkOptions(PINV, opts);
  requireMatrices('pinv', A, hermitian);
  const [m, n] = A.shape.slice(-2) as [number, number];
  const eps = A.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
  return pinvPrimitive(A, { rtol: rtol ?? (atol === undefined || atol <= 0 ? eps * Math.max(m, n) : 0), atol, hermitian });
}

const PINVERSE = defineOptions('pinverse', { rcond: 'number' });

/**
 * PyTorch's older `torch.pinverse`: {@link pinv} with `rtol = rcond` (default 1e-15).
 *
 * A - shape [..., M, N]; returns [..., N, M].
 *
 * @throws ShapeError `pinv: expected a batch of matrices [..., M, N], got shape [3]`
 * @example
 * pinverse(tensor([[2, 0], [0, 0]])).toArray(); // [[0.5, 0], [0, 0]]
 */
export function pinverse(A: Tensor, opts?: { rcond?: number }): Tensor {
  const { rcond = 1e-15 } = checkOptions(PINVERSE, opts);
  return pinv(A, { rtol: rcond });
}

interface PinvCtx {
  rtol: number;
  atol: number | undefined;
  hermitian: boolean;
}

const pinvPrimitive = primitive('pinv', {
  forward: (x: Tensor, o: PinvCtx) => {
    const out = pinvForward(x, o);
    return { out, saved: [x, out] };
  },
  // dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P (Golub & Pereyra, for a constant
  // rank), so gA = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A), as PyTorch.
  backward: (g, [a, p]) => {
    const pt = p!.mT;
    const x = matmul(g.mT, matmul(p!, pt));
    const y = matmul(matmul(pt, p!), g.mT);
    const t1 = matmul(matmul(pt, g), pt);
    return [x.sub(matmul(matmul(a!, p!), x)).add(y.sub(matmul(y, matmul(p!, a!)))).sub(t1)];
  },
});

/** The pseudo-inverse from the SVD (or eigh), singular values at most max(atol, rtol * S_max) dropped. */
function pinvForward(A: Tensor, { rtol, atol, hermitian }: PinvCtx): Tensor {
  const keep = (s: Tensor, smax: Tensor) => {
    const cutoff = smax.mul(rtol).unsqueeze(-1);
    return s.gt(atol === undefined ? cutoff : cutoff.clamp(atol));
  };
  if (A.numel() === 0) return A.mT.mul(0);
  if (hermitian) {
    const { eigenvalues: L, eigenvectors: V } = eigh(A);
    const big = keep(L.abs(), L.abs().amax(-1));
    const linv = where(big, div(1, where(big, L, 1)), 0);
    return matmul(V.mul(linv.unsqueeze(-2)), V.mT);
  }
  const { U, S, Vh } = svd(A, { fullMatrices: false });
  const big = keep(S, S.amax(-1));
  const sinv = where(big, div(1, where(big, S, 1)), 0);
  return matmul(Vh.mT.mul(sinv.unsqueeze(-2)), U.mT);
}

// ---------------------------------------------------------------- matrixPower

/**
 * `A^n` for each square matrix by repeated squaring; n = 0 gives the identity, n < 0 the power of
 * the inverse.
 *
 * A - shape [..., N, N]; returns [..., N, N].
 *
 * @throws ValueError `matrixPower: n must be an integer, got 0.5`
 * @example
 * matrixPower(tensor([[1, 1], [0, 1]]), 3).toArray(); // [[1, 3], [0, 1]]
 */
export function matrixPower(A: Tensor, n: number): Tensor {
  requireTensor('matrixPower', 'A', A);
  if (A.ndim < 2 || A.shape[A.ndim - 1] !== A.shape[A.ndim - 2])
    throw new ShapeError(`matrixPower: expected a batch of square matrices [..., N, N], got shape ${fmtShape(A.shape)}`);
  if (!Number.isInteger(n)) throw new ValueError(`matrixPower: n must be an integer, got ${n}`);
  if (n === 0) return eyeOf(A.shape[A.ndim - 1]!, A.dtype).expand(A.shape).clone();
  let base = n < 0 ? inv(A) : A;
  let e = Math.abs(n);
  let acc: Tensor | null = null;
  for (;;) {
    if (e & 1) acc = acc ? matmul(acc, base) : base;
    e >>>= 1;
    if (e === 0) return acc!;
    base = matmul(base, base);
  }
}

/**
 * PyTorch's `torch.linalg`: decompositions and solvers on batches of matrices `[..., N, N]`.
 *
 * Functions: {@link det}, {@link slogdet}, {@link inv}, {@link solve}, {@link cholesky},
 * {@link qr}, {@link eigh}, {@link eigvalsh}, {@link svd}, {@link svdvals}, {@link pinv},
 * {@link matrixPower}, the norms {@link vectorNorm} and {@link matrixNorm}, and the products
 * {@link vecdot}, `matmul`.
 *
 * @example
 * linalg.det(tensor([[1, 2], [3, 4]])).item(); // -2
 * linalg.inv(eye(2)).toArray(); // [[1, 0], [0, 1]]
 */
export const linalg = {
  det, slogdet, inv, solve, cholesky, qr, eigh, eigvalsh, svd, svdvals, pinv, matrixPower, matmul, vecdot, vectorNorm, matrixNorm,
};
