import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, randn, zeros, gradcheck, gradgradcheck, grad, Generator, noGrad,
  AutogradError, DTypeError, ShapeError, ValueError, type DType,
  atan2, hypot, logaddexp, logaddexp2, xlogy, copysign, fmax, fmin, remainder, fmod, floorDivide, div,
  floatPower, lerp, addcmul, addcdiv, isclose, allclose, logicalAnd, logicalOr, logicalXor,
  bitwiseAnd, bitwiseOr, bitwiseXor, bitwiseNot, bitwiseLeftShift, bitwiseRightShift, heaviside, maskedFill,
} from '@tapegrad/core';
import { broadcastRef } from './broadcast-ref.js';

// ---------------------------------------------------------------- inputs and references

/** A float64 leaf requiring grad from randn with a fixed seed, mapped by `f` (to keep off kinks). */
function input(shape: number[], seed: number, f: (x: number) => number = (x) => x): Tensor {
  const raw = randn(shape, { dtype: 'float64', generator: new Generator(seed) }).data;
  return tensor(Float64Array.from(raw, f), { shape, dtype: 'float64', requiresGrad: true });
}

const f64 = (data: number[] | number[][]) => tensor(data, { dtype: 'float64' });
const i32 = (data: number[] | number[][]) => tensor(data, { dtype: 'int32' });
const positive = (x: number) => Math.abs(x) + 0.5;
const tight = { rtol: 1e-10, atol: 1e-12 };

/** Checks `got` against the reference: shape, and every value (NaN with NaN, the sign of zeros too when `signedZeros`). */
function expectRef(got: Tensor, ref: { shape: number[]; values: number[] }, tol = tight, signedZeros = false): void {
  expect(got.shape).toEqual(ref.shape);
  const g = Array.from(got.data as ArrayLike<number>);
  expect(g.length).toBe(ref.values.length);
  g.forEach((v, k) => {
    const want = ref.values[k]!;
    if (Number.isNaN(want)) expect(v, `element ${k}`).toBeNaN();
    else if (!Number.isFinite(want)) expect(v, `element ${k}`).toBe(want);
    else expect(Math.abs(v - want), `element ${k}: got ${v}, want ${want}`).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(want));
    if (signedZeros && want === 0) expect(Object.is(v, -0), `sign of zero at ${k}`).toBe(Object.is(want, -0));
  });
}

/** Random operands of several broadcasting layouts, in `dtype`, mapped by fa / fb. */
function layouts(dtype: DType, fa: (x: number) => number, fb: (x: number) => number): Array<[Tensor, Tensor]> {
  const make = (shape: number[], seed: number, f: (x: number) => number) =>
    input(shape, seed, f).detach().to(dtype);
  return [
    [make([2, 1, 3], 1, fa), make([4, 1], 2, fb)], // broadcast both ways
    [make([3, 4], 3, fa), make([4], 4, fb)],
    [make([1, 5], 5, fa), make([5, 1], 6, fb)], // size-1 dims
    [make([0, 3], 7, fa), make([3], 8, fb)], // empty
    [make([2, 3], 9, fa).t(), make([3, 2], 10, fb)], // a transposed view
  ];
}

const SPECIAL_A = [0, -0, 0, -0, 1, Infinity, NaN, -Infinity, 2, -3, Infinity, 1.5];
const SPECIAL_B = [0, 0, -0, -0, Infinity, Infinity, 1, 2, NaN, -Infinity, -Infinity, -2.5];

/** The float ops, their plain references (independent formulas where they exist) and domains. */
interface FloatCase {
  name: string;
  fn: (a: Tensor | number, b: Tensor | number) => Tensor;
  ref: (x: number, y: number) => number;
  fa?: (x: number) => number;
  fb?: (x: number) => number;
}

const FLOAT_OPS: FloatCase[] = [
  { name: 'atan2', fn: atan2, ref: (y, x) => Math.atan2(y, x) },
  { name: 'hypot', fn: hypot, ref: (x, y) => (Number.isFinite(x) && Number.isFinite(y) ? Math.sqrt(x * x + y * y) : Math.hypot(x, y)) },
  { name: 'logaddexp', fn: logaddexp, ref: (x, y) => (x === y && !Number.isFinite(x) ? x : Math.log(Math.exp(x) + Math.exp(y))) },
  { name: 'logaddexp2', fn: logaddexp2, ref: (x, y) => (x === y && !Number.isFinite(x) ? x : Math.log2(2 ** x + 2 ** y)) },
  { name: 'xlogy', fn: xlogy, ref: (x, y) => (Number.isNaN(y) ? NaN : x === 0 ? 0 : x * Math.log(y)), fb: positive },
  { name: 'copysign', fn: copysign, ref: (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x)) },
  { name: 'fmax', fn: fmax, ref: (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : x >= y ? x : y) },
  { name: 'fmin', fn: fmin, ref: (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : x <= y ? x : y) },
  { name: 'remainder', fn: remainder, ref: (x, y) => x - y * Math.floor(x / y), fb: positive },
  { name: 'fmod', fn: fmod, ref: (x, y) => x - y * Math.trunc(x / y), fb: positive },
];

// ---------------------------------------------------------------- forward

