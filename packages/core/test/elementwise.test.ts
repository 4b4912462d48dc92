import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, randn, zeros, ones, gradcheck, gradgradcheck, grad, Generator, primitives,
  DTypeError, ShapeError, ValueError,
  sub, div, pow, minimum, maximum, where, maskedFill, eq, ne, lt, le, gt, ge,
  neg, abs, sign, log, log1p, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, leakyRelu, elu, gelu,
  softplus, erf, clamp,
} from '@tapegrad/core';
import { broadcastRef as broadcastValues } from './broadcast-ref.js';

// ---------------------------------------------------------------- inputs and references

interface InputOptions {
  /** Map x to |x| + 0.5 (for log, sqrt, pow bases, divisors). */
  positive?: boolean;
  /** Keep values at least 0.1 away from these points (kinks of relu, abs, clamp, ...). */
  avoid?: number[];
}

/** A float64 leaf requiring grad, drawn from randn with a fixed seed, optionally moved off kinks. */
function input(shape: number[], seed: number, opts: InputOptions = {}): Tensor {
  const raw = randn(shape, { dtype: 'float64', generator: new Generator(seed) }).data;
  const values = Float64Array.from(raw, (x) => {
    if (opts.positive) return Math.abs(x) + 0.5;
    for (const p of opts.avoid ?? []) if (Math.abs(x - p) < 0.1) x = p + (x >= p ? 0.1 : -0.1);
    return x;
  });
  return tensor(values, { shape, dtype: 'float64', requiresGrad: true });
}

const f64 = (data: number[]) => tensor(data, { dtype: 'float64' });
const i32 = (data: number[]) => tensor(data, { dtype: 'int32' });

/** `f` applied to every element of `x`, computed in plain JS. */
function mapRef(x: Tensor, f: (v: number) => number): Tensor {
  return tensor(Float64Array.from(x.detach().data, f), { shape: x.shape, dtype: 'float64' });
}

/** `f(a, b)` with NumPy broadcasting (see {@link broadcastValues}), as a float64 tensor. */
function broadcastRef(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const { shape, values } = broadcastValues(a, b, f);
  return tensor(Float64Array.from(values), { shape, dtype: 'float64' });
}

/** erf by composite Simpson integration of 2/√π e^(-t²) over [0, x]: an independent reference. */
function erfRef(x: number): number {
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}

const geluRef = (x: number) => 0.5 * x * (1 + erfRef(x / Math.SQRT2));
const geluTanhRef = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const softplusRef = (x: number, beta = 1, threshold = 20) => (beta * x > threshold ? x : Math.log(1 + Math.exp(beta * x)) / beta);

const tight = { rtol: 1e-10, atol: 1e-12 };

// ---------------------------------------------------------------- binary ops

