/**
 * Parity with PyTorch for the scans and sorting ops (issue 17): cumsum, cumprod, logcumsumexp,
 * cummax, cummin, sort, argsort, topk, kthvalue, median, nanmedian, mode, quantile, nanquantile,
 * nansum, nanmean, varMean, stdMean, aminmax, countNonzero, norm, linalg.vectorNorm / matrixNorm,
 * unique, bincount, histc.
 * Values, indices, gradients and a few Hessian-vector products against PyTorch 1.13 in float64,
 * from test/fixtures/torch/core-scans.json (written by scripts/torch-fixtures/core_scans.py; see
 * test/torch-fixtures.ts for the format and the runners). Params with `transpose` run the op on
 * the transposed input (a strided view).
 */
import { describe, it } from 'vitest';
import * as tg from '@tapegrad/core';
import { Tensor } from '@tapegrad/core';
import { checkVjp, itWasGeneratedBy, load, runCases, type OpFn, type Params, type Tol, type VjpCase } from './torch-fixtures.js';

const view = (x: Tensor, p: Params) => (p.transpose ? x.T : x);
/** An ord param: 'inf' / '-inf' strings (JSON has no infinities) back to numbers. */
const ord = (v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number | 'fro'));
const qOf = (p: Params) => tg.tensor(p.q as number[], { dtype: 'float64' });

const OPS: Record<string, OpFn> = {
  cumsum: (i, p) => tg.cumsum(view(i.x!, p), p.dim),
  cumprod: (i, p) => tg.cumprod(view(i.x!, p), p.dim),
  logcumsumexp: (i, p) => tg.logcumsumexp(view(i.x!, p), p.dim),
  cummax: (i, p) => tg.cummax(view(i.x!, p), p.dim),
  cummin: (i, p) => tg.cummin(view(i.x!, p), p.dim),
  sort: (i, p) => tg.sort(view(i.x!, p), p.dim, { descending: p.descending }),
  argsort: (i, p) => tg.argsort(i.x!, p.dim, { descending: true }),
  topk: (i, p) => tg.topk(i.x!, p.k, p.dim, { largest: p.largest }),
  kthvalue: (i, p) => tg.kthvalue(i.x!, p.k, p.dim, { keepdim: true }),
  medianAll: (i) => tg.median(i.x!),
  median: (i, p) => tg.median(i.x!, p.dim),
  nanmedian: (i, p) => tg.nanmedian(i.x!, p.dim),
  nanmedianAll: (i) => tg.nanmedian(i.x!),
  mode: (i, p) => tg.mode(i.x!, p.dim),
  quantile: (i, p) => tg.quantile(i.x!, qOf(p), p.dim, { interpolation: p.how }),
  quantileAll: (i, p) => tg.quantile(i.x!, p.q, undefined, { keepdim: true }),
  nanquantile: (i, p) => tg.nanquantile(i.x!, qOf(p), p.dim),
  nansum: (i, p) => tg.nansum(i.x!, p.dim),
  nansumAll: (i) => tg.nansum(i.x!),
  nanmean: (i, p) => tg.nanmean(i.x!, p.dim, { keepdim: true }),
  varMean: (i, p) => tg.varMean(i.x!, p.dim),
  stdMean: (i, p) => tg.stdMean(i.x!, p.dim, { correction: 0 }),
  aminmax: (i, p) => {
    const r = tg.aminmax(i.x!, { dim: p.dim });
    return [r.min, r.max];
  },
  countNonzero: (i, p) => tg.countNonzero(i.x!, p.dim),
  vectorNorm: (i, p) => tg.linalg.vectorNorm(i.x!, { ord: ord(p.ord) as number, dim: p.dim ?? undefined, keepdim: p.keepdim }),
  matrixNorm: (i, p) => tg.linalg.matrixNorm(i.x!, { ord: ord(p.ord), dim: p.dim, keepdim: p.keepdim }),
  norm: (i, p) => tg.norm(view(i.x!, p), p.p, p.dim ?? undefined),
  unique: (i) => {
    const r = tg.unique(i.x!, { returnInverse: true, returnCounts: true });
    return [r.values, r.inverse!, r.counts!];
  },
  bincount: (i, p) => tg.bincount(i.x!, { weights: i.w, minlength: p.minlength }),
  histc: (i, p) => tg.histc(i.x!, { bins: p.bins, min: p.min, max: p.max }),
  // Scalar functions for the Hessian-vector products.
  vectorNormSq: (i) => tg.linalg.vectorNorm(i.x!, { ord: 3, dim: 1 }).pow(2).sum(),
  froNorm: (i) => tg.linalg.matrixNorm(i.x!),
  cumprodSq: (i) => tg.cumprod(i.x!, 1).pow(2).sum(),
  lcseSq: (i) => tg.logcumsumexp(i.x!, 1).pow(2).sum(),
  cumsumTanh: (i) => tg.cumsum(i.x!, 0).tanh().sum(),
  sortSq: (i) => tg.sort(i.x!, 1).values.mul(tg.arange(4, { dtype: 'float64' })).pow(2).sum(),
  quantileSq: (i) => tg.quantile(i.x!, 0.3, 1).pow(2).sum(),
};

/** Cases whose algorithm legitimately differs from PyTorch's. */
const LOOSE: Record<string, Tol> = {};
/** float32 tolerances where the float64 reference is far from float32's rounding. */
const LOOSE_F32: Record<string, Tol> = {};
/** Disagreements with PyTorch (none). */
const KNOWN: Record<string, string> = {};

describe('scans and sorting vs PyTorch', () => {
  const fixture = load<VjpCase>('core-scans');
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/core_scans.py');
  runCases(fixture, OPS, LOOSE, KNOWN);
});

describe('scans and sorting in float32 vs PyTorch float64', () => {
  const fixture = load<VjpCase>('core-scans');
  const F32: Tol = { rtol: 2e-4, atol: 2e-5 };
  for (const c of fixture.cases.filter((k) => k.kind === 'vjp'))
    it(`${c.name} matches PyTorch in float32`, () => checkVjp(c, OPS, LOOSE_F32[c.name] ?? F32, 'float32'));
});
