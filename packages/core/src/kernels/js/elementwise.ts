import compile from 'cwise-compiler';
import type { DType, TypedArray } from '../../dtype.js';
import type { BinaryOp, UnaryOp, View } from '../backend.js';
import { alloc, copyInto, dtypeOf } from './alloc.js';

// Element-wise kernels are compiled once per op by cwise-compiler (the engine behind
// ndarray-ops): it generates a loop specialised to the op, the dims and the memory order, so
// strided and broadcast (stride 0) views run without copies.

type Kernel = (...args: unknown[]) => void;

// For small tensors the per-call set-up of a cwise kernel (a type-signature string, shape
// checks) costs more than its loop: ~0.2 us of a 0.5 us add of 8 elements. Operands that walk
// their storage in row-major order from an offset (step 1), or stand still (step 0, a broadcast
// scalar), run through a plain loop over the same body instead. It takes every dtype, so V8
// compiles it polymorphic, slower than cwise's per-dtype loops on large arrays: hence the limit.
const FLAT_MAX = 4096;

/** `out[i] = body(a[ao + i*as], b[bo + i*bs], c[co + i*cs], p, q)` for i < n; out is dense. */
type FlatKernel = (o: TypedArray, n: number, ...rest: unknown[]) => void;

function makeFlat(inputs: number, body: string): FlatKernel {
  const names = ['a', 'b', 'c'].slice(0, inputs);
  const params = ['_O', '_n', ...names.flatMap((x) => [`_${x.toUpperCase()}`, `_${x}o`, `_${x}s`]), '_p', '_q'];
  const loads = names.map((x) => `var _${x} = _${x.toUpperCase()}[_${x}o + _i * _${x}s];`).join(' ');
  return new Function(...params, `'use strict'; for (var _i = 0; _i < _n; _i++) { ${loads} var _o; ${body}; _O[_i] = _o; }`) as FlatKernel;
}

/** 1 if `v` walks its storage row-major from its offset, 0 if every element is the same one, else -1. */
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

/** Compiles `body` over arrays `_o, _a, _b, _c` and scalars `_p, _q` (in that order of use). */
function makeKernel(arrays: number, scalars: number, body: string, name: string): Kernel {
  const names = ['_o', '_a', '_b', '_c'].slice(0, arrays);
  const scalarNames = ['_p', '_q'].slice(0, scalars);
  const args = [
    ...names.map((n, i) => ({ name: n, lvalue: i === 0, rvalue: i !== 0, count: 2 })),
    ...scalarNames.map((n) => ({ name: n, lvalue: false, rvalue: true, count: 1 })),
  ];
  const empty = { args: [], body: '', thisVars: [], localVars: [] };
  return compile({
    args: [...names.map(() => 'array' as const), ...scalarNames.map(() => 'scalar' as const)],
    pre: empty,
    body: { args, body, thisVars: [], localVars: [] },
    post: empty,
    funcName: name,
  });
}

// erf in float64 to ~1e-15 (gradchecks need better than the usual 1e-7 approximations):
// the Maclaurin series for |x| < 2.5, Laplace's continued fraction for erfc beyond; NaN stays
// NaN (it fails every comparison, so it needs its own branch) and -0 stays -0, as in PyTorch.
// Locals start with '$' so cwise's renaming of '_a', '_o' cannot touch them.
const erfOf = (src: string): string => `
  var $x = ${src}; var $ax = $x < 0 ? -$x : $x; var $r;
  if ($ax < 2.5) {
    var $t = $x, $s = $x, $x2 = $x * $x, $k = 0, $d;
    do { $k++; $t *= -$x2 / $k; $d = $t / (2 * $k + 1); $s += $d; } while (($d > 1e-17 || $d < -1e-17) && $k < 200);
    $r = $x === 0 ? $x : 1.1283791670955126 * $s; // keeps the sign of -0
  } else if ($ax < 6) {
    var $f = 0;
    for (var $j = 60; $j >= 1; $j--) $f = ($j / 2) / ($ax + $f);
    var $e = Math.exp(-$ax * $ax) / ($ax + $f) / 1.7724538509055159;
    $r = $x < 0 ? $e - 1 : 1 - $e;
  } else if ($x !== $x) { $r = $x; } else { $r = $x < 0 ? -1 : 1; }`;

