import type { DType, TypedArray } from '../../dtype.js';
import type { BinaryOp, UnaryOp, View } from '../backend.js';
import { alloc, copyInto, dtypeOf } from './alloc.js';
import { digamma, erfc, erfinv, lgamma, polygamma, pow10, roundHalfEven, roundScaled } from './special-math.js';

// Element-wise kernels with no code generation (no `new Function`, so they run under a
// Content-Security-Policy without 'unsafe-eval'). Each op is one loop over a run of elements,
// written out with its formula: a shared loop calling the formula through a function argument
// is 2-4x slower (the call is not inlined and its result is boxed). Operands that walk their
// storage in order (or stand still: a broadcast scalar) are one run; any other layout is cut
// into runs along its innermost dim by forEachRun, after merging the dims it can.

/** `o[oi + i] = f(x[xi + i * xs], p, q)` for i < n. */
type UnaryRun = (o: TypedArray, oi: number, x: TypedArray, xi: number, xs: number, n: number, p: number, q: number) => void;
/** `o[oi + i] = f(a[ai + i * as], b[bi + i * bs])` for i < n. */
type BinaryRun = (o: TypedArray, oi: number, a: TypedArray, ai: number, as: number, b: TypedArray, bi: number, bs: number, n: number) => void;
/** `d[di + i * ds] = f(d[di + i * ds], s[si + i * ss], p)` for i < n. */
type InPlaceRun = (d: TypedArray, di: number, ds: number, s: TypedArray, si: number, ss: number, n: number, p: number) => void;

// erf in float64 to ~1e-15 (gradchecks need better than the usual 1e-7 approximations):
// the Maclaurin series for |x| < 2.5, Laplace's continued fraction for erfc beyond; NaN stays
// NaN (it fails every comparison, so it needs its own branch) and -0 stays -0, as in PyTorch.
function erf(x: number): number {
  const ax = x < 0 ? -x : x;
  if (ax < 2.5) {
    if (x === 0) return x; // keeps the sign of -0
    const x2 = x * x;
    let t = x;
    let s = x;
    let k = 0;
    let d: number;
    do {
      k++;
      t *= -x2 / k;
      d = t / (2 * k + 1);
      s += d;
    } while ((d > 1e-17 || d < -1e-17) && k < 200);
    return 1.1283791670955126 * s;
  }
  if (ax < 6) {
    let f = 0;
    for (let j = 60; j >= 1; j--) f = j / 2 / (ax + f);
    const e = Math.exp(-ax * ax) / (ax + f) / 1.7724538509055159;
    return x < 0 ? e - 1 : 1 - e;
  }
  if (x !== x) return x;
  return x < 0 ? -1 : 1;
}

// C's pow (and so PyTorch's) where JavaScript's Math.pow differs: 1 ** y is 1 for every y, NaN
// included, and (-1) ** ±Infinity is 1; Math.pow gives NaN for both.
function powC(x: number, y: number): number {
  const r = Math.pow(x, y);
  return r === r || !(x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) ? r : 1;
}

// Two branches keep exp's argument non-positive: no overflow for logits of +-1000.
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// softplus(x) = log(1 + e^(beta x)) / beta, linear once beta x > threshold (as PyTorch).
function softplus(x: number, beta: number, threshold: number): number {
  const bx = beta * x;
  return bx > threshold ? x : (Math.max(bx, 0) + Math.log1p(Math.exp(-Math.abs(bx)))) / beta;
}

const gelu = (x: number): number => 0.5 * x * (1 + erf(x * 0.7071067811865476));
const geluTanh = (x: number): number => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
// gelu's derivatives (the gradient kernels): Φ(x) + x φ(x), and for the tanh form with
// u = √(2/π) (x + 0.044715 x³): (1 + tanh u)/2 + x/2 (1 - tanh² u) √(2/π) (1 + 3 · 0.044715 x²).
// Written as PyTorch's gelu_backward, so ±Infinity gives NaN (Infinity · 0) as there.
const geluGrad = (x: number): number =>
  0.5 * (1 + erf(x * 0.7071067811865476)) + x * Math.exp(-0.5 * x * x) * 0.3989422804014327;
