import { describe, expect, it } from 'vitest';
import { makeView as ndarray } from '../src/kernels/view.js'; // ndarray(data, shape, stride?, offset?)
import type { UnaryOp } from '../src/kernels/backend.js';
import { wasmBackend } from '../src/kernels/wasm/index.js';

// Accuracy of the vectorised float32 exp, log, tanh and sigmoid (assembly/vmath.ts) against
// float64 Math, in units in the last place of the float32 result. Documented bounds:
// exp, log <= 1 ulp; tanh <= 2 ulp; sigmoid <= 3 ulp.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** |a - b| in ulps of float32 at b (b exact, in float64). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  f32[0] = Math.abs(b);
  const lo = f32[0]! <= Math.abs(b) ? f32[0]! : (u32[0]!--, f32[0]!);
  u32[0]!++;
  const ulp = f32[0]! - lo || 1.4e-45;
  return Math.abs(a - b) / ulp;
}

function worstUlps(op: UnaryOp, xs: Float32Array, ref: (x: number) => number): number {
  const y = wasmBackend.unary(op, ndarray(xs, [xs.length]), 'float32').data;
  let worst = 0;
  for (let i = 0; i < xs.length; i++) worst = Math.max(worst, ulps(y[i]!, ref(xs[i]!)));
  return worst;
}

function linspace(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

describe('wasm vector math', () => {
  it('exp is within 1 ulp on [-87, 88.7] and keeps subnormal results', () => {
    expect(worstUlps('exp', linspace(-87, 88.7, 20001), Math.exp)).toBeLessThanOrEqual(1);
    const y = wasmBackend.unary('exp', ndarray(Float32Array.from([-100, -103, -110, 89, 88.72, ...new Array(59).fill(0)]), [64]), 'float32').data;
    // e^-100 = 3.7e-44 is subnormal in float32: within one subnormal step (1.4e-45)
    expect(Math.abs(y[0]! - Math.exp(-100))).toBeLessThanOrEqual(1.5e-45);
    expect(y[1]).toBeGreaterThan(0);
    expect(y[2]).toBe(0);
    expect(y[3]).toBe(Infinity);
    expect(Number.isFinite(y[4]!)).toBe(true);
  });
  it('log is within 1 ulp from 1e-38 to 1e38, and on subnormals', () => {
    const xs = Float32Array.from({ length: 20001 }, (_, i) => Math.exp(-87 + (174 * i) / 20000));
    expect(worstUlps('log', xs, Math.log)).toBeLessThanOrEqual(1);
    expect(worstUlps('log', linspace(0.5, 2, 5001), Math.log)).toBeLessThanOrEqual(1);
    expect(worstUlps('log', Float32Array.from([1e-40, 1e-45, 3e-39, 5e-42]), Math.log)).toBeLessThanOrEqual(1);
  });
  it('tanh is within 2 ulp on [-10, 10]', () => {
    expect(worstUlps('tanh', linspace(-10, 10, 20001), Math.tanh)).toBeLessThanOrEqual(2);
    expect(worstUlps('tanh', linspace(-1e-3, 1e-3, 2001), Math.tanh)).toBeLessThanOrEqual(2);
  });
  it('sigmoid is within 3 ulp on [-80, 40]', () => {
    expect(worstUlps('sigmoid', linspace(-80, 40, 20001), (x) => 1 / (1 + Math.exp(-x)))).toBeLessThanOrEqual(3);
  });
  it('maps NaN to NaN and the ends of the range to their limits', () => {
    const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, -1, ...new Array(58).fill(1)]);
    const run = (op: UnaryOp) => Array.from(wasmBackend.unary(op, ndarray(xs, [64]), 'float32').data.slice(0, 6));
    expect(run('exp')).toEqual([NaN, Infinity, 0, 1, 1, Math.fround(Math.exp(-1))]);
    expect(run('log')).toEqual([NaN, Infinity, NaN, -Infinity, -Infinity, NaN]);
    expect(run('tanh').slice(0, 5)).toEqual([NaN, 1, -1, 0, -0]);
    expect(run('sigmoid').slice(0, 5)).toEqual([NaN, 1, 0, 0.5, 0.5]);
  });
});