const unaryBodies: Record<UnaryOp, { body: string; scalars: number }> = {
  copy: { body: '_o = _a', scalars: 0 },
  neg: { body: '_o = -_a', scalars: 0 },
  abs: { body: '_o = _a < 0 ? -_a : _a', scalars: 0 },
  sign: { body: '_o = _a > 0 ? 1 : (_a < 0 ? -1 : (_a === 0 ? 0 : _a))', scalars: 0 },
  exp: { body: '_o = Math.exp(_a)', scalars: 0 },
  log: { body: '_o = Math.log(_a)', scalars: 0 },
  log1p: { body: '_o = Math.log1p(_a)', scalars: 0 },
  sqrt: { body: '_o = Math.sqrt(_a)', scalars: 0 },
  rsqrt: { body: '_o = 1 / Math.sqrt(_a)', scalars: 0 },
  sin: { body: '_o = Math.sin(_a)', scalars: 0 },
  cos: { body: '_o = Math.cos(_a)', scalars: 0 },
  tanh: { body: '_o = Math.tanh(_a)', scalars: 0 },
  // Two branches keep exp's argument non-positive: no overflow for logits of +-1000.
  sigmoid: { body: 'if (_a >= 0) { _o = 1 / (1 + Math.exp(-_a)); } else { var $ez = Math.exp(_a); _o = $ez / (1 + $ez); }', scalars: 0 },
  // Written so that NaN passes through (NaN <= 0 is false), as in PyTorch.
  relu: { body: '_o = _a <= 0 ? 0 : _a', scalars: 0 },
  step: { body: '_o = _a > 0 ? 1 : 0', scalars: 0 },
  erf: { body: erfOf('_a') + '_o = $r;', scalars: 0 },
  leakyRelu: { body: '_o = _a > 0 ? _a : _p * _a', scalars: 1 },
  elu: { body: '_o = _a > 0 ? _a : _p * Math.expm1(_a)', scalars: 1 },
  // softplus(x) = log(1 + e^(beta x)) / beta, linear once beta x > threshold (as PyTorch).
  softplus: {
    body: 'var $bx = _p * _a; if ($bx > _q) { _o = _a; } else { _o = (Math.max($bx, 0) + Math.log1p(Math.exp(-Math.abs($bx)))) / _p; }',
    scalars: 2,
  },
  gelu: { body: erfOf('_a * 0.7071067811865476') + '_o = 0.5 * _a * (1 + $r);', scalars: 0 },
  geluTanh: { body: 'var $u = 0.7978845608028654 * (_a + 0.044715 * _a * _a * _a); _o = 0.5 * _a * (1 + Math.tanh($u))', scalars: 0 },
  // min(max(x, lo), hi): with lo > hi every element becomes hi, as in PyTorch; NaN passes through.
  clamp: { body: 'var $v = _a < _p ? _p : _a; _o = $v > _q ? _q : $v', scalars: 2 },
  isnan: { body: '_o = _a !== _a ? 1 : 0', scalars: 0 },
};

const binaryBodies: Record<BinaryOp, string> = {
  add: '_o = _a + _b',
  sub: '_o = _a - _b',
  mul: '_o = _a * _b',
  div: '_o = _a / _b',
  pow: '_o = Math.pow(_a, _b)',
  minimum: '_o = (_a !== _a || _b !== _b) ? NaN : (_a < _b ? _a : _b)',
  maximum: '_o = (_a !== _a || _b !== _b) ? NaN : (_a > _b ? _a : _b)',
  eq: '_o = _a === _b ? 1 : 0',
  ne: '_o = _a !== _b ? 1 : 0',
  lt: '_o = _a < _b ? 1 : 0',
  le: '_o = _a <= _b ? 1 : 0',
  gt: '_o = _a > _b ? 1 : 0',
  ge: '_o = _a >= _b ? 1 : 0',
  and: '_o = (_a && _b) ? 1 : 0',
  or: '_o = (_a || _b) ? 1 : 0',
  reluBackward: '_o = _b > 0 ? _a : 0',
};

