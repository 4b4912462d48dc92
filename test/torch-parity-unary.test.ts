/**
 * Parity with PyTorch for the element-wise unary math of issue 17: values, gradients and
 * Hessian-vector products against PyTorch 1.13 in float64, from test/fixtures/torch/core-unary.json
 * (written by scripts/torch-fixtures/core_unary.py; the inputs are stored with the outputs, so no
 * PyTorch is needed here). The shared runners are in test/torch-fixtures.ts; see
 * test/torch-parity.test.ts for the conventions (tolerances, *_LOOSE and *_KNOWN tables).
 */
import { describe, expect, it } from 'vitest';
import * as tg from '@tapegrad/core';
import { Tensor, getBackend } from '@tapegrad/core';
import { FLOAT32, checkVjp, float32Safe, itWasGeneratedBy, load, runCases, type OpFn, type Tol, type VjpCase } from './torch-fixtures.js';

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  exp2: tg.exp2, expm1: tg.expm1, log2: tg.log2, log10: tg.log10, reciprocal: tg.reciprocal, square: tg.square,
  tan: tg.tan, asin: tg.asin, acos: tg.acos, atan: tg.atan, sinh: tg.sinh, cosh: tg.cosh, asinh: tg.asinh,
  acosh: tg.acosh, atanh: tg.atanh, sinc: tg.sinc, erfc: tg.erfc, erfinv: tg.erfinv, lgamma: tg.lgamma,
  digamma: tg.digamma, floor: tg.floor, ceil: tg.ceil, trunc: tg.trunc, frac: tg.frac, round: (x) => tg.round(x),
};

const PREDICATES: Record<string, (x: Tensor) => Tensor> = {
  isnan: tg.isnan, isinf: tg.isinf, isposinf: tg.isposinf, isneginf: tg.isneginf, isfinite: tg.isfinite,
  logicalNot: tg.logicalNot,
};

const OPS: Record<string, OpFn> = {
  unary: (i, p) => UNARY[p.fn as string]!(i.x!),
  unaryT: (i, p) => UNARY[p.fn as string]!(i.x!.T),
  logit: (i, p) => tg.logit(i.x!, { eps: p.eps }),
  polygamma: (i, p) => tg.polygamma(p.n, i.x!),
  round: (i, p) => tg.round(i.x!, { decimals: p.decimals }),
  nanToNum: (i, p) => tg.nanToNum(i.x!, { nan: p.nan, posinf: p.posinf, neginf: p.neginf }),
  predicate: (i, p) => PREDICATES[p.fn as string]!(i.x!),
  // Scalar functions for the Hessian-vector products.
  unarySum: (i, p) => UNARY[p.fn as string]!(i.x!).sum(),
  logitSum: (i) => tg.logit(i.x!, { eps: 0.05 }).sum(),
  polygammaSum: (i) => tg.polygamma(2, i.x!).sum(),
};

// PyTorch's trigamma (polygamma(1, x), and so digamma's gradient) sums six terms of the
// recurrence and four of the asymptotic series: it is accurate to ~1e-8 relative, tapegrad's
// (Hurwitz zeta by Euler-Maclaurin) to a few ulps.
const TRIGAMMA: Tol = { rtol: 1e-7, atol: 1e-12 };
// Int inputs compute in float32: PyTorch in float arithmetic (lgammaf, ...), tapegrad in float64
// rounded once, so the last float32 bit may differ.
const FLOAT32_RESULT: Tol = { rtol: 2e-7, atol: 1e-7 };

const LOOSE: Record<string, Tol> = {
  // PyTorch's erfinv (a rational approximation and two Newton steps) is off by 1.6e-11 relative at
  // 0.9999999 (3.7665625815776 for mpmath's 3.7665625816385, which tapegrad gives); the gradient
  // √π/2 exp(erfinv(y)²) multiplies that by 2 erfinv(y)² = 28.
  'erfinv at NaN, infinities, signed zeros and the edges of its domain': { rtol: 1e-9, atol: 1e-12 },
  'digamma at NaN, infinities, signed zeros and the edges of its domain': TRIGAMMA,
  'digamma on random values, transposed (strided)': TRIGAMMA,
  'polygamma(n=0) including poles and negative non-integers': TRIGAMMA,
  'polygamma(n=1) including poles and negative non-integers': TRIGAMMA,
  'sum(lgamma(x))': TRIGAMMA,
  'sum(digamma(x))': TRIGAMMA,
  'exp2 on an int input': FLOAT32_RESULT,
  'log2 on an int input': FLOAT32_RESULT,
  'reciprocal on an int input': FLOAT32_RESULT,
  'lgamma on an int input': FLOAT32_RESULT,
  'digamma on an int input': FLOAT32_RESULT,
  'erfinv on an int input': FLOAT32_RESULT,
  'sinc on an int input': FLOAT32_RESULT,
};

/** Cases where tapegrad and PyTorch disagree (reported; each is expected to fail until fixed). */
const KNOWN: Record<string, string> = {};

describe('core unary math vs PyTorch', () => {
  const fixture = load<VjpCase>('core-unary');
  itWasGeneratedBy(fixture, 'scripts/torch-fixtures/core_unary.py', 100);
  runCases(fixture, OPS, LOOSE, KNOWN);
});

// ---------------------------------------------------------------- float32

describe(`core unary math in float32 on the ${getBackend()} backend vs PyTorch float64`, () => {
  const fixture = load<VjpCase>('core-unary');
  // Rounding ops jump at the half-integers that float32 rounding may cross: only the float ones.
  const cases = fixture.cases.filter((c) => float32Safe(c) && !['round'].includes(c.op) && !/^(floor|ceil|trunc|frac|round) /.test(c.name));
  it('covers a good part of the fixture', () => expect(cases.length).toBeGreaterThan(20));
  for (const c of cases) it(`${c.name} in float32 is close to PyTorch`, () => checkVjp(c, OPS, FLOAT32, 'float32'));
});