describe('sub', () => {
  it('matches a plain subtraction with broadcasting, alpha and numbers', () => {
    const a = input([2, 1, 3], 1);
    const b = input([4, 1], 2);
    expect(sub(a, b)).toBeAllClose(broadcastRef(a, b, (x, y) => x - y), tight);
    expect(sub(a, b, { alpha: 2.5 })).toBeAllClose(broadcastRef(a, b, (x, y) => x - 2.5 * y), tight);
    expect(sub(10, f64([1, 2]))).toBeAllClose([9, 8]);
    expect(sub(f64([1, 2]), 1, { alpha: 2 })).toBeAllClose([-1, 0]);
  });
  it('passes gradcheck with broadcasting and size-1 dims', () => {
    gradcheck((a, b) => sub(a, b), [input([2, 1, 3], 1), input([4, 1], 2)]);
    gradcheck((a, b) => sub(a, b, { alpha: -1.5 }), [input([3], 3), input([1], 4)]);
    gradcheck((a) => sub(1, a), [input([2, 2], 5)]);
  });
  it('passes gradgradcheck', () => {
    gradgradcheck((a, b) => sub(a, b).mul(a).mul(b), [input([2, 1, 3], 1), input([4, 1], 2)]);
  });
  it('keeps int32 - int32 as int32 and promotes with floats', () => {
    const r = sub(i32([5, 7]), i32([2, 3]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([3, 4]);
    expect(sub(i32([5]), 0.5).dtype).toBe('float32');
    expect(sub(i32([5]), f64([1])).dtype).toBe('float64');
    expect(sub(i32([5]), i32([2]), { alpha: 2 }).toArray()).toEqual([1]);
    expect(() => sub(i32([5]), i32([2]), { alpha: 0.5 })).toThrow(/sub: alpha must be an integer for int32 operands, got 0.5/);
  });
  it('throws on mismatched shapes, naming the op and both shapes', () => {
    expect(() => sub(zeros([2, 3]), zeros([4]))).toThrow(ShapeError);
    expect(() => sub(zeros([2, 3]), zeros([4]))).toThrow(/sub: cannot broadcast shapes \[2,3\] and \[4\]/);
  });
  it('refuses to subtract bool tensors', () => {
    const m = tensor([true, false]);
    expect(() => sub(m, m)).toThrow(DTypeError);
    expect(() => sub(m, m)).toThrow(/sub: .*bool.*\[2\]/);
  });
});

describe('div', () => {
  it('matches plain division with broadcasting and numbers', () => {
    const a = input([2, 1, 3], 1);
    const b = input([4, 1], 2, { positive: true });
    expect(div(a, b)).toBeAllClose(broadcastRef(a, b, (x, y) => x / y), tight);
    expect(div(1, f64([2, 4]))).toBeAllClose([0.5, 0.25]);
    expect(div(f64([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
  });
  it('is true division: int32 / int32 and int32 / 2 give float32', () => {
    const r = div(i32([1, 2, 3]), 2);
    expect(r.dtype).toBe('float32');
    expect(r).toBeAllClose([0.5, 1, 1.5]);
    expect(div(i32([7]), i32([2])).dtype).toBe('float32');
    expect(div(i32([7]), i32([2]))).toBeAllClose([3.5]);
    expect(div(i32([1]), f64([4])).dtype).toBe('float64');
  });
  it('passes gradcheck with broadcasting and size-1 dims', () => {
    gradcheck((a, b) => div(a, b), [input([2, 1, 3], 1), input([4, 1], 2, { avoid: [0] })]);
    gradcheck((a) => div(a, 3), [input([1, 3], 3)]);
    gradcheck((a) => div(2, a), [input([3, 1], 4, { avoid: [0] })]);
  });
  it('passes gradgradcheck', () => {
    gradgradcheck((a, b) => div(a, b), [input([2, 1, 3], 1), input([4, 1], 2, { avoid: [0] })]);
  });
  it('gives the gradients 1/b and -a/b^2', () => {
    const a = tensor([3], { dtype: 'float64', requiresGrad: true });
    const b = tensor([2], { dtype: 'float64', requiresGrad: true });
    div(a, b).sum().backward();
    expect(a.grad!).toBeAllClose([0.5]);
    expect(b.grad!).toBeAllClose([-0.75]);
  });
  it('throws on mismatched shapes, naming the op and both shapes', () => {
    expect(() => div(zeros([2, 3]), zeros([2]))).toThrow(/div: cannot broadcast shapes \[2,3\] and \[2\]/);
  });
});

describe('pow', () => {
  it('matches Math.pow for tensor and number exponents and number bases', () => {
    const a = input([2, 1, 3], 1, { positive: true });
    const b = input([4, 1], 2);
    expect(pow(a, b)).toBeAllClose(broadcastRef(a, b, Math.pow), tight);
    expect(pow(a, 2.5)).toBeAllClose(mapRef(a, (x) => x ** 2.5), tight);
    expect(pow(a, -1)).toBeAllClose(mapRef(a, (x) => 1 / x), tight);
    expect(pow(2, f64([0, 1, 3]))).toBeAllClose([1, 2, 8]);
  });
  it('passes gradcheck in the base for number exponents', () => {
    for (const e of [2, 3, 0.5, -1.5]) gradcheck((x) => pow(x, e), [input([2, 3], 3, { positive: true })]);
    gradcheck((x) => pow(x, 3), [input([2, 3], 4)]);
  });
  it('passes gradcheck in base and exponent with broadcasting', () => {
    gradcheck((x, e) => pow(x, e), [input([2, 1, 3], 1, { positive: true }), input([4, 1], 2)]);
    gradcheck((e) => pow(1.5, e), [input([3], 5)]);
  });
  it('passes gradgradcheck', () => {
    gradgradcheck((x) => pow(x, 3), [input([2, 3], 4)]);
    gradgradcheck((x) => pow(x, -0.5), [input([3], 6, { positive: true })]);
    gradgradcheck((x, e) => pow(x, e), [input([2, 1, 3], 1, { positive: true }), input([4, 1], 2)]);
  });
  it('gives finite gradients at a zero base, as PyTorch', () => {
    // d/dx x^0 = 0 at x = 0 (not 0 * Inf); d/de 0^e = 0 for e >= 0 (log 0 masked).
    const x = tensor([0, 2], { dtype: 'float64', requiresGrad: true });
    pow(x, 0).sum().backward();
    expect(x.grad!).toBeAllClose([0, 0]);
    const b = tensor([0, 2], { dtype: 'float64', requiresGrad: true });
    const e = tensor([2, 0], { dtype: 'float64', requiresGrad: true });
    pow(b, e).sum().backward();
    expect(b.grad!).toBeAllClose([0, 0]);
    expect(e.grad!).toBeAllClose([0, Math.log(2)]);
  });
  it('gets no gradient for a number exponent and keeps int32 for integer powers', () => {
    const x = input([3], 7);
    const [g] = grad(pow(x, 2).sum(), [x]);
    expect(g!).toBeAllClose(x.detach().mul(2), tight);
    expect(pow(i32([2, 3]), 2).dtype).toBe('int32');
    expect(pow(i32([2, 3]), 2).toArray()).toEqual([4, 9]);
    expect(pow(i32([4]), 0.5).dtype).toBe('float32');
    expect(pow(i32([4]), 0.5)).toBeAllClose([2]);
  });
  it('throws for integer tensors to negative integer powers and for mismatched shapes', () => {
    expect(() => pow(i32([2]), -1)).toThrow(ValueError);
    expect(() => pow(i32([2]), -1)).toThrow(/pow: integers to negative integer powers.*\[1\]/);
    expect(() => pow(i32([2, 3]), i32([1, -1]))).toThrow(/pow: integers to negative integer powers .*exponent of shape \[2\]/);
    expect(() => pow(2, i32([-1]))).toThrow(ValueError);
    expect(pow(i32([2, 3]), i32([0, 2])).toArray()).toEqual([1, 9]);
    expect(() => pow(ones([2, 3]), ones([3, 2]))).toThrow(/pow: cannot broadcast shapes \[2,3\] and \[3,2\]/);
  });
});

describe('minimum', () => {
  it('matches Math.min with broadcasting, and propagates NaN', () => {
    const a = input([2, 1, 3], 1);
    const b = input([4, 1], 2);
    expect(minimum(a, b)).toBeAllClose(broadcastRef(a, b, Math.min), tight);
    expect(minimum(f64([1, NaN, 3]), f64([2, 0, NaN]))).toBeAllClose([1, NaN, NaN]);
    expect(minimum(i32([1, 5]), i32([3, 2])).dtype).toBe('int32');
  });
  it('passes gradcheck and gradgradcheck with broadcasting', () => {
    gradcheck((a, b) => minimum(a, b), [input([2, 1, 3], 1), input([4, 1], 2)]);
    gradgradcheck((a, b) => minimum(a, b).mul(a), [input([2, 1, 3], 1), input([4, 1], 2)]);
  });
  it('sends the gradient to the smaller input and splits ties half and half', () => {
    const a = tensor([1, 2, 5], { requiresGrad: true });
    const b = tensor([1, 3, 4], { requiresGrad: true });
    minimum(a, b).sum().backward();
    expect(a.grad!).toBeAllClose([0.5, 1, 0]);
    expect(b.grad!).toBeAllClose([0.5, 0, 1]);
  });
  it('throws on mismatched shapes, naming the op and both shapes', () => {
    expect(() => minimum(zeros([2]), zeros([3]))).toThrow(/minimum: cannot broadcast shapes \[2\] and \[3\]/);
  });
});

describe('maximum', () => {
  it('matches Math.max with broadcasting, numbers and NaN', () => {
    const a = input([2, 1, 3], 1);
    const b = input([4, 1], 2);
    expect(maximum(a, b)).toBeAllClose(broadcastRef(a, b, Math.max), tight);
    expect(maximum(f64([-1, 2]), 0)).toBeAllClose([0, 2]);
    expect(maximum(f64([NaN]), 0)).toBeAllClose([NaN]);
  });
  it('passes gradcheck and gradgradcheck with broadcasting', () => {
    gradcheck((a, b) => maximum(a, b), [input([2, 1, 3], 1), input([4, 1], 2)]);
    gradgradcheck((a, b) => maximum(a, b).mul(b), [input([2, 1, 3], 1), input([4, 1], 2)]);
  });
  it('sends the gradient to the larger input and splits ties half and half', () => {
    const a = tensor([1, 2, 5], { requiresGrad: true });
    const b = tensor([1, 3, 4], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(a.grad!).toBeAllClose([0.5, 0, 1]);
    expect(b.grad!).toBeAllClose([0.5, 1, 0]);
  });
  it('throws on mismatched shapes, naming the op and both shapes', () => {
    expect(() => maximum(zeros([2, 2]), zeros([3]))).toThrow(/maximum: cannot broadcast shapes \[2,2\] and \[3\]/);
  });
});

describe('where', () => {
  const cond = tensor([[true, false, true]]); // [1, 3]
  it('picks from a where the condition holds, with broadcasting of all three', () => {
    const a = input([2, 1, 1], 1);
    const b = input([4, 1], 2);
    const out = where(cond, a, b);
    expect(out.shape).toEqual([2, 4, 3]);
    const ad = a.detach().data;
    const bd = b.detach().data;
    const c = [true, false, true];
    const ref: number[][][] = [0, 1].map((i) => [0, 1, 2, 3].map((j) => [0, 1, 2].map((k) => (c[k] ? ad[i]! : bd[j]!))));
    expect(out).toBeAllClose(ref, tight);
    expect(where(cond, 1, 0).toArray()).toEqual([[1, 0, 1]]);
  });
  it('passes gradcheck and gradgradcheck with broadcasting', () => {
    gradcheck((a, b) => where(cond, a, b), [input([2, 1, 1], 1), input([4, 1], 2)]);
    gradcheck((a) => where(cond, a, 0), [input([2, 3], 3)]);
    gradgradcheck((a, b) => where(cond, a, b).mul(a), [input([2, 1, 3], 1), input([4, 1], 2)]);
  });
  it('promotes the dtypes of a and b', () => {
    expect(where(cond, i32([1, 2, 3]), i32([4, 5, 6])).dtype).toBe('int32');
    expect(where(cond, i32([1, 2, 3]), tensor([4, 5, 6])).dtype).toBe('float32');
    expect(where(cond, f64([1, 2, 3]), 0).dtype).toBe('float64');
    expect(where(cond, i32([1, 2, 3]), 0.5).dtype).toBe('float32');
  });
  it('throws for a non-bool condition and for shapes that do not broadcast', () => {
    expect(() => where(tensor([1, 0]), 1, 0)).toThrow(DTypeError);
    expect(() => where(tensor([1, 0]), 1, 0)).toThrow(/where: condition must be a bool tensor, got float32 \(shape \[2\]\)/);
    expect(() => where(tensor([true, false]), zeros([3]), 0)).toThrow(/where: cannot broadcast shapes \[2\] and \[3\] and \[\]/);
  });
});

describe('maskedFill', () => {
  it('fills the masked places and keeps the shape and dtype of x', () => {
    const x = f64([1, 2, 3]);
    expect(maskedFill(x, x.gt(1), -1)).toBeAllClose([1, -1, -1]);
    const m = maskedFill(i32([1, 2, 3]), tensor([true, false, false]), 9);
    expect(m.dtype).toBe('int32');
    expect(m.toArray()).toEqual([9, 2, 3]);
    expect(maskedFill(zeros([2, 3]), tensor([true, false, true]), 5)).toBeAllClose([[5, 0, 5], [5, 0, 5]]);
  });
  it('passes gradcheck and gives 0 gradient at the filled places', () => {
    const mask = tensor([[false], [true]]);
    gradcheck((a) => maskedFill(a, mask, 0.5), [input([2, 3], 1)]);
    const x = input([2, 3], 2);
    maskedFill(x, mask, 0).sum().backward();
    expect(x.grad!).toBeAllClose([[1, 1, 1], [0, 0, 0]]);
    gradgradcheck((a) => maskedFill(a, mask, 0).mul(a), [input([2, 3], 3)]);
  });
  it('throws for a non-bool mask or a mask larger than x', () => {
    expect(() => maskedFill(zeros([3]), i32([1, 0, 1]), 0)).toThrow(/maskedFill: mask must be a bool tensor, got int32 \(shape \[3\]\)/);
    expect(() => maskedFill(zeros([3]), tensor([[true], [false]]), 0)).toThrow(
      /maskedFill: mask of shape \[2,1\] cannot be broadcast to x of shape \[3\]/,
    );
  });
});

describe('comparisons', () => {
  const cases: Array<[string, (a: Tensor | number, b: Tensor | number) => Tensor, (x: number, y: number) => boolean]> = [
    ['eq', eq, (x, y) => x === y],
    ['ne', ne, (x, y) => x !== y],
    ['lt', lt, (x, y) => x < y],
    ['le', le, (x, y) => x <= y],
    ['gt', gt, (x, y) => x > y],
    ['ge', ge, (x, y) => x >= y],
  ];
  // Ties included on purpose: a is rounded to halves and b has some of the same values.
  const a = f64([0, 0.5, 1, -1, 2, 0.5]).reshape([2, 1, 3]);
  const b = f64([0.5, 1, 0, 2]).reshape([4, 1]);
  for (const [name, op, ref] of cases) {
    it(`${name} matches the JS comparison with broadcasting and gives a bool tensor`, () => {
      const out = op(a, b);
      expect(out.dtype).toBe('bool');
      expect(out).toBeAllClose(broadcastRef(a, b, (x, y) => (ref(x, y) ? 1 : 0)));
      expect(op(a, 0.5)).toBeAllClose(broadcastRef(a, f64([0.5]), (x, y) => (ref(x, y) ? 1 : 0)));
    });
  }
  it('are not differentiable: the result does not require grad', () => {
    const x = input([3], 1);
    const r = gt(x, 0);
    expect(r.requiresGrad).toBe(false);
    expect(r.gradFn).toBeNull();
    expect(x.lt(x.mul(2)).requiresGrad).toBe(false);
  });
  it('promote before comparing: a float32 tensor equals the number it was made from', () => {
    expect(eq(tensor([0.1]), 0.1).toArray()).toEqual([true]);
    expect(lt(i32([1, 2]), 1.5).toArray()).toEqual([true, false]);
    expect(ne(f64([NaN]), f64([NaN])).toArray()).toEqual([true]);
  });
  it('throw on mismatched shapes, naming the op and both shapes', () => {
    expect(() => ge(zeros([2, 3]), zeros([4]))).toThrow(/ge: cannot broadcast shapes \[2,3\] and \[4\]/);
    expect(() => eq(zeros([2]), zeros([3]))).toThrow(/eq: cannot broadcast shapes \[2\] and \[3\]/);
  });
});

// ---------------------------------------------------------------- unary ops

interface UnaryCase {
  name: string;
  fn: (x: Tensor) => Tensor;
  ref: (x: number) => number;
  inputs?: InputOptions;
  /** Piecewise linear (zero second derivative): gradgradcheck goes through `fn(x) * x`. */
  linear?: boolean;
  /** Forward tolerance (default `tight`). */
  tol?: { rtol: number; atol: number };
  extra?: () => void;
}

const unaryCases: UnaryCase[] = [
  {
    name: 'neg', fn: neg, ref: (x) => -x, linear: true,
    extra: () => {
      it('keeps int32 and refuses bool', () => {
        expect(neg(i32([1, -2])).dtype).toBe('int32');
        expect(() => neg(tensor([true]))).toThrow(/neg: .*bool.*\[1\]/);
      });
    },
  },
  {
    name: 'abs', fn: abs, ref: Math.abs, inputs: { avoid: [0] }, linear: true,
    extra: () => {
      it('keeps int32 and has gradient 0 at 0', () => {
        expect(abs(i32([-3, 2])).toArray()).toEqual([3, 2]);
        const x = tensor([0, -2, 3], { requiresGrad: true });
        abs(x).sum().backward();
        expect(x.grad!).toBeAllClose([0, -1, 1]);
      });
    },
  },
  {
    name: 'sign', fn: sign, ref: Math.sign, inputs: { avoid: [0] }, linear: true,
    extra: () => {
      it('keeps int32, maps 0 to 0 and has a zero gradient', () => {
        expect(sign(i32([-3, 0, 2])).toArray()).toEqual([-1, 0, 1]);
        const x = input([4], 9);
        const [g] = grad(sign(x).sum(), [x]);
        expect(g!).toBeAllClose([0, 0, 0, 0]);
      });
    },
  },
  { name: 'log', fn: log, ref: Math.log, inputs: { positive: true } },
  {
    name: 'log1p', fn: log1p, ref: Math.log1p, inputs: { positive: true },
    extra: () => {
      it('is accurate near 0', () => {
        expect(log1p(f64([1e-12, -1e-12]))).toBeAllClose([1e-12 - 5e-25, -1e-12 - 5e-25], { rtol: 1e-12, atol: 0 });
      });
    },
  },
  { name: 'sqrt', fn: sqrt, ref: Math.sqrt, inputs: { positive: true } },
  { name: 'rsqrt', fn: rsqrt, ref: (x) => 1 / Math.sqrt(x), inputs: { positive: true } },
  { name: 'sin', fn: sin, ref: Math.sin },
  { name: 'cos', fn: cos, ref: Math.cos },
  { name: 'tanh', fn: tanh, ref: Math.tanh },
  {
    name: 'sigmoid', fn: sigmoid, ref: (x) => 1 / (1 + Math.exp(-x)),
    extra: () => {
      it('is exactly 1 and 0 at +-1000 with zero, finite gradients (no NaN)', () => {
        for (const dtype of ['float32', 'float64'] as const) {
          const x = tensor([1000, -1000], { dtype, requiresGrad: true });
          const y = sigmoid(x);
          expect(y.toArray()).toEqual([1, 0]);
          y.sum().backward();
          expect(x.grad!.toArray()).toEqual([0, 0]);
        }
      });
    },
  },
  {
    name: 'relu', fn: relu, ref: (x) => Math.max(x, 0), inputs: { avoid: [0] }, linear: true,
    extra: () => {
      it('keeps int32, passes NaN and has gradient 0 at 0', () => {
        expect(relu(i32([-2, 3])).dtype).toBe('int32');
        expect(relu(f64([NaN, -0.5]))).toBeAllClose([NaN, 0]);
        const x = tensor([0, -1, 2], { requiresGrad: true });
        relu(x).sum().backward();
        expect(x.grad!).toBeAllClose([0, 0, 1]);
      });
    },
  },
  {
    name: 'leakyRelu', fn: (x) => leakyRelu(x, 0.1), ref: (x) => (x > 0 ? x : 0.1 * x), inputs: { avoid: [0] }, linear: true,
    extra: () => {
      it('uses a negative slope of 0.01 by default and computes ints in float32', () => {
        expect(leakyRelu(f64([-2, 3]))).toBeAllClose([-0.02, 3]);
        const r = leakyRelu(i32([-100, 3]));
        expect(r.dtype).toBe('float32');
        expect(r).toBeAllClose([-1, 3]);
      });
    },
  },
  {
    name: 'elu', fn: (x) => elu(x, 1.5), ref: (x) => (x > 0 ? x : 1.5 * (Math.exp(x) - 1)), inputs: { avoid: [0] },
    extra: () => {
      it('uses alpha = 1 by default and tends to -alpha', () => {
        expect(elu(f64([-1, 2, -50]))).toBeAllClose([Math.exp(-1) - 1, 2, -1], tight);
      });
    },
  },
  {
    name: 'gelu', fn: gelu, ref: geluRef, tol: { rtol: 1e-9, atol: 1e-11 },
    extra: () => {
      it('has a tanh approximation matching its formula, with gradients of both orders', () => {
        const x = input([2, 3], 11);
        expect(gelu(x, { approximate: 'tanh' })).toBeAllClose(mapRef(x, geluTanhRef), tight);
        gradcheck((a) => gelu(a, { approximate: 'tanh' }), [input([2, 3], 12)]);
        gradgradcheck((a) => gelu(a, { approximate: 'tanh' }), [input([2, 3], 13)]);
      });
      it('is x for large x and 0 for very negative x, with finite gradients', () => {
        for (const approximate of ['none', 'tanh'] as const) {
          const x = tensor([40, -40, 1000, -1000], { dtype: 'float64', requiresGrad: true });
          const y = gelu(x, { approximate });
          expect(y).toBeAllClose([40, 0, 1000, 0]);
          y.sum().backward();
          expect(x.grad!).toBeAllClose([1, 0, 1, 0]);
        }
      });
      it('rejects an unknown approximation', () => {
        expect(() => gelu(zeros([1]), { approximate: 'fast' as 'tanh' })).toThrow(/gelu: option approximate must be 'none' or 'tanh', got 'fast'/);
      });
    },
  },
  {
    name: 'softplus', fn: softplus, ref: (x) => softplusRef(x),
    extra: () => {
      it('is 1000 at 1000 and 0 at -1000, with gradients 1 and 0 (no NaN)', () => {
        for (const dtype of ['float32', 'float64'] as const) {
          const x = tensor([1000, -1000], { dtype, requiresGrad: true });
          const y = softplus(x);
          expect(y.toArray()).toEqual([1000, 0]);
          y.sum().backward();
          expect(x.grad!.toArray()).toEqual([1, 0]);
        }
      });
      it('honours beta and threshold', () => {
        const x = f64([-1, 0.5, 2, 3]);
        expect(softplus(x, { beta: 2, threshold: 5 })).toBeAllClose(mapRef(x, (v) => softplusRef(v, 2, 5)), tight);
        gradcheck((a) => softplus(a, { beta: 2 }), [input([2, 3], 14)]);
        gradgradcheck((a) => softplus(a, { beta: 0.5 }), [input([2, 3], 15)]);
        expect(() => softplus(x, { beta: 0 })).toThrow(/softplus: beta must be a non-zero number, got 0/);
      });
    },
  },
  {
    name: 'erf', fn: erf, ref: erfRef, tol: { rtol: 1e-9, atol: 1e-11 },
    extra: () => {
      it('matches the integral on both sides of the kernel switch at 2.5 and saturates', () => {
        const x = f64([-4, -2.6, -2.4, 0.01, 1, 2.4999, 2.5001, 3.5, 5.5]);
        expect(erf(x)).toBeAllClose(mapRef(x, erfRef), { rtol: 1e-10, atol: 1e-12 });
        expect(erf(f64([-10, 30]))).toBeAllClose([-1, 1], tight);
      });
    },
  },
  {
    name: 'clamp', fn: (x) => clamp(x, -0.5, 0.7), ref: (x) => Math.min(Math.max(x, -0.5), 0.7), inputs: { avoid: [-0.5, 0.7] }, linear: true,
    extra: () => {
      it('clamps on one side when the other bound is omitted', () => {
        const x = input([2, 3], 16, { avoid: [0.2] });
        expect(clamp(x, 0.2)).toBeAllClose(mapRef(x, (v) => Math.max(v, 0.2)), tight);
        expect(clamp(x, null, 0.2)).toBeAllClose(mapRef(x, (v) => Math.min(v, 0.2)), tight);
        gradcheck((a) => clamp(a, 0.2), [x]);
        gradcheck((a) => clamp(a, undefined, 0.2), [x]);
      });
      it('passes the gradient on the boundaries, as PyTorch', () => {
        const x = tensor([-1, 0, 0.5, 1, 2], { requiresGrad: true });
        clamp(x, 0, 1).sum().backward();
        expect(x.grad!).toBeAllClose([0, 1, 1, 1, 0]);
      });
      it('keeps int32 for integer bounds, promotes for fractional ones, gives max when min > max', () => {
        expect(clamp(i32([-5, 5]), 0, 3).dtype).toBe('int32');
        expect(clamp(i32([-5, 5]), 0, 3).toArray()).toEqual([0, 3]);
        expect(clamp(i32([-5, 5]), 0.5).dtype).toBe('float32');
        expect(clamp(f64([-1, 0, 1]), 2, 1)).toBeAllClose([1, 1, 1]);
        expect(clamp(f64([NaN]), 0, 1)).toBeAllClose([NaN]);
      });
      it('throws when neither bound is given', () => {
        expect(() => clamp(zeros([3]))).toThrow(/clamp: at least one of min and max must be given \(shape \[3\]\)/);
        expect(() => clamp(zeros([3]), {})).toThrow(/clamp: at least one of min and max must be given \(shape \[3\]\)/);
      });
      it('takes the bounds as options too, as PyTorch code writes x.clamp(min=0)', () => {
        const x = f64([-2, 0.5, 3]);
        expect(clamp(x, { min: 0 })).toBeAllClose([0, 0.5, 3]);
        expect(x.clamp({ max: 1 })).toBeAllClose([-2, 0.5, 1]);
        expect(x.clamp({ min: -1, max: 1 })).toBeAllClose(clamp(x, -1, 1));
        expect(x.clamp({ min: null, max: 1 })).toBeAllClose([-2, 0.5, 1]);
        expect(clamp(i32([-5, 5]), { min: 0 }).dtype).toBe('int32');
        expect(f64([-2, 0.5, 3]).clamp_({ min: 0 })).toBeAllClose([0, 0.5, 3]);
        expect(f64([-2, 0.5, 3]).clamp_({ max: 0 })).toBeAllClose([-2, 0, 0]);
        const g = input([2, 3], 17, { avoid: [0.2] });
        gradcheck((a) => clamp(a, { min: 0.2 }), [g]);
      });
      it('takes tensor bounds, broadcast against x, with gradients to x and to the bounds', () => {
        const x = f64([-2, 0.5, 3, NaN]);
        expect(clamp(x, { min: f64([-1, 1, 0, 0]) })).toBeAllClose([-1, 1, 3, NaN]);
        expect(clamp(x, { min: f64([0]), max: 2 })).toBeAllClose([0, 0.5, 2, NaN]);
        expect(clamp(x, f64([NaN]))).toBeAllClose([NaN, NaN, NaN, NaN]);
        expect(clamp(tensor([[-2, 3]]), { max: tensor([[0], [1]]) }).toArray()).toEqual([[-2, 0], [-2, 1]]);
        const a = input([2, 3], 18, { avoid: [0] });
        const lo = input([3], 19);
        const hi = lo.detach().add(1).requiresGrad_();
        gradcheck((p, q, r) => clamp(p, { min: q, max: r }), [a, lo, hi]);
      });
      it('refuses a wrongly typed bound and bounds given both ways, naming the function', () => {
        const x = zeros([3]);
        expect(() => clamp(x, { min: '0' } as never)).toThrow(ValueError);
        expect(() => clamp(x, { min: '0' } as never)).toThrow("clamp: option min must be a number, a tensor or null, got '0' (a string)");
        expect(() => clamp(x, { mni: 0 } as never)).toThrow(/clamp: unknown option 'mni' \(did you mean 'min'\?\)/);
        expect(() => clamp(x, { min: 0 }, 1)).toThrow(/clamp: pass the bounds either positionally/);
        expect(() => clamp(x, [0] as never)).toThrow('clamp: min must be a number, a Tensor or null, got an array [0]');
        expect(() => x.clamp_({ min: x } as never)).toThrow('clamp_: option min must be a number or null, got a Tensor');
        expect(() => x.clamp_([0] as never)).toThrow('clamp_: min must be a number or null, got an array [0]');
      });
    },
  },
];

for (const c of unaryCases) {
  describe(c.name, () => {
    it('matches the Math reference on float64 inputs, also on a transposed view', () => {
      const x = input([2, 1, 3], 1, c.inputs);
      expect(c.fn(x)).toBeAllClose(mapRef(x, c.ref), c.tol ?? tight);
      const y = input([3, 4], 2, c.inputs);
      expect(c.fn(y.T)).toBeAllClose(mapRef(y.T, c.ref), c.tol ?? tight);
    });
    it('passes gradcheck, with size-1 dims and a strided input', () => {
      gradcheck((a) => c.fn(a), [input([2, 1, 3], 3, c.inputs)]);
      gradcheck((a) => c.fn(a.T), [input([3, 2], 4, c.inputs)]);
    });
    it('passes gradgradcheck', () => {
      const x = input([2, 3], 5, c.inputs);
      if (c.linear) gradgradcheck((a) => c.fn(a).mul(a), [x]);
      else gradgradcheck((a) => c.fn(a), [x]);
    });
    it('computes integer inputs in float32 or keeps int32, as PyTorch', () => {
      // clamp keeps int32 too, but the bounds used here are fractional (see its own test).
      const keepsInt = ['neg', 'abs', 'sign', 'relu'].includes(c.name);
      expect(c.fn(i32([1, 2])).dtype).toBe(keepsInt ? 'int32' : 'float32');
      expect(c.fn(f64([1, 2])).dtype).toBe('float64');
      expect(c.fn(tensor([1, 2])).dtype).toBe('float32');
    });
    c.extra?.();
  });
}

// ---------------------------------------------------------------- Tensor methods and registry

describe('Tensor methods', () => {
  it('delegate to the element-wise ops', () => {
    const x = input([2, 3], 21, { positive: true });
    const y = input([3], 22, { positive: true });
    const same = (a: Tensor, b: Tensor) => expect(a).toBeAllClose(b, tight);
    same(x.sub(y, { alpha: 2 }), sub(x, y, { alpha: 2 }));
    same(x.div(y), div(x, y));
    same(x.pow(y), pow(x, y));
    same(x.minimum(y), minimum(x, y));
    same(x.maximum(y), maximum(x, y));
    same(x.maskedFill(x.gt(1), 0), maskedFill(x, gt(x, 1), 0));
    for (const m of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) expect(x[m](1).dtype).toBe('bool');
    same(x.neg(), neg(x));
    same(x.abs(), abs(x));
    same(x.sign(), sign(x));
    same(x.log(), log(x));
    same(x.log1p(), log1p(x));
    same(x.sqrt(), sqrt(x));
    same(x.rsqrt(), rsqrt(x));
    same(x.sin(), sin(x));
    same(x.cos(), cos(x));
    same(x.tanh(), tanh(x));
    same(x.sigmoid(), sigmoid(x));
    same(x.relu(), relu(x));
    same(x.leakyRelu(0.2), leakyRelu(x, 0.2));
    same(x.elu(), elu(x));
    same(x.gelu({ approximate: 'tanh' }), gelu(x, { approximate: 'tanh' }));
    same(x.softplus({ beta: 2 }), softplus(x, { beta: 2 }));
    same(x.erf(), erf(x));
    same(x.clamp(0.8, 1.2), clamp(x, 0.8, 1.2));
  });
  it('sigmoid and tanh have fused gradients whose derivatives of order 2 and 3 match the closed forms', () => {
    const x = tensor([-2, -0.3, 0, 0.7, 3], { dtype: 'float64', requiresGrad: true });
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const sig = { fn: sigmoid, d: [(v: number) => s(v) * (1 - s(v)), (v: number) => s(v) * (1 - s(v)) * (1 - 2 * s(v)), (v: number) => s(v) * (1 - s(v)) * (1 - 6 * s(v) + 6 * s(v) ** 2)] };
    const t = Math.tanh;
    const th = { fn: tanh, d: [(v: number) => 1 - t(v) ** 2, (v: number) => -2 * t(v) * (1 - t(v) ** 2), (v: number) => (1 - t(v) ** 2) * (6 * t(v) ** 2 - 2)] };
    for (const { fn, d } of [sig, th]) {
      let y = fn(x);
      for (const dk of d) {
        [y] = grad(y.sum(), [x], { createGraph: true }) as [Tensor];
        expect(y).toBeAllClose((x.toArray() as number[]).map(dk), { rtol: 1e-12, atol: 1e-14 });
      }
    }
  });

  it('chain into a differentiable expression', () => {
    gradcheck((a, b) => a.sub(b).sigmoid().mul(a.div(b).tanh()).sum(), [input([2, 3], 23), input([3], 24, { positive: true })]);
  });
});

describe('primitives registry', () => {
  it('registers every element-wise primitive as twice differentiable', () => {
    const names = [
      'sub', 'div', 'pow', 'minimum', 'maximum', 'where', 'neg', 'abs', 'sign', 'log', 'log1p', 'sqrt', 'rsqrt',
      'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'leakyRelu', 'elu', 'gelu', 'softplus', 'erf', 'clamp',
      'sigmoidBackward', 'tanhBackward',
    ];
    for (const n of names) expect(primitives().get(n)?.twiceDifferentiable, n).toBe(true);
  });
});