function geluTanhGrad(x: number): number {
  const x2 = x * x;
  const t = Math.tanh(0.7978845608028654 * (x + 0.044715 * x2 * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * 0.7978845608028654 * (1 + 0.134145 * x2);
}
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x);
// NaN on either side gives NaN, as in PyTorch.
const minimum = (a: number, b: number): number => (a !== a || b !== b ? NaN : a < b ? a : b);
const maximum = (a: number, b: number): number => (a !== a || b !== b ? NaN : a > b ? a : b);

// One loop per op (x: input, p0/p1: the op's parameters). 'copy' goes through copyInto (it
// casts to bool as non-zero).
const unaryRuns: Record<Exclude<UnaryOp, 'copy'>, UnaryRun> = {
  neg: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = -x[xi]!; },
  // Math.abs, not `v < 0 ? -v : v`: abs(-0) is +0, as in PyTorch.
  abs: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.abs(x[xi]!); },
  sign: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = sign(x[xi]!); },
  exp: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.exp(x[xi]!); },
  log: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.log(x[xi]!); },
  log1p: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.log1p(x[xi]!); },
  sqrt: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.sqrt(x[xi]!); },
  rsqrt: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = 1 / Math.sqrt(x[xi]!); },
  sin: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.sin(x[xi]!); },
  cos: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.cos(x[xi]!); },
  tanh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.tanh(x[xi]!); },
  sigmoid: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = sigmoid(x[xi]!); },
  // Written so that NaN passes through (NaN <= 0 is false), as in PyTorch.
  relu: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; o[oi] = v <= 0 ? 0 : v; } },
  // 1 where x > 0, else 0 (the derivative of relu).
  step: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = x[xi]! > 0 ? 1 : 0; },
  erf: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = erf(x[xi]!); },
  // p = negative slope
  leakyRelu: (o, oi, x, xi, xs, n, p) => { for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; o[oi] = v > 0 ? v : p * v; } },
  // p = alpha
  elu: (o, oi, x, xi, xs, n, p) => { for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; o[oi] = v > 0 ? v : p * Math.expm1(v); } },
  // p = beta, q = threshold
  softplus: (o, oi, x, xi, xs, n, p, q) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = softplus(x[xi]!, p, q); },
  gelu: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = gelu(x[xi]!); },
  geluTanh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = geluTanh(x[xi]!); },
  // min(max(x, lo), hi) with p = lo, q = hi: with lo > hi every element becomes hi, as in
  // PyTorch; NaN passes through.
  clamp: (o, oi, x, xi, xs, n, p, q) => {
    for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; const w = v < p ? p : v; o[oi] = w > q ? q : w; }
  },
  isnan: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; o[oi] = v !== v ? 1 : 0; } },
  // issue 17 unary math
  exp2: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.pow(2, x[xi]!); },
  expm1: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.expm1(x[xi]!); },
  log2: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.log2(x[xi]!); },
  log10: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.log10(x[xi]!); },
  reciprocal: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = 1 / x[xi]!; },
  tan: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.tan(x[xi]!); },
  asin: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.asin(x[xi]!); },
  acos: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.acos(x[xi]!); },
  atan: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.atan(x[xi]!); },
  sinh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.sinh(x[xi]!); },
  cosh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.cosh(x[xi]!); },
  asinh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.asinh(x[xi]!); },
  acosh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.acosh(x[xi]!); },
  atanh: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.atanh(x[xi]!); },
  // sin(πx) / (πx), 1 at 0 (as PyTorch: NaN at ±Infinity).
  sinc: (o, oi, x, xi, xs, n) => {
    for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; const p = Math.PI * v; o[oi] = v === 0 ? 1 : Math.sin(p) / p; }
  },
  // log(z / (1 - z)), z = min(max(x, p), q) as clamp (NaN passes through).
  logit: (o, oi, x, xi, xs, n, p, q) => {
    for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; const w = v < p ? p : v; const z = w > q ? q : w; o[oi] = Math.log(z / (1 - z)); }
  },
  erfc: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = erfc(x[xi]!); },
  erfinv: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = erfinv(x[xi]!); },
  lgamma: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = lgamma(x[xi]!); },
  digamma: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = digamma(x[xi]!); },
  // p = n
  polygamma: (o, oi, x, xi, xs, n, p) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = polygamma(p, x[xi]!); },
  floor: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.floor(x[xi]!); },
  ceil: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.ceil(x[xi]!); },
  trunc: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = Math.trunc(x[xi]!); },
  // p = decimals, q = 1 for float32 arithmetic; ties to even.
  round: (o, oi, x, xi, xs, n, p, q) => {
    if (p === 0) for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = roundHalfEven(x[xi]!);
    else {
      const single = q === 1;
      const t = pow10(Math.abs(p), single);
      for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = roundScaled(x[xi]!, t, p > 0, single);
    }
  },
  isinf: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; o[oi] = v === Infinity || v === -Infinity ? 1 : 0; } },
  isposinf: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = x[xi]! === Infinity ? 1 : 0; },
  isneginf: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = x[xi]! === -Infinity ? 1 : 0; },
  // v - v is 0 for finite v and NaN for NaN and ±Infinity.
  isfinite: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) { const v = x[xi]!; o[oi] = v - v === 0 ? 1 : 0; } },
  // NaN counts as true (non-zero), as in PyTorch: not !v, which is true for NaN.
  logicalNot: (o, oi, x, xi, xs, n) => { for (let e = oi + n; oi < e; oi++, xi += xs) o[oi] = x[xi]! === 0 ? 1 : 0; },
};