/** One elementwise function as a cwise kernel (any strides) and as a flat loop. */
interface Kernels {
  strided: Kernel;
  flat: FlatKernel;
}

const unaryKernels = new Map<UnaryOp, Kernels>();
const binaryKernels = new Map<BinaryOp, Kernels>();

function unaryKernel(op: UnaryOp): Kernels {
  let k = unaryKernels.get(op);
  if (!k) {
    const { body, scalars } = unaryBodies[op];
    k = { strided: makeKernel(2, scalars, body, `tapegrad_${op}`), flat: makeFlat(1, body) };
    unaryKernels.set(op, k);
  }
  return k;
}

function binaryKernel(op: BinaryOp): Kernels {
  let k = binaryKernels.get(op);
  if (!k) {
    const body = binaryBodies[op];
    k = { strided: makeKernel(3, 0, body, `tapegrad_${op}`), flat: makeFlat(2, body) };
    binaryKernels.set(op, k);
  }
  return k;
}

const whereBody = '_o = _a ? _b : _c';
const whereKernel: Kernels = { strided: makeKernel(4, 0, whereBody, 'tapegrad_where'), flat: makeFlat(3, whereBody) };
const fillKernel = makeKernel(1, 1, '_o = _p', 'tapegrad_fill');
const inPlace = {
  add: makeKernel(2, 1, '_o = _o + _p * _a', 'tapegrad_iadd'),
  sub: makeKernel(2, 1, '_o = _o - _p * _a', 'tapegrad_isub'),
  mul: makeKernel(2, 1, '_o = _o * _a', 'tapegrad_imul'),
  div: makeKernel(2, 1, '_o = _o / _a', 'tapegrad_idiv'),
  // NaN on either side gives NaN, as the out-of-place maximum.
  maximum: makeKernel(2, 1, '_o = (_o !== _o || _a !== _a) ? NaN : (_o > _a ? _o : _a)', 'tapegrad_imax'),
};

/** `out = f(x)` elementwise. */
export function unary(op: UnaryOp, x: View, outDtype: DType, p0 = 0, p1 = 0): View {
  const out = alloc(outDtype, x.shape);
  if (out.size === 0) return out;
  if (op === 'copy') {
    copyInto(out, x);
    return out;
  }
  const k = unaryKernel(op);
  const sx = out.size <= FLAT_MAX ? flatStep(x) : -1;
  if (sx >= 0) k.flat(out.data, out.size, x.data, x.offset, sx, p0, p1);
  else k.strided(out, x, p0, p1);
  return out;
}

/** `out = f(a, b)` with a and b already broadcast to the output's shape. */
export function binary(op: BinaryOp, a: View, b: View, outDtype: DType): View {
  const out = alloc(outDtype, a.shape);
  if (out.size === 0) return out;
  const k = binaryKernel(op);
  const sa = out.size <= FLAT_MAX ? flatStep(a) : -1;
  const sb = sa >= 0 ? flatStep(b) : -1;
  if (sb >= 0) k.flat(out.data, out.size, a.data, a.offset, sa, b.data, b.offset, sb);
  else k.strided(out, a, b);
  return out;
}

/** `out = cond ? a : b`. */
export function where(cond: View, a: View, b: View, outDtype: DType): View {
  const out = alloc(outDtype, cond.shape);
  if (out.size === 0) return out;
  const sc = out.size <= FLAT_MAX ? flatStep(cond) : -1;
  const sa = sc >= 0 ? flatStep(a) : -1;
  const sb = sa >= 0 ? flatStep(b) : -1;
  if (sb >= 0) whereKernel.flat(out.data, out.size, cond.data, cond.offset, sc, a.data, a.offset, sa, b.data, b.offset, sb);
  else whereKernel.strided(out, cond, a, b);
  return out;
}

/** `dst = src` elementwise, in place (casting; bool gets 0/1). */
export function assign(dst: View, src: View): void {
  copyInto(dst, src);
}

/** `dst = f(dst, src)` in place. */
export function binaryInPlace(op: keyof typeof inPlace, dst: View, src: View, alpha: number): void {
  if (dst.size === 0) return;
  inPlace[op](dst, src, alpha);
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
  fillKernel(dst, value);
}
