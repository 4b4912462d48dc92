/**
 * Parity with PyTorch for matrix products, einsum, cdist and the linalg namespace: forward values,
 * gradients and Hessian-vector products against PyTorch 1.13 in float64, from
 * test/fixtures/torch/core-linalg.json (written by scripts/torch-fixtures/core_linalg.py; see
 * test/torch-parity.test.ts for the fixture format and the tolerances). Inputs named with a
 * trailing T are transposed (strided views) by the op here as in the generator.
 */
import { describe, it } from 'vitest';
import * as tg from '@tapegrad/core';
import type { Tensor } from '@tapegrad/core';
import { checkVjp, itWasGeneratedBy, load, runCases, type Inputs, type OpFn, type Tol, type VjpCase } from './torch-fixtures.js';

/** The operands in name order; names ending in T are transposed. */
const operands = (i: Inputs): Tensor[] =>
  Object.keys(i).sort().map((k) => (k.endsWith('T') ? i[k]!.mT : i[k]!));
const first = (i: Inputs) => operands(i)[0]!;
const addOpts = (p: Record<string, number>) => ({ beta: p.beta, alpha: p.alpha });
const sym = (a: Tensor) => a.add(a.mT);

const OPS: Record<string, OpFn> = {
  einsum: (i, p) => tg.einsum(p.eq, ...operands(i)),
  inner: (i) => tg.inner(i.a!, i.b!),
  ger: (i) => tg.ger(i.a!, i.b!),
  mv: (i) => tg.mv(i.a!, i.b!),
  vdot: (i) => tg.vdot(i.a!, i.b!),
  addmm: (i, p) => tg.addmm(i.c!, i.a ?? i.aT!.mT, i.b!, addOpts(p)),
  addmv: (i, p) => tg.addmv(i.c!, i.a!, i.b!, addOpts(p)),
  addr: (i, p) => tg.addr(i.c!, i.a!, i.b!, addOpts(p)),
  baddbmm: (i, p) => tg.baddbmm(i.c!, i.a!, i.b!, addOpts(p)),
  addbmm: (i, p) => tg.addbmm(i.c!, i.a!, i.b!, addOpts(p)),
  tensordot: (i, p) => tg.tensordot(i.a!, i.b!, p.dims),
  kron: (i) => tg.kron(i.a!, i.b!),
  vecdot: (i, p) => tg.vecdot(i.a!, i.b!, { dim: p.dim }),
  cdist: (i, p) => tg.cdist(i.a!, i.b!, { p: p.p === 'inf' ? Infinity : p.p }),
  det: (i) => tg.linalg.det(first(i)),
  slogdet: (i) => { const { sign, logabsdet } = tg.linalg.slogdet(i.a!); return [sign, logabsdet]; },
  inv: (i) => tg.linalg.inv(first(i)),
  solve: (i, p) => tg.linalg.solve(i.a!, i.b!, { left: p.left }),
  cholesky: (i, p) => tg.linalg.cholesky(i.a!, { upper: p.upper }),
  qr: (i, p) => { const { Q, R } = tg.linalg.qr(i.a!, { mode: p.mode }); return [Q, R]; },
  qrR: (i) => tg.linalg.qr(i.a!, { mode: 'r' }).R,
  eigh: (i, p) => {
    const a = p.UPLO === 'L' ? sym(i.a!) : i.a!;
    const { eigenvalues, eigenvectors } = tg.linalg.eigh(a, { UPLO: p.UPLO });
    return [eigenvalues, eigenvectors.abs()];
  },
  eigvalsh: (i) => tg.linalg.eigvalsh(i.a!),
  matrixPower: (i, p) => tg.linalg.matrixPower(i.a!, p.n),
  svd: (i, p) => { const { U, S, Vh } = tg.linalg.svd(i.a!, { fullMatrices: p.fullMatrices }); return [U.abs(), S, Vh.abs()]; },
  svdvals: (i) => tg.linalg.svdvals(first(i)),
  pinv: (i, p) => (p.hermitian ? tg.linalg.pinv(sym(i.a!), { hermitian: true }) : tg.linalg.pinv(i.a!)),
  svdvalsW: (i) => tg.linalg.svdvals(i.a!).pow(2).mul(tg.tensor([1, 2], { dtype: 'float64' })).sum(),
  // scalar functions for the Hessian-vector products
  einsumSq: (i) => tg.einsum('bij,bjk->bik', i.a!, i.b!).pow(2).sum(),
  detFn: (i) => tg.linalg.det(i.a!),
  invSq: (i) => tg.linalg.inv(i.a!).pow(2).sum(),
  choleskySq: (i) => tg.linalg.cholesky(i.a!).pow(2).sum(),
  eigvalshCube: (i) => tg.linalg.eigvalsh(sym(i.a!)).pow(3).sum(),
  pinvSq: (i) => tg.linalg.pinv(i.a!).pow(2).sum(),
  solveSq: (i) => tg.linalg.solve(i.a!, i.b!).pow(2).sum(),
};

/** Ops whose algorithm legitimately differs from PyTorch's (none so far: Jacobi eigh and the QR signs agree at TIGHT). */
const LOOSE: Record<string, Tol> = {};

/** Cases where tapegrad and PyTorch disagree (expected to fail until fixed). */
const KNOWN: Record<string, string> = {};

describe('matrix products, einsum and linalg vs PyTorch', () => {
  const fixture = load<VjpCase>('core-linalg');
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/core_linalg.py', 50);
  runCases(fixture, OPS, LOOSE, KNOWN);
});

// Float32 inputs against the float64 reference at float32 accuracy (the decompositions compute in
// float64 and round the result; products run the default backend's float32 kernels).
describe('matrix products, einsum and linalg in float32 vs PyTorch float64', () => {
  const fixture = load<VjpCase>('core-linalg');
  const finite = (c: VjpCase) => !/"-?(nan|inf)"/.test(JSON.stringify(c.inputs));
  for (const c of fixture.cases.filter((c) => c.kind === 'vjp' && finite(c)))
    it(`${c.name} in float32 is close to PyTorch`, () => checkVjp(c, OPS, { rtol: 1e-3, atol: 1e-3 }, 'float32'));
});