const binaryRuns: Record<BinaryOp, BinaryRun> = {
  add: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! + b[bi]!; },
  sub: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! - b[bi]!; },
  mul: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! * b[bi]!; },
  div: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! / b[bi]!; },
  pow: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = powC(a[ai]!, b[bi]!); },
  minimum: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = minimum(a[ai]!, b[bi]!); },
  maximum: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = maximum(a[ai]!, b[bi]!); },
  eq: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! === b[bi]! ? 1 : 0; },
  ne: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! !== b[bi]! ? 1 : 0; },
  lt: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! < b[bi]! ? 1 : 0; },
  le: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! <= b[bi]! ? 1 : 0; },
  gt: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! > b[bi]! ? 1 : 0; },
  ge: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! >= b[bi]! ? 1 : 0; },
  and: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! && b[bi]! ? 1 : 0; },
  or: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! || b[bi]! ? 1 : 0; },
  // relu's gradient: a where b > 0, else 0 (b is relu's output).
  reluBackward: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = b[bi]! > 0 ? a[ai]! : 0; },
  sigmoidBackward: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! * b[bi]! * (1 - b[bi]!); },
  tanhBackward: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! * (1 - b[bi]! * b[bi]!); },
  geluGrad: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! * geluGrad(b[bi]!); },
  geluTanhGrad: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! * geluTanhGrad(b[bi]!); },
  // issue 17 binary math (the formulas of PyTorch's CPU kernels; helpers below the table)
  atan2: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = Math.atan2(a[ai]!, b[bi]!); },
  hypot: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = Math.hypot(a[ai]!, b[bi]!); },
  logaddexp: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = logaddexp(a[ai]!, b[bi]!); },
  logaddexp2: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = logaddexp2(a[ai]!, b[bi]!); },
  copysign: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = copysign(a[ai]!, b[bi]!); },
  // A NaN y wins over x == 0: xlogy(0, NaN) is NaN.
  xlogy: (o, oi, a, ai, as, b, bi, bs, n) => {
    for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[oi] = y !== y ? NaN : x === 0 ? 0 : x * Math.log(y); }
  },
  // Ties (0 and -0 included) give a, as C's fmax on x86 and PyTorch.
  fmax: (o, oi, a, ai, as, b, bi, bs, n) => {
    for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[oi] = y !== y || x >= y ? x : y; }
  },
  fmin: (o, oi, a, ai, as, b, bi, bs, n) => {
    for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[oi] = y !== y || x <= y ? x : y; }
  },
  // JavaScript's % is C's fmod, exact for floats and for int32 values held as doubles.
  remainder: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = remainder(a[ai]!, b[bi]!); },
  fmod: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! % b[bi]!; },
  divFloor: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = divFloor(a[ai]!, b[bi]!); },
  // A float32 quotient is rounded to float32 before truncation, as PyTorch computes it (1 / fl(1/3) is 3).
  divTrunc: (o, oi, a, ai, as, b, bi, bs, n) => {
    if (o instanceof Float32Array) for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = Math.trunc(Math.fround(a[ai]! / b[bi]!));
    else for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = Math.trunc(a[ai]! / b[bi]!);
  },
  // NaN fails both comparisons: heaviside(NaN) is 0, as PyTorch's kernel.
  heaviside: (o, oi, a, ai, as, b, bi, bs, n) => {
    for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) { const x = a[ai]!; o[oi] = x === 0 ? b[bi]! : x > 0 ? 1 : 0; }
  },
  bitwiseAnd: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! & b[bi]!; },
  bitwiseOr: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! | b[bi]!; },
  bitwiseXor: (o, oi, a, ai, as, b, bi, bs, n) => { for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) o[oi] = a[ai]! ^ b[bi]!; },
  // JavaScript takes shift counts mod 32; PyTorch defines counts outside the width instead.
  leftShift: (o, oi, a, ai, as, b, bi, bs, n) => {
    for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) { const s = b[bi]!; o[oi] = s < 0 || s > 31 ? 0 : a[ai]! << s; }
  },
  rightShift: (o, oi, a, ai, as, b, bi, bs, n) => {
    for (let e = oi + n; oi < e; oi++, ai += as, bi += bs) { const s = b[bi]!; o[oi] = a[ai]! >> (s < 0 || s > 31 ? 31 : s); }
  },
};

