import { describe, expect, it } from 'vitest';
import type { BinaryOp, UnaryOp, View } from '../src/kernels/backend.js';
import { jsBackend } from '../src/kernels/js/index.js';
import { makeView } from '../src/kernels/view.js';

// The js elementwise kernels run small operands that walk their storage in order (or stand
// still) through a flat loop, and everything else through cwise. Both must give the same values:
// each case is computed once from a row-major view at an offset (flat loop) and once from a
// transposed layout holding the same logical values (cwise).

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
const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'minimum', 'maximum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'reluBackward'];

describe('js elementwise kernels', () => {
  it('give the same values through the flat loop and through cwise for every unary op', () => {
    const x = layouts(xs);
    for (const [op, p0, p1] of unaryOps) {
      const flat = Array.from(jsBackend.unary(op, x.flat, 'float64', p0, p1).data);
      const strided = Array.from(jsBackend.unary(op, x.strided, 'float64', p0, p1).data);
      expect(flat, op).toEqual(strided);
    }
  });

  it('give the same values through the flat loop and through cwise for every binary op, also with a broadcast scalar', () => {
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

  it('give the same values through the flat loop and through cwise for where', () => {
    const cond = (v: View) => jsBackend.binary('gt', v, makeView(Float64Array.of(0), [R, C], [0, 0], 0), 'bool');
    const a = layouts(xs);
    const b = layouts(ys);
    const flat = Array.from(jsBackend.where(cond(a.flat), a.flat, b.flat, 'float64').data);
    expect(flat).toEqual(Array.from(jsBackend.where(cond(a.strided), a.strided, b.strided, 'float64').data));
    expect(flat.slice(0, 6)).toEqual([1.5, -2, 0.5, 3, 0.3, 0.5]);
  });
});