describe('binary float ops (atan2, hypot, logaddexp, logaddexp2, xlogy, copysign, fmax, fmin, remainder, fmod)', () => {
  for (const op of FLOAT_OPS) {
    it(`${op.name} matches a plain loop with broadcasting, size-1, empty and strided operands in float64 and float32`, () => {
      for (const dtype of ['float64', 'float32'] as const) {
        const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-6, atol: 1e-6 };
        for (const [a, b] of layouts(dtype, op.fa ?? ((x) => x), op.fb ?? ((x) => x))) {
          const out = op.fn(a, b);
          expect(out.dtype).toBe(dtype);
          // float32 results are the float64 result rounded: compare with the reference on the rounded inputs.
          expectRef(out, broadcastRef(a, b, op.ref), tol);
        }
      }
    });
  }

  it('atan2, hypot, logaddexp(2), xlogy and copysign handle signed zeros, infinities and NaN as C (and PyTorch)', () => {
    const a = f64(SPECIAL_A);
    const b = f64(SPECIAL_B);
    for (const op of FLOAT_OPS.filter((o) => !['remainder', 'fmod', 'xlogy'].includes(o.name)))
      expectRef(op.fn(a, b), broadcastRef(a, b, op.ref), tight, op.name === 'atan2' || op.name === 'copysign');
    expect(atan2(f64([0, -0, 0, -0]), f64([0, 0, -0, -0])).toArray()).toEqual([0, -0, Math.PI, -Math.PI]);
    expect(hypot(f64([Infinity, NaN, -Infinity]), f64([NaN, Infinity, 1])).toArray()).toEqual([Infinity, Infinity, Infinity]);
    expect(logaddexp(f64([-Infinity, Infinity, 1000, -1000]), f64([-Infinity, Infinity, 1000, -1000])))
      .toBeAllClose([-Infinity, Infinity, 1000 + Math.LN2, -1000 + Math.LN2], tight);
    expect(logaddexp2(f64([-Infinity, 1000]), f64([-Infinity, 1000]))).toBeAllClose([-Infinity, 1001], tight);
    expect(xlogy(f64([0, 0, 0, 1, 2, NaN, 0]), f64([NaN, 0, -1, 0, -1, 0, Infinity])).toArray())
      .toEqual([NaN, 0, 0, -Infinity, NaN, NaN, 0]);
    const cs = copysign(f64([0, -0, 1, -2, 3, NaN]), f64([-1, 1, -0, 3, NaN, -1])).toArray() as number[];
    expect(cs.map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(['-0', 0, -1, 2, 3, NaN]);
  });

  it('fmax and fmin take the other operand where one is NaN, NaN only where both are', () => {
    const a = f64([1, NaN, 3, NaN, 2]);
    const b = f64([2, 1, NaN, NaN, 2]);
    expect(fmax(a, b).toArray()).toEqual([2, 1, 3, NaN, 2]);
    expect(fmin(a, b).toArray()).toEqual([1, 1, 3, NaN, 2]);
    expect(fmax(a, 0).toArray()).toEqual([1, 0, 3, 0, 2]);
  });

  it('fmax and fmin keep int32 and bool dtypes', () => {
    const r = fmax(i32([1, -5, 3]), i32([2, -6, 3]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([2, -5, 3]);
    const m = fmin(tensor([true, false]), tensor([true, true]));
    expect(m.dtype).toBe('bool');
    expect(m.toArray()).toEqual([true, false]);
    expect(fmax(i32([1]), 0.5).dtype).toBe('float32');
  });

  it('ints and bools compute in float32 for atan2, xlogy and copysign; hypot and logaddexp refuse them, as PyTorch', () => {
    expect(atan2(i32([1]), i32([1])).dtype).toBe('float32');
    expect(xlogy(i32([2]), 3).dtype).toBe('float32');
    expect(copysign(tensor([true]), -1).toArray()).toEqual([-1]);
    expect(atan2(i32([1]), f64([1])).dtype).toBe('float64');
    expect(hypot(i32([3]), tensor([4])).toArray()).toEqual([5]);
    for (const fn of [hypot, logaddexp, logaddexp2]) {
      expect(() => fn(i32([3]), i32([4]))).toThrow(DTypeError);
      expect(() => fn(i32([3]), i32([4]))).toThrow(new RegExp(`^${fn.name}: expected floating point inputs, got int32 \\(shape \\[1\\]\\) and int32`));
    }
  });

  it('throw ShapeError naming the op and both shapes when shapes do not broadcast', () => {
    for (const op of FLOAT_OPS) {
      expect(() => op.fn(zeros([2, 3]), zeros([4]))).toThrow(ShapeError);
      expect(() => op.fn(zeros([2, 3]), zeros([4]))).toThrow(new RegExp(`^${op.name}: cannot broadcast shapes \\[2,3\\] and \\[4\\]`));
    }
  });
});

describe('remainder, fmod, floorDivide and div with a rounding mode', () => {
  const a = i32([7, -7, 7, -7, 0, 9, -1]);
  const b = i32([3, 3, -3, -3, 5, 1, 3]);

  it('on int32: remainder takes the divisor\'s sign, fmod the dividend\'s, floor and trunc round as Python and C', () => {
    const cases: Array<[Tensor, number[]]> = [
      [remainder(a, b), [1, 2, -2, -1, 0, 0, 2]],
      [fmod(a, b), [1, -1, 1, -1, 0, 0, -1]],
      [floorDivide(a, b), [2, -3, -3, 2, 0, 9, -1]],
      [div(a, b, { roundingMode: 'floor' }), [2, -3, -3, 2, 0, 9, -1]],
      [div(a, b, { roundingMode: 'trunc' }), [2, -2, -2, 2, 0, 9, 0]],
    ];
    for (const [r, want] of cases) {
      expect(r.dtype).toBe('int32');
      expect(r.toArray()).toEqual(want);
    }
    // with a number, broadcasting a column
    expect(remainder(i32([[7], [-7]]), 4).toArray()).toEqual([[3], [1]]);
    expect(div(i32([7]), 2.5, { roundingMode: 'floor' }).dtype).toBe('float32');
    expect(div(a, b, { roundingMode: null }).dtype).toBe('float32');
  });

  it('on floats: matches Python\'s % and // and C\'s fmod, keeping signed zeros, with IEEE division by zero', () => {
    const x = f64([7.5, -7.5, 7.5, -7.5, -0, 0, -5, 5, 3, 1, -1, 0, Infinity, NaN]);
    const y = f64([2, 2, -2, -2, 2, -2, Infinity, -Infinity, 0, 0, 0, 0, 2, 2]);
    const show = (t: Tensor) => (t.toArray() as number[]).map((v) => (Object.is(v, -0) ? '-0' : v));
    expect(show(remainder(x, y))).toEqual([1.5, 0.5, -0.5, -1.5, '-0', 0, Infinity, -Infinity, NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(show(fmod(x, y))).toEqual([1.5, -1.5, 1.5, -1.5, '-0', 0, -5, 5, NaN, NaN, NaN, NaN, NaN, NaN]);
    // Infinity // 2 is NaN, as in Python and PyTorch (its fmod is NaN); trunc gives Infinity.
    expect(show(div(x, y, { roundingMode: 'floor' }))).toEqual([3, -4, -4, 3, '-0', '-0', -1, -1, Infinity, Infinity, -Infinity, NaN, NaN, NaN]);
    expect(show(floorDivide(x, y))).toEqual(show(div(x, y, { roundingMode: 'floor' })));
    expect(show(div(x, y, { roundingMode: 'trunc' }))).toEqual([3, -3, -3, 3, '-0', '-0', '-0', '-0', Infinity, Infinity, -Infinity, NaN, Infinity, NaN]);
  });

  it('floor division is exact where floor(a / b) of the rounded quotient is not', () => {
    // 1 / 0.1 rounds to 10 but 0.1 > 1/10 in binary: Python's 1 // 0.1 is 9, and 1 % 0.1 is 0.0999...
    expect(floorDivide(f64([1]), f64([0.1])).toArray()).toEqual([9]);
    expect(remainder(f64([1]), f64([0.1]))).toBeAllClose([0.09999999999999995], tight);
  });

  it('in float32, trunc rounds the quotient to float32 first and floor is exact, as PyTorch', () => {
    const a = tensor([1, 2, 1, 10]);
    const b = tensor([1 / 3, 2 / 3, 0.1, 0.1]);
    expect(div(a, b, { roundingMode: 'trunc' }).toArray()).toEqual([3, 3, 10, 100]);
    expect(div(a, b, { roundingMode: 'floor' }).toArray()).toEqual([2, 2, 9, 99]);
    expect(div(a.double(), b.double(), { roundingMode: 'trunc' }).toArray()).toEqual([2, 2, 9, 99]);
  });

  it('throw a ValueError naming the op for an integer division by zero (PyTorch\'s ZeroDivisionError), not for floats or empty results', () => {
    const calls: Array<[string, () => Tensor]> = [
      ['div', () => div(i32([1, 2]), i32([1, 0]), { roundingMode: 'floor' })],
      ['div', () => div(i32([1, 2]), 0, { roundingMode: 'trunc' })],
      ['floorDivide', () => floorDivide(i32([1]), i32([0]))],
      ['remainder', () => remainder(i32([1]), 0)],
      ['fmod', () => fmod(i32([[1], [2]]), i32([3, 0]))],
    ];
    for (const [op, call] of calls) {
      expect(call).toThrow(ValueError);
      expect(call).toThrow(new RegExp(`^${op}: integer division by zero \\(the int32 divisor of shape \\[\\d*\\] holds 0; PyTorch raises ZeroDivisionError\\)`));
    }
    expect(remainder(f64([1]), 0).toArray()).toEqual([NaN]);
    expect(div(i32([1]), 0).toArray()).toEqual([Infinity]); // true division stays IEEE
    expect(remainder(zeros([0], { dtype: 'int32' }), i32([0])).shape).toEqual([0]);
  });

  it('refuse bool operands with a DTypeError naming the op, and a rounding mode that is not floor or trunc', () => {
    const t = tensor([true, false]);
    for (const [op, call] of [
      ['remainder', () => remainder(t, t)], ['fmod', () => fmod(t, t)], ['floorDivide', () => floorDivide(t, t)],
      ['div', () => div(t, t, { roundingMode: 'floor' })],
    ] as const) {
      expect(call).toThrow(DTypeError);
      expect(call).toThrow(new RegExp(`^${op}: not defined for bool operands \\(shapes \\[2\\] and \\[2\\]\\)`));
    }
    expect(() => div(f64([1]), 2, { roundingMode: 'round' as never })).toThrow(/^div: option roundingMode must be/);
  });

  it('div with a rounding mode writes into out', () => {
    const out = zeros([2], { dtype: 'int32' });
    expect(div(i32([7, -7]), 2, { roundingMode: 'floor', out })).toBe(out);
    expect(out.toArray()).toEqual([3, -4]);
  });
});

describe('floatPower', () => {
  it('computes in float64 whatever the inputs, integers to negative powers included', () => {
    const r = floatPower(i32([2, -4, 0]), -1);
    expect(r.dtype).toBe('float64');
    expect(r.toArray()).toEqual([0.5, -0.25, Infinity]);
    expect(floatPower(tensor([2, 3]), tensor([0.5, 2])).dtype).toBe('float64');
    expect(floatPower(2, i32([1, 3])).toArray()).toEqual([2, 8]);
    const x = input([2, 3], 1, positive);
    const e = input([3], 2);
    expectRef(floatPower(x, e), broadcastRef(x, e, (p, q) => p ** q));
  });
  it('passes gradcheck for base and exponent and returns the gradient of a float32 input in float32', () => {
    gradcheck((a, b) => floatPower(a, b), [input([2, 3], 1, positive), input([3], 2)]);
    gradgradcheck((a) => floatPower(a, 3), [input([4], 3)]);
    const x = tensor([1, 2], { requiresGrad: true });
    const [g] = grad(floatPower(x, 2).sum(), [x]);
    expect(g!.dtype).toBe('float32');
    expect(g!.toArray()).toEqual([2, 4]);
  });
});

describe('lerp', () => {
  it('matches start + weight (end - start) with a number or tensor weight and broadcasting, exact at both ends', () => {
    const a = input([3, 1], 1);
    const b = input([4], 2);
    for (const w of [0, 0.25, 0.5, 0.75, 1, -1, 2])
      expectRef(lerp(a, b, w), broadcastRef(a, b, (x, y) => x + w * (y - x)));
    const w = input([1, 4], 3);
    const ab = lerp(a, b, 0.4).detach();
    expect(lerp(a, b, w).shape).toEqual([3, 4]);
    expect(lerp(f64([1.1, 1.1]), f64([3.3, 3.3]), f64([0, 1])).toArray()).toEqual([1.1, 3.3]);
    expect(ab.shape).toEqual([3, 4]);
    expect(lerp(tensor([1]), tensor([3]), 0.5).dtype).toBe('float32');
    expect(lerp(tensor([1]), tensor([3]), f64([0.5])).dtype).toBe('float64');
  });
  it('passes gradcheck and gradgradcheck in start, end and a tensor weight', () => {
    gradcheck((a, b, w) => lerp(a, b, w), [input([3, 1], 1), input([4], 2), input([1, 4], 3)]);
    gradcheck((a, b) => lerp(a, b, 0.7), [input([2, 3], 4), input([3], 5)]);
    gradgradcheck((a, b, w) => lerp(a, b, w).mul(w), [input([2, 3], 6), input([3], 7), input([2, 1], 8)]);
  });
  it('refuses integer start and end and shapes that do not broadcast', () => {
    expect(() => lerp(i32([1]), i32([2]), 0.5)).toThrow(DTypeError);
    expect(() => lerp(i32([1]), i32([2]), 0.5)).toThrow(/^lerp: expected floating point start and end, got int32 \(shape \[1\]\) and int32/);
    expect(() => lerp(zeros([2]), zeros([3]), 0.5)).toThrow(/^lerp: cannot broadcast shapes \[2\] and \[3\] and \[\]/);
    expect(() => lerp([1] as never, zeros([1]), 0.5)).toThrow(/^lerp: start must be a Tensor/);
  });
});

describe('addcmul and addcdiv', () => {
  it('match input + value * t1 * t2 and input + value * t1 / t2 with broadcasting', () => {
    const x = input([3], 1);
    const a = input([2, 1], 2);
    const b = input([2, 3], 3, positive);
    const prod = broadcastRef(a, b, (p, q) => p * q);
    const quot = broadcastRef(a, b, (p, q) => p / q);
    const xs = x.detach().data;
    const plus = (ref: { shape: number[]; values: number[] }, f: (x: number, v: number) => number) =>
      ({ shape: ref.shape, values: ref.values.map((v, k) => f(xs[k % 3]!, v)) });
    expectRef(addcmul(x, a, b), plus(prod, (p, v) => p + v));
    expectRef(addcmul(x, a, b, { value: -0.5 }), plus(prod, (p, v) => p - 0.5 * v));
    expectRef(addcdiv(x, a, b, { value: 2 }), plus(quot, (p, v) => p + 2 * v));
    expect(addcmul(x, a, b).shape).toEqual([2, 3]);
  });
  it('promote the three dtypes; int32 stays int32 with an integer value', () => {
    const r = addcmul(i32([1, 2]), i32([3, -4]), i32([5, 6]), { value: 2 });
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([31, -46]);
    expect(addcmul(tensor([1]), f64([2]), i32([3])).dtype).toBe('float64');
    expect(addcdiv(i32([1]), tensor([3]), i32([2])).toArray()).toEqual([2.5]);
  });
  it('pass gradcheck and gradgradcheck in all three inputs', () => {
    gradcheck((x, a, b) => addcmul(x, a, b, { value: 0.3 }), [input([3], 1), input([2, 1], 2), input([2, 3], 3)]);
    gradcheck((x, a, b) => addcdiv(x, a, b, { value: -2 }), [input([3], 4), input([2, 1], 5), input([2, 3], 6, positive)]);
    gradgradcheck((x, a, b) => addcdiv(x, a, b).mul(a), [input([3], 7), input([3], 8), input([3], 9, positive)]);
  });
  it('refuse a fractional value for integer inputs, integer division in addcdiv, and bad options', () => {
    expect(() => addcmul(i32([1]), i32([1]), i32([1]), { value: 0.5 })).toThrow(/^addcmul: value must be an integer for int32 inputs, got 0.5/);
    expect(() => addcdiv(tensor([1]), i32([1]), i32([1]))).toThrow(DTypeError);
    expect(() => addcdiv(tensor([1]), i32([1]), i32([1]))).toThrow(/^addcdiv: integer division is not supported \(t1 int32 \(shape \[1\]\), t2 int32/);
    expect(() => addcmul(zeros([2]), zeros([3]), zeros([2]))).toThrow(/^addcmul: cannot broadcast shapes \[2\] and \[3\] and \[2\]/);
    expect(() => addcmul(zeros([1]), zeros([1]), zeros([1]), { valeu: 2 } as never)).toThrow(/^addcmul: unknown option 'valeu'/);
    expect(() => addcmul(zeros([1]), 2 as never, zeros([1]))).toThrow(/^addcmul: t1 must be a Tensor, got/);
  });
});

describe('gradients of the binary float ops', () => {
  it('atan2, hypot, logaddexp, logaddexp2, xlogy pass gradcheck and gradgradcheck with broadcasting', () => {
    const pairs: Array<[(a: Tensor, b: Tensor) => Tensor, (x: number) => number, (x: number) => number]> = [
      [atan2, (x) => x, (x) => x], [hypot, (x) => x, (x) => x], [logaddexp, (x) => x, (x) => x],
      [logaddexp2, (x) => x, (x) => x], [xlogy, (x) => x, positive],
    ];
    pairs.forEach(([fn, fa, fb], k) => {
      gradcheck((a, b) => fn(a, b), [input([2, 1, 3], 10 + k, fa), input([4, 1], 20 + k, fb)]);
      gradgradcheck((a, b) => fn(a, b), [input([2, 3], 30 + k, fa), input([3], 40 + k, fb)]);
    });
    gradcheck((a) => atan2(a, 2), [input([3], 5)]);
    gradcheck((b) => xlogy(3, b), [input([3], 6, positive)]);
  });
  it('xlogy gives a 0 gradient to a where a == 0 and b <= 0, and a / b to b', () => {
    const a = f64([0, 0, 0, 2]).requiresGrad_();
    const b = f64([0, -1, 2, 3]).requiresGrad_();
    const [ga, gb] = grad(xlogy(a, b).sum(), [a, b]);
    expect(ga!.toArray()).toEqual([0, 0, Math.log(2), Math.log(3)]);
    expect(gb!.toArray()).toEqual([NaN, -0, 0, 2 / 3]);
  });
  it('copysign passes gradcheck in a (+-1 by sign agreement), gives 0 to b and to a at 0', () => {
    gradcheck((a) => copysign(a, f64([-1, 2, -0.5, 3])), [input([4], 1, (x) => (Math.abs(x) < 0.1 ? 0.5 : x))]);
    const a = f64([0, 1.5, -2, 3]).requiresGrad_();
    const b = f64([-1, -1, -1, 1]).requiresGrad_();
    const [ga, gb] = grad(copysign(a, b).sum(), [a, b]);
    expect(ga!.toArray()).toEqual([0, -1, 1, 1]);
    expect(gb!.toArray()).toEqual([0, 0, 0, 0]);
  });
  it('fmax and fmin send the whole gradient to the chosen input, ties and NaN as PyTorch', () => {
    const a = f64([1, 2, NaN, 3, NaN]).requiresGrad_();
    const b = f64([1, 1, 2, NaN, NaN]).requiresGrad_();
    const [ma, mb] = grad(fmax(a, b).sum(), [a, b]);
    expect(ma!.toArray()).toEqual([1, 1, 0, 1, 1]);
    expect(mb!.toArray()).toEqual([0, 0, 1, 0, 0]);
    const [na, nb] = grad(fmin(a, b).sum(), [a, b]);
    expect(na!.toArray()).toEqual([1, 0, 0, 1, 1]);
    expect(nb!.toArray()).toEqual([0, 1, 1, 0, 0]);
    gradcheck((x, y) => fmax(x, y), [input([2, 1, 3], 1), input([4, 1], 2)]);
    gradcheck((x, y) => fmin(x, y), [input([2, 1, 3], 3), input([4, 1], 4)]);
    gradgradcheck((x, y) => fmax(x, y).mul(x), [input([2, 3], 5), input([3], 6)]);
  });
  it('remainder and fmod pass gradcheck: 1 for a, -floor(a / b) and -trunc(a / b) for b', () => {
    // a and b chosen away from the jumps at multiples of b
    const a = () => f64([5.3, -5.3, 2.2, -0.4, 7.9, -7.9]).requiresGrad_();
    const b = () => f64([2, 2, -3, 1.5, -2.5, 3]).requiresGrad_();
    gradcheck((x, y) => remainder(x, y), [a(), b()]);
    gradcheck((x, y) => fmod(x, y), [a(), b()]);
    gradgradcheck((x, y) => remainder(x, y).mul(y), [a(), b()]);
    const x = a();
    const y = b();
    const [gx, gy] = grad(fmod(x, y).sum(), [x, y]);
    expect(gx!.toArray()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(gy!.toArray()).toEqual([-2, 2, 0, 0, 3, 2]);
  });
  it('div with a rounding mode has a zero gradient; floorDivide and heaviside have none and say so in backward', () => {
    const x = f64([7.5, -3]).requiresGrad_();
    const y = f64([2, 2]).requiresGrad_();
    const [gx, gy] = grad(div(x, y, { roundingMode: 'floor' }).sum(), [x, y]);
    expect(gx!.toArray()).toEqual([0, 0]);
    expect(gy!.toArray()).toEqual([0, 0]);
    expect(() => floorDivide(x, y).sum().backward()).toThrow(AutogradError);
    expect(() => floorDivide(x, y).sum().backward()).toThrow(/^floorDivide: not differentiable \(PyTorch defines no derivative\)/);
    expect(() => heaviside(x, 0.5).sum().backward()).toThrow(/^heaviside: not differentiable/);
    expect(noGrad(() => floorDivide(x, y)).requiresGrad).toBe(false);
  });
});

// ---------------------------------------------------------------- comparisons and bool results

describe('isclose and allclose', () => {
  it('match |a - b| <= atol + rtol |b| elementwise, equal infinities close, NaN only with equalNan', () => {
    const a = f64([1, NaN, Infinity, -Infinity, Infinity, 1e-9, 1, 100, 0]);
    const b = f64([1 + 1e-6, NaN, Infinity, Infinity, NaN, 0, 1.00002, 100.001, -0]);
    expect(isclose(a, b).toArray()).toEqual([true, false, true, false, false, true, false, true, true]);
    expect(isclose(a, b, { equalNan: true }).toArray()).toEqual([true, true, true, false, false, true, false, true, true]);
    expect(isclose(a, b, { rtol: 0, atol: 0 }).toArray()).toEqual([false, false, true, false, false, false, false, false, true]);
    // b is the reference: not symmetric
    expect(isclose(f64([1]), f64([10]), { rtol: 0.9, atol: 0 }).toArray()).toEqual([true]);
    expect(isclose(f64([10]), f64([1]), { rtol: 0.9, atol: 0 }).toArray()).toEqual([false]);
  });
  it('broadcast, take numbers, and compare int32 and bool tensors', () => {
    expect(isclose(f64([[1], [2]]), f64([1.05, 2.1]), { rtol: 0, atol: 0.06 }).toArray()).toEqual([[true, false], [false, false]]);
    expect(isclose(tensor([1, 2]), 1).toArray()).toEqual([true, false]);
    expect(isclose(i32([1, 2, 100]), i32([1, 3, 101]), { rtol: 0.01, atol: 0 }).toArray()).toEqual([true, false, true]);
    expect(isclose(tensor([true, false]), tensor([true, true]), { rtol: 1, atol: 1 }).toArray()).toEqual([true, true]);
    expect(isclose(zeros([0, 2]), zeros([2])).shape).toEqual([0, 2]);
  });
  it('allclose returns a boolean over all elements (true when empty)', () => {
    expect(allclose(f64([1, 2]), f64([1, 2 + 1e-7]))).toBe(true);
    expect(allclose(f64([1, 2]), f64([1, 2.1]))).toBe(false);
    expect(allclose(f64([1]), f64([1, 1]))).toBe(true);
    expect(allclose(zeros([0]), zeros([0]))).toBe(true);
    expect(allclose(f64([NaN]), f64([NaN]), { equalNan: true })).toBe(true);
  });
  it('refuse different dtypes, negative tolerances and unknown options, naming the op', () => {
    expect(() => isclose(tensor([1]), f64([1]))).toThrow(DTypeError);
    expect(() => isclose(tensor([1]), f64([1]))).toThrow(/^isclose: a and b must have the same dtype, got float32 \(shape \[1\]\) and float64/);
    expect(() => allclose(tensor([1]), f64([1]))).toThrow(/^allclose: a and b must have the same dtype/);
    expect(() => isclose(tensor([1]), tensor([1]), { rtol: -1 })).toThrow(/^isclose: rtol must be greater than or equal to zero, got -1/);
    expect(() => isclose(tensor([1]), tensor([1]), { atol: NaN })).toThrow(/^isclose: atol must be greater than or equal to zero, got NaN/);
    expect(() => isclose(tensor([1]), tensor([1]), { equal_nan: true } as never)).toThrow(/^isclose: unknown option 'equal_nan'/);
    expect(() => allclose(zeros([2]), zeros([3]))).toThrow(/^allclose: cannot broadcast shapes \[2\] and \[3\]/);
  });
});

describe('logicalAnd, logicalOr, logicalXor', () => {
  it('treat non-zero (NaN included) as true, broadcast, take any dtype and numbers, and give bool', () => {
    const a = f64([1, 0, NaN, -0, 2, 0]);
    const b = f64([1, 1, 0, 5, -Infinity, 0]);
    const truth = (x: number) => x !== 0;
    const ref = (f: (p: boolean, q: boolean) => boolean) => broadcastRef(a, b, (x, y) => (f(truth(x), truth(y)) ? 1 : 0)).values.map(Boolean);
    expect(logicalAnd(a, b).toArray()).toEqual(ref((p, q) => p && q));
    expect(logicalOr(a, b).toArray()).toEqual(ref((p, q) => p || q));
    expect(logicalXor(a, b).toArray()).toEqual(ref((p, q) => p !== q));
    const c = logicalAnd(i32([[0, 3, -1]]), tensor([[true], [false]]));
    expect(c.dtype).toBe('bool');
    expect(c.toArray()).toEqual([[false, true, true], [false, false, false]]);
    expect(logicalOr(zeros([2, 0]), 1).shape).toEqual([2, 0]);
    expect(logicalXor(f64([1, 0]), 1).toArray()).toEqual([false, true]);
    expect(logicalAnd(input([2], 1), 1).requiresGrad).toBe(false);
  });
  it('throw ShapeError naming the op', () => {
    expect(() => logicalXor(zeros([2]), zeros([3]))).toThrow(/^logicalXor: cannot broadcast shapes \[2\] and \[3\]/);
  });
});

describe('bitwise ops', () => {
  const ints = [12, -1, 0, 2147483647, -2147483648, 5, -6, 1 << 20];
  const others = [10, 7, -1, 1, -1, -6, 3, 12];
  it('and, or, xor, not match JavaScript\'s 32-bit operators on int32, with broadcasting and numbers', () => {
    const a = i32(ints);
    const b = i32(others);
    expect(bitwiseAnd(a, b).toArray()).toEqual(ints.map((x, k) => x & others[k]!));
    expect(bitwiseOr(a, b).toArray()).toEqual(ints.map((x, k) => x | others[k]!));
    expect(bitwiseXor(a, b).toArray()).toEqual(ints.map((x, k) => x ^ others[k]!));
    expect(bitwiseNot(a).toArray()).toEqual(ints.map((x) => ~x));
    expect(bitwiseAnd(a, 6).toArray()).toEqual(ints.map((x) => x & 6));
    expect(bitwiseOr(i32([[1], [2]]), i32([4, 8])).toArray()).toEqual([[5, 9], [6, 10]]);
    expect(bitwiseXor(zeros([0], { dtype: 'int32' }), 1).shape).toEqual([0]);
  });
  it('on bool stay bool (not is logical not); bool with int32 gives int32', () => {
    const p = tensor([true, true, false, false]);
    const q = tensor([true, false, true, false]);
    expect(bitwiseAnd(p, q).toArray()).toEqual([true, false, false, false]);
    expect(bitwiseOr(p, q).toArray()).toEqual([true, true, true, false]);
    expect(bitwiseXor(p, q).toArray()).toEqual([false, true, true, false]);
    expect(bitwiseNot(p).toArray()).toEqual([false, false, true, true]);
    expect(bitwiseNot(p).dtype).toBe('bool');
    const r = bitwiseXor(tensor([true, false]), i32([3, 3]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([2, 3]);
  });
  it('shift int32 left and right (arithmetic); counts outside [0, 31] give 0 or the sign', () => {
    const a = i32([1, 1, 3, -1, 5, 1, 1, -8]);
    const s = i32([0, 31, 2, 1, 30, 32, -1, 40]);
    expect(bitwiseLeftShift(a, s).toArray()).toEqual([1, -2147483648, 12, -2, 1073741824, 0, 0, 0]);
    expect(bitwiseRightShift(i32([16, -16, -1, 2147483647, -8, 8, -8, 8]), i32([2, 2, 5, 30, 32, 33, -1, 31])).toArray())
      .toEqual([4, -4, -1, 1, -1, 0, -1, 0]);
    expect(bitwiseLeftShift(i32([1, -3]), i32([[0], [4]])).toArray()).toEqual([[1, -3], [16, -48]]);
    expect(bitwiseRightShift(tensor([true]), 0).dtype).toBe('int32'); // bool with a number promotes
  });
  it('refuse floats (and bool shifts) with a DTypeError naming the op and the dtypes', () => {
    expect(() => bitwiseAnd(tensor([1]), 1)).toThrow(DTypeError);
    expect(() => bitwiseAnd(tensor([1]), 1)).toThrow(/^bitwiseAnd: expected int32 or bool operands, got float32 \(shape \[1\]\) and the number 1$/);
    expect(() => bitwiseOr(i32([1]), 0.5)).toThrow(/^bitwiseOr: expected int32 or bool operands, got int32 \(shape \[1\]\) and the number 0.5$/);
    expect(() => bitwiseXor(i32([1]), f64([1]))).toThrow(/^bitwiseXor: expected int32 or bool operands, got int32 \(shape \[1\]\) and float64/);
    expect(() => bitwiseNot(f64([1]))).toThrow(/^bitwiseNot: expected int32 or bool operands, got float64/);
    const t = tensor([true]);
    expect(() => bitwiseLeftShift(t, t)).toThrow(/^bitwiseLeftShift: expected int32 operands, got bool \(shape \[1\]\) and bool/);
    expect(() => bitwiseRightShift(f64([1]), 1)).toThrow(/^bitwiseRightShift: expected int32 operands, got float64/);
  });
});

describe('heaviside', () => {
  it('is 1 above 0, 0 below (and at NaN), the values at 0 and -0, with tensor or number values, broadcast', () => {
    expect(heaviside(f64([NaN, -1, 0, 2, -0, Infinity, -Infinity]), f64([5])).toArray()).toEqual([0, 0, 5, 1, 5, 1, 0]);
    expect(heaviside(f64([0, 1, -1]), f64([[0.5], [7]])).toArray()).toEqual([[0.5, 1, 0], [7, 1, 0]]);
    expect(heaviside(tensor([-2, 0, 3]), 0.5).toArray()).toEqual([0, 0.5, 1]);
    expect(heaviside(tensor([0, 0]), tensor(3)).toArray()).toEqual([3, 3]);
    const r = heaviside(i32([-3, 0, 4]), i32([9]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([0, 9, 1]);
    expect(heaviside(i32([0]), 0.5).dtype).toBe('float32');
    expect(() => heaviside(zeros([2]), zeros([3]))).toThrow(/^heaviside: cannot broadcast shapes \[2\] and \[3\]/);
  });
});

describe('maskedFill with a tensor value', () => {
  it('fills with a 0-d tensor, cast to x\'s dtype', () => {
    const x = f64([1, 2, 3]);
    expect(maskedFill(x, x.gt(1), tensor(0.5, { dtype: 'float64' })).toArray()).toEqual([1, 0.5, 0.5]);
    expect(maskedFill(i32([1, 2, 3]), tensor([true, false, true]), tensor(2.7)).toArray()).toEqual([2, 2, 2]);
    expect(maskedFill(tensor([1, 2]), tensor([true, false]), tensor(0, { dtype: 'float64' })).dtype).toBe('float32');
    expect(x.maskedFill(x.lt(2), tensor(-1)).toArray()).toEqual([-1, 2, 3]);
  });
  it('sends the sum of the gradient at the filled places to the value, and passes gradcheck', () => {
    const mask = tensor([[true, false, true], [false, false, true]]);
    const x = input([2, 3], 1);
    const v = tensor(0.5, { dtype: 'float64', requiresGrad: true });
    const [gx, gv] = grad(maskedFill(x, mask, v).mul(f64([1, 2, 3])).sum(), [x, v]);
    expect(gx!.toArray()).toEqual([[0, 2, 0], [1, 2, 0]]);
    expect(gv!.item()).toBe(1 + 3 + 3);
    gradcheck((a, w) => maskedFill(a, mask, w), [input([2, 3], 2), v]);
    gradgradcheck((a, w) => maskedFill(a, mask, w).mul(w).mul(a), [input([2, 3], 3), v]);
  });
  it('refuses a value tensor with dims, as PyTorch', () => {
    expect(() => maskedFill(zeros([3]), tensor([true, false, true]), tensor([1]))).toThrow(ShapeError);
    expect(() => maskedFill(zeros([3]), tensor([true, false, true]), tensor([1]))).toThrow(
      /^maskedFill: value must be a number or a 0-d tensor, got a tensor of shape \[1\]$/,
    );
  });
});

describe('Tensor methods of the binary math ops', () => {
  it('delegate to the ops', () => {
    const a = f64([-7.5, 2, 0]);
    const b = f64([2, -3, 0.5]);
    expect(a.atan2(b).toArray()).toEqual(atan2(a, b).toArray());
    expect(a.hypot(b).toArray()).toEqual(hypot(a, b).toArray());
    expect(a.logaddexp(b).toArray()).toEqual(logaddexp(a, b).toArray());
    expect(a.logaddexp2(b).toArray()).toEqual(logaddexp2(a, b).toArray());
    expect(a.xlogy(b).toArray()).toEqual(xlogy(a, b).toArray());
    expect(a.copysign(b).toArray()).toEqual(copysign(a, b).toArray());
    expect(a.fmax(b).toArray()).toEqual(fmax(a, b).toArray());
    expect(a.fmin(b).toArray()).toEqual(fmin(a, b).toArray());
    expect(a.remainder(b).toArray()).toEqual(remainder(a, b).toArray());
    expect(a.fmod(b).toArray()).toEqual(fmod(a, b).toArray());
    expect(a.floorDivide(b).toArray()).toEqual(floorDivide(a, b).toArray());
    expect(a.div(b, { roundingMode: 'trunc' }).toArray()).toEqual(div(a, b, { roundingMode: 'trunc' }).toArray());
    expect(a.floatPower(2).toArray()).toEqual(floatPower(a, 2).toArray());
    expect(a.lerp(b, 0.3).toArray()).toEqual(lerp(a, b, 0.3).toArray());
    expect(a.addcmul(a, b, { value: 2 }).toArray()).toEqual(addcmul(a, a, b, { value: 2 }).toArray());
    expect(a.addcdiv(a, b).toArray()).toEqual(addcdiv(a, a, b).toArray());
    expect(a.isclose(b).toArray()).toEqual(isclose(a, b).toArray());
    expect(a.allclose(a)).toBe(true);
    expect(a.logicalAnd(b).toArray()).toEqual(logicalAnd(a, b).toArray());
    expect(a.logicalOr(b).toArray()).toEqual(logicalOr(a, b).toArray());
    expect(a.logicalXor(b).toArray()).toEqual(logicalXor(a, b).toArray());
    expect(a.heaviside(1).toArray()).toEqual(heaviside(a, 1).toArray());
    const n = i32([12, -5]);
    expect(n.bitwiseAnd(10).toArray()).toEqual([8, 10]);
    expect(n.bitwiseOr(1).toArray()).toEqual([13, -5]);
    expect(n.bitwiseXor(1).toArray()).toEqual([13, -6]);
    expect(n.bitwiseNot().toArray()).toEqual([-13, 4]);
    expect(n.bitwiseLeftShift(1).toArray()).toEqual([24, -10]);
    expect(n.bitwiseRightShift(1).toArray()).toEqual([6, -3]);
  });
});

describe('non-tensor arguments', () => {
  const x = tensor([1, 2]);
  const n = i32([1, 2]);
  const bad: unknown[] = [[1, 2], '2', {}];
  type Call = (b: never) => unknown;
  /** Positions that take a Tensor or a number: arrays, strings and objects are refused. */
  const tensorOrNumber: Record<string, Call[]> = {
    atan2: [(b) => atan2(b, x), (b) => atan2(x, b)],
    hypot: [(b) => hypot(b, x), (b) => hypot(x, b)],
    logaddexp: [(b) => logaddexp(b, x), (b) => logaddexp(x, b)],
    logaddexp2: [(b) => logaddexp2(b, x), (b) => logaddexp2(x, b)],
    xlogy: [(b) => xlogy(b, x), (b) => xlogy(x, b)],
    copysign: [(b) => copysign(b, x), (b) => copysign(x, b)],
    fmax: [(b) => fmax(b, x), (b) => fmax(x, b)],
    fmin: [(b) => fmin(b, x), (b) => fmin(x, b)],
    remainder: [(b) => remainder(b, x), (b) => remainder(x, b)],
    fmod: [(b) => fmod(b, x), (b) => fmod(x, b)],
    floorDivide: [(b) => floorDivide(b, x), (b) => floorDivide(x, b)],
    floatPower: [(b) => floatPower(b, x), (b) => floatPower(x, b)],
    lerp: [(b) => lerp(x, x, b)],
    isclose: [(b) => isclose(b, x), (b) => isclose(x, b)],
    allclose: [(b) => allclose(b, x), (b) => allclose(x, b)],
    logicalAnd: [(b) => logicalAnd(b, x), (b) => logicalAnd(x, b)],
    logicalOr: [(b) => logicalOr(b, x), (b) => logicalOr(x, b)],
    logicalXor: [(b) => logicalXor(b, x), (b) => logicalXor(x, b)],
    bitwiseAnd: [(b) => bitwiseAnd(b, n), (b) => bitwiseAnd(n, b)],
    bitwiseOr: [(b) => bitwiseOr(b, n), (b) => bitwiseOr(n, b)],
    bitwiseXor: [(b) => bitwiseXor(b, n), (b) => bitwiseXor(n, b)],
    bitwiseLeftShift: [(b) => bitwiseLeftShift(b, n), (b) => bitwiseLeftShift(n, b)],
    bitwiseRightShift: [(b) => bitwiseRightShift(b, n), (b) => bitwiseRightShift(n, b)],
    heaviside: [(b) => heaviside(x, b)],
  };
  /** Positions that take a Tensor only (as PyTorch): numbers are refused too. */
  const tensorOnly: Record<string, Call[]> = {
    lerp: [(b) => lerp(b, x, 0.5), (b) => lerp(x, b, 0.5)],
    addcmul: [(b) => addcmul(b, x, x), (b) => addcmul(x, b, x), (b) => addcmul(x, x, b)],
    addcdiv: [(b) => addcdiv(b, x, x), (b) => addcdiv(x, b, x), (b) => addcdiv(x, x, b)],
    bitwiseNot: [(b) => bitwiseNot(b)],
    heaviside: [(b) => heaviside(b, 0)],
  };
  it('are refused with an error naming the op (numbers too where PyTorch takes only tensors)', () => {
    for (const [op, calls] of Object.entries(tensorOrNumber))
      for (const call of calls) for (const b of bad) expect(() => call(b as never), `${op} with ${JSON.stringify(b)}`).toThrow(new RegExp(`^${op}: `));
    for (const [op, calls] of Object.entries(tensorOnly))
      for (const call of calls)
        for (const b of [...bad, 3]) expect(() => call(b as never), `${op} with ${JSON.stringify(b)}`).toThrow(new RegExp(`^${op}: `));
    expect(() => bitwiseNot(3 as never)).toThrow('bitwiseNot: x must be a Tensor, got 3 (a number)');
    expect(() => addcmul(x, [1] as never, x)).toThrow(ValueError);
  });
});