// issue 17 binary math: the scalar helpers of the table above (hoisted function declarations).

// log(e^a + e^b) = max + log1p(e^-|a - b|); equal infinities return themselves (inf - inf is NaN).
function logaddexp(a: number, b: number): number {
  if (a === b && (a === Infinity || a === -Infinity)) return a;
  const m = a < b ? b : a;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

function logaddexp2(a: number, b: number): number {
  if (a === b && (a === Infinity || a === -Infinity)) return a;
  const m = a < b ? b : a;
  return m + Math.log1p(Math.pow(2, -Math.abs(a - b))) * 1.4426950408889634; // 1 / ln 2
}

// |a| with the sign bit of b (-0 counts as negative; a NaN b as positive).
function copysign(a: number, b: number): number {
  const m = a < 0 || Object.is(a, -0) ? -a : a;
  return b < 0 || Object.is(b, -0) ? -m : m;
}

// Python's a % b: fmod, moved into b's sign when the signs differ (so -0 stays -0, as PyTorch).
function remainder(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && b < 0 !== m < 0 ? m + b : m;
}

// Python's floor division (PyTorch's div_floor): exact where floor(a / b) would round wrongly
// (a / b rounding up to an integer); division by zero gives the IEEE a / b.
function divFloor(a: number, b: number): number {
  if (b === 0) return a / b;
  const m = a % b;
  let d = (a - m) / b;
  if (m !== 0 && b < 0 !== m < 0) d -= 1;
  if (d === 0) return copysign(0, a / b);
  let f = Math.floor(d);
  if (d - f > 0.5) f += 1;
  return f;
}

// dst = f(dst, src) with p = alpha (add, sub); NaN on either side of maximum gives NaN.
const inPlaceRuns = {
  add: ((d, di, ds, s, si, ss, n, p) => { for (let i = 0; i < n; i++, di += ds, si += ss) d[di] = d[di]! + p * s[si]!; }) as InPlaceRun,
  sub: ((d, di, ds, s, si, ss, n, p) => { for (let i = 0; i < n; i++, di += ds, si += ss) d[di] = d[di]! - p * s[si]!; }) as InPlaceRun,
  mul: ((d, di, ds, s, si, ss, n) => { for (let i = 0; i < n; i++, di += ds, si += ss) d[di] = d[di]! * s[si]!; }) as InPlaceRun,
  div: ((d, di, ds, s, si, ss, n) => { for (let i = 0; i < n; i++, di += ds, si += ss) d[di] = d[di]! / s[si]!; }) as InPlaceRun,
  maximum: ((d, di, ds, s, si, ss, n) => { for (let i = 0; i < n; i++, di += ds, si += ss) d[di] = maximum(d[di]!, s[si]!); }) as InPlaceRun,
};

/**
 * The step of `v` if it walks its storage row-major from its offset (1) or every element is the
 * same one (0); else -1. Either way one run covers it.
 */
function flatStep(v: View): number {
  const shape = v.shape;
  const stride = v.stride;
  let expected = 1;
  let dense = true;
  let still = true;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 1) continue;
    if (stride[i] !== expected) dense = false;
    if (stride[i] !== 0) still = false;
    expected *= d;
  }
  return dense ? 1 : still ? 0 : -1;
}

