import { describe, expect, it } from 'vitest';
import type { BinaryOp, UnaryOp, View } from '../src/kernels/backend.js';
import { jsBackend } from '../src/kernels/js/index.js';
import { makeView } from '../src/kernels/view.js';

// The js elementwise kernels run operands that walk their storage in order (or stand still) as
// one run of the op's loop, and cut everything else into runs along the innermost dim. Both must
// give the same values: each case is computed once from a row-major view at an offset (one run)
// and once from a transposed layout holding the same logical values (runs by the odometer).

const R = 3;
const C = 4;

/** Logical [R, C] values, as a row-major view at offset 2 and as a column-major view. */
function layouts(values: number[]): { flat: View; strided: View } {
  const rowMajor = new Float64Array(2 + R * C);
  const colMajor = new Float64Array(R * C);
  values.forEach((v, k) => {
    rowMajor[2 + k] = v;
    colMajor[(k % C) * R + Math.floor(k / C)] = v;
  });
  return { flat: makeView(rowMajor, [R, C], [C, 1], 2), strided: makeView(colMajor, [R, C], [1, R], 0) };
}

const xs = [-2.5, -1, -0.25, 0, 0.3, 0.5, 1, 1.7, 3, NaN, -Infinity, 40];
const ys = [1.5, -2, 0.5, 3, 0, -0.7, 2, 1.7, NaN, 1, 2, -3];
const unaryOps: Array<[UnaryOp, number?, number?]> = [
  ['neg'], ['abs'], ['sign'], ['exp'], ['log'], ['log1p'], ['sqrt'], ['rsqrt'], ['sin'], ['cos'], ['tanh'],
  ['sigmoid'], ['relu'], ['erf'], ['leakyRelu', 0.1], ['elu', 1.5], ['softplus', 2, 20], ['gelu'], ['geluTanh'],
  ['clamp', -1, 1], ['step'], ['isnan'],
];
const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'minimum', 'maximum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'reluBackward', 'geluGrad', 'geluTanhGrad', 'sigmoidBackward', 'tanhBackward'];

describe('js elementwise kernels', () => {
  it('give the same values as one run and as strided runs for every unary op', () => {
    const x = layouts(xs);
    for (const [op, p0, p1] of unaryOps) {
      const flat = Array.from(jsBackend.unary(op, x.flat, 'float64', p0, p1).data);
      const strided = Array.from(jsBackend.unary(op, x.strided, 'float64', p0, p1).data);
      expect(flat, op).toEqual(strided);
    }
  });

  it('give the same values as one run and as strided runs for every binary op, also with a broadcast scalar', () => {
    const a = layouts(xs);
    const b = layouts(ys);
    // A broadcast scalar: stride 0 in every dim.
    const s = makeView(Float64Array.of(0, 0.75), [R, C], [0, 0], 1);
    for (const op of binaryOps) {
      const out = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op) ? 'bool' : 'float64';
      const flat = Array.from(jsBackend.binary(op, a.flat, b.flat, out).data);
      expect(flat, op).toEqual(Array.from(jsBackend.binary(op, a.strided, b.strided, out).data));
      const flatScalar = Array.from(jsBackend.binary(op, a.flat, s, out).data);
      expect(flatScalar, `${op} with a scalar`).toEqual(Array.from(jsBackend.binary(op, a.strided, s, out).data));
    }
  });

  it('give the same values as one run and as strided runs for where', () => {
    const cond = (v: View) => jsBackend.binary('gt', v, makeView(Float64Array.of(0), [R, C], [0, 0], 0), 'bool');
    const a = layouts(xs);
    const b = layouts(ys);
    const flat = Array.from(jsBackend.where(cond(a.flat), a.flat, b.flat, 'float64').data);
    expect(flat).toEqual(Array.from(jsBackend.where(cond(a.strided), a.strided, b.strided, 'float64').data));
    expect(flat.slice(0, 6)).toEqual([1.5, -2, 0.5, 3, 0.3, 0.5]);
  });

  it('walk views of rank 0 to 6 with any strides, offsets and broadcast dims, as the index formula says', () => {
    const storage = Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i * 0.37) * 3);
    const shapes = [[], [7], [3, 5], [2, 1, 4], [2, 3, 2, 3], [2, 2, 1, 3, 2], [2, 1, 2, 3, 1, 2]];
    for (const shape of shapes) {
      // a permuted, stepped layout at an offset, and one with stride 0 on every other dim
      const rev = shape.map((_, i) => shape.slice(0, i).reduce((p, d) => p * d, 1) * 2);
      const a = makeView(storage, shape, rev, 5);
      const b = makeView(storage, shape, rev.map((st, i) => (i % 2 === 0 ? 0 : st + 1)), 11);
      const dense = (v: View) => logical(v);
      const label = JSON.stringify(shape);
      expect(Array.from(jsBackend.binary('sub', a, b, 'float64').data), label).toEqual(dense(a).map((x, i) => x - dense(b)[i]!));
      expect(Array.from(jsBackend.unary('tanh', a, 'float64').data), label).toEqual(dense(a).map(Math.tanh));
      const cond = jsBackend.binary('gt', a, b, 'bool');
      expect(Array.from(jsBackend.where(cond, a, b, 'float64').data), label).toEqual(dense(a).map((x, i) => (x > dense(b)[i]! ? x : dense(b)[i]!)));
    }
  });

  it('update and fill strided destinations in place, touching nothing else', () => {
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum'] as const) {
      const data = Float64Array.from({ length: 40 }, (_, i) => i + 1);
      // rows 1 and 3 of a [5, 8] matrix, every other column, transposed: [4, 2]
      const dst = makeView(data, [4, 2], [2, 16], 9);
      const src = makeView(Float64Array.of(0.5, -2), [4, 2], [0, 1], 0);
      const before = logical(dst);
      const f = { add: (x: number, y: number) => x + 3 * y, sub: (x: number, y: number) => x - 3 * y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y, maximum: Math.max }[op];
      jsBackend.binaryInPlace(op, dst, src, 3);
      expect(logical(dst), op).toEqual(before.map((x, i) => f(x, [0.5, -2][i % 2]!)));
      const touched = new Set([9, 25, 11, 27, 13, 29, 15, 31]);
      expect(Array.from(data).filter((_, i) => !touched.has(i)), op).toEqual(Array.from({ length: 40 }, (_, i) => i + 1).filter((_, i) => !touched.has(i)));
    }
    const data = new Float32Array(12);
    jsBackend.fill(makeView(data, [2, 3], [1, 4], 1), 7);
    expect(Array.from(data)).toEqual([0, 7, 7, 0, 0, 7, 7, 0, 0, 7, 7, 0]);
  });
});

/** The elements of `v` in row-major order of its index (any strides). */
function logical(v: View): number[] {
  const out: number[] = [];
  const walk = (d: number, at: number): void => {
    if (d === v.shape.length) out.push(v.data[at]!);
    else for (let i = 0; i < v.shape[d]!; i++) walk(d + 1, at + i * v.stride[d]!);
  };
  walk(0, v.offset);
  return out;
}