/** Called per run of `n` elements: operand k starts at `at[k]` and moves by `step[k]`. */
type Visit = (at: readonly number[], n: number, step: readonly number[]) => void;

/**
 * Cuts the common index space of `views` (all of one shape) into runs along the innermost dim
 * and calls `visit` for each, by an odometer over the outer dims. Dims of size 1 are dropped
 * and neighbouring dims that every operand walks as one are merged first, so a [64, 32, 32]
 * slice of contiguous rows is 64 runs of 1024, not 2048 of 32.
 */
function forEachRun(views: readonly View[], visit: Visit): void {
  const shape = views[0]!.shape;
  const k = views.length;
  const dims: number[] = [];
  const strides: number[][] = views.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const len = shape[d]!;
    if (len === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    for (let j = 0; j < k && merge; j++) merge = strides[j]![last] === views[j]!.stride[d]! * len;
    if (merge) {
      dims[last]! *= len;
      for (let j = 0; j < k; j++) strides[j]![last] = views[j]!.stride[d]!;
    } else {
      dims.push(len);
      for (let j = 0; j < k; j++) strides[j]!.push(views[j]!.stride[d]!);
    }
  }
  const at = views.map((v) => v.offset);
  const r = dims.length;
  if (r === 0) return visit(at, 1, at.map(() => 0));
  const n = dims[r - 1]!;
  const step = strides.map((s) => s[r - 1]!);
  const idx = new Array<number>(r).fill(0);
  for (;;) {
    visit(at, n, step);
    let d = r - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) at[j]! += strides[j]![d]!;
      if (idx[d]! < dims[d]!) break;
      for (let j = 0; j < k; j++) at[j]! -= strides[j]![d]! * dims[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** `out = f(x)` elementwise. */
export function unary(op: UnaryOp, x: View, outDtype: DType, p0 = 0, p1 = 0): View {
  const out = alloc(outDtype, x.shape);
  if (out.size === 0) return out;
  if (op === 'copy') {
    copyInto(out, x);
    return out;
  }
  const run = unaryRuns[op];
  const o = out.data;
  const xd = x.data;
  const sx = flatStep(x);
  if (sx >= 0) run(o, 0, xd, x.offset, sx, out.size, p0, p1);
  else forEachRun([out, x], (at, n, step) => run(o, at[0]!, xd, at[1]!, step[1]!, n, p0, p1));
  return out;
}

/** `out = f(a, b)` with a and b already broadcast to the output's shape. */
export function binary(op: BinaryOp, a: View, b: View, outDtype: DType): View {
  const out = alloc(outDtype, a.shape);
  if (out.size === 0) return out;
  const run = binaryRuns[op];
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  const sa = flatStep(a);
  const sb = sa >= 0 ? flatStep(b) : -1;
  if (sb >= 0) run(o, 0, ad, a.offset, sa, bd, b.offset, sb, out.size);
  else forEachRun([out, a, b], (at, n, step) => run(o, at[0]!, ad, at[1]!, step[1]!, bd, at[2]!, step[2]!, n));
  return out;
}

/** `o[oi + i] = c[ci + i * cs] ? a[ai + i * as] : b[bi + i * bs]` for i < n. */
function whereRun(
  o: TypedArray, oi: number, c: TypedArray, ci: number, cs: number,
  a: TypedArray, ai: number, as: number, b: TypedArray, bi: number, bs: number, n: number,
): void {
  for (let e = oi + n; oi < e; oi++, ci += cs, ai += as, bi += bs) o[oi] = c[ci] ? a[ai]! : b[bi]!;
}

/** `out = cond ? a : b`. */
export function where(cond: View, a: View, b: View, outDtype: DType): View {
  const out = alloc(outDtype, cond.shape);
  if (out.size === 0) return out;
  const [o, cd, ad, bd] = [out.data, cond.data, a.data, b.data];
  const sc = flatStep(cond);
  const sa = sc >= 0 ? flatStep(a) : -1;
  const sb = sa >= 0 ? flatStep(b) : -1;
  if (sb >= 0) whereRun(o, 0, cd, cond.offset, sc, ad, a.offset, sa, bd, b.offset, sb, out.size);
  else forEachRun([out, cond, a, b], (at, n, s) => whereRun(o, at[0]!, cd, at[1]!, s[1]!, ad, at[2]!, s[2]!, bd, at[3]!, s[3]!, n));
  return out;
}

/** `dst = src` elementwise, in place (casting; bool gets 0/1). */
export function assign(dst: View, src: View): void {
  copyInto(dst, src);
}

/** `dst = f(dst, src)` in place. */
export function binaryInPlace(op: keyof typeof inPlaceRuns, dst: View, src: View, alpha: number): void {
  if (dst.size === 0) return;
  const run = inPlaceRuns[op];
  const dd = dst.data;
  const sd = src.data;
  const sdst = flatStep(dst);
  const ssrc = sdst === 1 ? flatStep(src) : -1;
  if (ssrc >= 0) run(dd, dst.offset, 1, sd, src.offset, ssrc, dst.size, alpha);
  else forEachRun([dst, src], (at, n, step) => run(dd, at[0]!, step[0]!, sd, at[1]!, step[1]!, n, alpha));
}

/** `out = f(x)` into an existing view: the result computed aside, then copied (an operand may be `out` itself). */
export function unaryInto(op: UnaryOp, x: View, out: View, p0 = 0, p1 = 0): void {
  if (out.size === 0) return;
  copyInto(out, unary(op, x, dtypeOf(out), p0, p1));
}

/** `out = f(a, b)` into an existing view, like {@link unaryInto}. */
export function binaryInto(op: BinaryOp, a: View, b: View, out: View): void {
  if (out.size === 0) return;
  copyInto(out, binary(op, a, b, dtypeOf(out)));
}

/** Fills `dst` with `value`. */
export function fill(dst: View, value: number): void {
  if (dst.size === 0) return;
  const d = dst.data;
  if (flatStep(dst) === 1) d.fill(value, dst.offset, dst.offset + dst.size);
  else forEachRun([dst], (at, n, step) => { for (let i = 0, p = at[0]!; i < n; i++, p += step[0]!) d[p] = value; });
}
