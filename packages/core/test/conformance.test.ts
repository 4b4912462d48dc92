import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeView as ndarray } from '../src/kernels/view.js'; // ndarray(data, shape, stride?, offset?)
import {
  Generator, ValueError, randn, setBackend, getBackend, getCpuCapability, setNumThreads, getNumThreads, conv2d, maxPool2d, avgPool2d, where, type Tensor,
} from '@tapegrad/core';
import type { Backend, BinaryOp, Conv2dGeometry, ReduceOp, UnaryOp, View } from '../src/kernels/backend.js';
import { jsBackend } from '../src/kernels/js/index.js';
import { IndexRangeError } from '../src/kernels/index-range-error.js';
import { wasmBackend } from '../src/kernels/wasm/index.js';
import { relaxedSimdSupported, streamRuntime, wasmRuntime } from '../src/kernels/wasm/module.js';
import { startThreads } from '../src/kernels/wasm/threads.js';
import { makeNativeBackend, nativeAddon } from '../src/kernels/native/index.js';

// Conformance: every kernel of the Backend interface on the wasm backend against the JS
// reference, on random shapes, odd sizes (1, 3, 17, 1000), non-contiguous views (transposed,
// offset, strided, broadcast with stride 0) and sizes large enough for the worker pool.
//
// Tolerances (float32): element-wise maps within 2e-6 relative + 1e-6 absolute (the wasm exp,
// log, tanh and sigmoid are within 3 ulp, the reference is float64 math rounded once); sums
// within 1e-5 relative (both accumulate in float64, in different orders); matrix products
// and convolutions within 2e-6 * sqrt(K) * (|a||b| scale) as float32 accumulation order differs.

// The native backend (the addon of @tapegrad/native) when it was built here, over the wasm
// kernels as core makes it; its conformance is skipped, with the reason shown, when not.
const nativeLoad = nativeAddon();
const backends: Backend[] = [wasmBackend, ...(nativeLoad.addon ? [makeNativeBackend(nativeLoad.addon, wasmBackend, getNumThreads)] : [])];
if (!nativeLoad.addon) describe('native backend', () => it.skip(`conformance skipped: the addon is unavailable (${nativeLoad.reason})`, () => {}));

/** A deterministic normal(0, 1) float32 array. */
let seed = 1;
function normal(n: number, positive = false): Float32Array {
  const g = new Generator(seed++);
  const t = randn([n], { generator: g });
  const d = new Float32Array(t.data as Float32Array);
  if (positive) for (let i = 0; i < n; i++) d[i] = Math.abs(d[i]!) + 0.05;
  return d;
}

type Layout = 'dense' | 'offset' | 'transposed' | 'strided';

/** A float32 view of `shape` with the given memory layout (same logical values kind). */
function makeView(shape: number[], layout: Layout, positive = false): View {
  const n = shape.reduce((a, b) => a * b, 1);
  const nd = shape.length;
  if (layout === 'dense') return ndarray(normal(n, positive), shape);
  if (layout === 'offset') return ndarray(normal(n + 5, positive), shape, contiguous(shape), 5);
  if (layout === 'strided') {
    // every other element along the last dim, from offset 1
    const big = [...shape];
    if (nd > 0) big[nd - 1] = shape[nd - 1]! * 2;
    const st = contiguous(big);
    if (nd > 0) st[nd - 1] = 2;
    return ndarray(normal(big.reduce((a, b) => a * b, 1) + 1, positive), shape, st, 1);
  }
  // transposed: stored with the dims reversed
  const rev = [...shape].reverse();
  const rs = contiguous(rev);
  return ndarray(normal(n, positive), shape, rs.reverse(), 0);
}

function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** `v` broadcast to `shape` (stride 0 on dims where v has size 1 or is missing). */
function broadcast(v: View, shape: number[]): View {
  const lead = shape.length - v.shape.length;
  const st = shape.map((d, i) => (i < lead || (v.shape[i - lead] === 1 && d !== 1) ? 0 : v.stride[i - lead]!));
  return ndarray(v.data, shape, st, v.offset);
}

function values(v: View): number[] {
  const out: number[] = [];
  const n = v.size;
  const nd = v.shape.length;
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    let p = v.offset;
    for (let d = 0; d < nd; d++) p += idx[d]! * v.stride[d]!;
    out.push(v.data[p]!);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < v.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

function expectSame(actual: View, expected: View, rtol: number, atol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.data.constructor).toBe(expected.data.constructor);
  expect(values(actual)).toBeAllClose(values(expected), { rtol, atol });
}

const SHAPES: number[][] = [[1], [3], [17], [1000], [7, 33], [4, 5, 6], [2, 3, 17, 5]];
const LAYOUTS: Layout[] = ['dense', 'offset', 'transposed', 'strided'];

beforeAll(async () => {
  setNumThreads(2);
  const rt = wasmRuntime();
  if (rt) await startThreads(rt);
});
const defaultBackend = nativeLoad.addon ? 'native' : 'wasm';
afterAll(() => {
  setBackend(defaultBackend);
});

describe('wasm backend', () => {
  it('is available here and is the default backend where the native addon is not', () => {
    expect(wasmRuntime()).not.toBeNull();
    expect(getBackend()).toBe(defaultBackend);
    expect(getNumThreads()).toBe(2);
  });
  it('runs the build the vitest project asks for (plain-simd sets TAPEGRAD_RELAXED_SIMD=0)', ({ task }) => {
    const plain = task.file.projectName === 'plain-simd';
    expect(wasmRuntime()!.relaxed).toBe(plain ? false : relaxedSimdSupported());
    expect(getCpuCapability()).toBe(plain || !relaxedSimdSupported() ? 'simd128' : 'relaxed-simd128');
  });
  it('setBackend names the backends there are when asked for another', () => {
    expect(() => setBackend('gpu')).toThrow(ValueError);
    expect(() => setBackend('gpu')).toThrow(`setBackend: unknown backend "gpu"; available: js, wasm${nativeLoad.addon ? ', native' : ''}`);
    expect(getBackend()).toBe(defaultBackend);
  });
});

for (const be of backends) {
  describe(`${be.name} unary`, () => {
    const ops: Array<[UnaryOp, number?, number?]> = [
      ['copy'], ['neg'], ['abs'], ['sign'], ['exp'], ['log'], ['log1p'], ['sqrt'], ['rsqrt'], ['sin'], ['cos'], ['tanh'],
      ['sigmoid'], ['relu'], ['erf'], ['leakyRelu', 0.1], ['elu', 1.5], ['softplus', 2, 5], ['gelu'], ['geluTanh'],
      ['clamp', -0.5, 0.7], ['clamp', -Infinity, 0.2], ['step'], ['isnan'],
    ];
    for (const [op, p0, p1] of ops) {
      it(`${op} matches the reference on every shape and layout`, () => {
        const positive = op === 'log' || op === 'sqrt' || op === 'rsqrt';
        for (const shape of SHAPES)
          for (const layout of LAYOUTS) {
            const x = makeView(shape, layout, positive);
            const outDtype = op === 'isnan' ? 'bool' : 'float32';
            expectSame(be.unary(op, x, outDtype, p0, p1), jsBackend.unary(op, x, outDtype, p0, p1), 2e-6, 1e-6);
          }
      });
    }
    it('passes NaN through and handles infinities like the reference', () => {
      const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 100, -100, 88, -88, 1e30, -1e30];
      const x = ndarray(new Float32Array(64).map((_, i) => specials[i % specials.length]!), [64]);
      for (const op of ['exp', 'log', 'tanh', 'sigmoid', 'relu', 'abs', 'neg', 'sqrt', 'step'] as UnaryOp[])
        expectSame(be.unary(op, x, 'float32'), jsBackend.unary(op, x, 'float32'), 2e-6, 1e-6);
    });
    it('delegates float64 inputs to the reference', () => {
      const x = ndarray(Float64Array.from(normal(100)), [100]);
      expectSame(be.unary('exp', x, 'float64'), jsBackend.unary('exp', x, 'float64'), 0, 0);
    });
  });

  describe(`${be.name} binary`, () => {
    const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'minimum', 'maximum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'reluBackward', 'sigmoidBackward', 'tanhBackward'];
    /** Pairs of (a shape, b shape) broadcasting to a common shape: same, bias row, column, scalar, middle. */
    const pairs: Array<[number[], number[]]> = [
      [[1000], [1000]], [[3], [1]], [[17, 33], [33]], [[17, 33], [17, 1]], [[1], [64, 3]], [[4, 5, 6], [5, 1]],
      [[2, 3, 17, 5], [3, 1, 1]], [[1, 40], [40, 1]], [[7, 1, 9], [1, 8, 9]],
    ];
    for (const op of ops) {
      it(`${op} matches the reference with broadcasting and strided operands`, () => {
        for (const [sa, sb] of pairs)
          for (const layout of LAYOUTS) {
            const shape = broadcastShape(sa, sb);
            const a = broadcast(makeView(sa, layout, op === 'pow'), shape);
            const b = broadcast(makeView(sb, layout === 'transposed' ? 'dense' : layout), shape);
            const outDtype = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or'].includes(op) ? 'bool' : 'float32';
            expectSame(be.binary(op, a, b, outDtype), jsBackend.binary(op, a, b, outDtype), 2e-6, 1e-6);
          }
      });
    }
    it('propagates NaN in minimum and maximum', () => {
      const a = ndarray(new Float32Array(64).map((_, i) => (i % 3 === 0 ? NaN : i)), [64]);
      const b = ndarray(new Float32Array(64).map((_, i) => (i % 5 === 0 ? NaN : 64 - i)), [64]);
      for (const op of ['minimum', 'maximum'] as BinaryOp[]) expectSame(be.binary(op, a, b, 'float32'), jsBackend.binary(op, a, b, 'float32'), 0, 0);
    });
  });

  describe(`${be.name} element-wise ops on operands larger than one chunk`, () => {
    // above 131072 elements, flat operands are staged, computed and copied out chunk by chunk
    const n = 2 * 131072 + 17;
    const shape = [3, n / 3];
    const pinned = (v: View): View => {
      const arr = wasmRuntime()!.pinArray(Float32Array, v.size)!;
      arr.set(values(v));
      return ndarray(arr, [...v.shape]);
    };
    it('unary maps match the reference on dense, offset, pinned and transposed inputs', () => {
      for (const op of ['exp', 'relu'] as UnaryOp[])
        for (const x of [makeView(shape, 'dense'), makeView(shape, 'offset'), pinned(makeView(shape, 'dense')), makeView(shape, 'transposed')])
          expectSame(be.unary(op, x, 'float32'), jsBackend.unary(op, x, 'float32'), 2e-6, 1e-6);
    });
    it('binary ops match the reference on dense, offset, pinned and scalar operands, either side', () => {
      const scalar = broadcast(makeView([1], 'offset'), shape);
      const operands: Array<[View, View]> = [
        [makeView(shape, 'dense'), makeView(shape, 'offset')],
        [makeView(shape, 'offset', true), scalar],
        [scalar, makeView(shape, 'dense', true)],
        [pinned(makeView(shape, 'dense')), makeView(shape, 'dense', true)],
        [makeView(shape, 'dense'), pinned(makeView(shape, 'offset', true))],
        [makeView(shape, 'dense'), makeView(shape, 'transposed')],
      ];
      for (const op of ['sub', 'div', 'reluBackward', 'sigmoidBackward', 'tanhBackward', 'gt'] as BinaryOp[])
        for (const [a, b] of operands) {
          const outDtype = op === 'gt' || op === 'eq' ? 'bool' : 'float32';
          expectSame(be.binary(op, a, b, outDtype), jsBackend.binary(op, a, b, outDtype), 2e-6, 1e-6);
        }
    });
    it('unpinned operands stream through an unshared memory of their own, pinned ones through the shared one', () => {
      const stream = streamRuntime()!;
      const main = wasmRuntime()!;
      expect(main.shared).toBe(true);
      expect(stream).not.toBe(main);
      expect(stream.shared).toBe(false);
      // the scratch of both is given back after each op
      const p = pinned(makeView(shape, 'dense')); // (pinning moves the scratch stack's base)
      const marks = [stream.mark(), main.mark()];
      be.binary('add', makeView(shape, 'dense'), makeView(shape, 'offset'), 'float32');
      be.binary('add', p, makeView(shape, 'dense'), 'float32');
      expect([stream.mark(), main.mark()]).toEqual(marks);
    });
  });

  describe(`${be.name} where, assign, fill and in-place ops`, () => {
    it('where picks like the reference', () => {
      const shape = [17, 33];
      const cond = ndarray(new Uint8Array(17 * 33).map((_, i) => i % 3 === 0 ? 1 : 0), shape);
      const a = makeView(shape, 'transposed');
      const b = broadcast(makeView([33], 'dense'), shape);
      expectSame(be.where(cond, a, b, 'float32'), jsBackend.where(cond, a, b, 'float32'), 0, 0);
      // relu's backward: where(out > 0, g, 0) with a scalar broadcast; and a broadcast condition
      for (const shape of [[1000], [17, 33], [3, 4, 17, 5]]) {
        const n = shape.reduce((p, q) => p * q, 1);
        const c1 = ndarray(new Uint8Array(n).map((_, i) => (i * 7) % 5 > 1 ? 1 : 0), shape);
        const g = makeView(shape, 'offset');
        const zero = broadcast(ndarray(new Float32Array([0]), []), shape);
        expectSame(be.where(c1, g, zero, 'float32'), jsBackend.where(c1, g, zero, 'float32'), 0, 0);
        const crow = broadcast(ndarray(new Uint8Array(shape[shape.length - 1]!).map((_, i) => i % 2), [shape[shape.length - 1]!]), shape);
        expectSame(be.where(crow, zero, g, 'float32'), jsBackend.where(crow, zero, g, 'float32'), 0, 0);
      }
    });
    it('assign, binaryInPlace and fill write like the reference', () => {
      for (const op of ['add', 'sub', 'mul', 'div', 'maximum'] as const) {
        const src = makeView([17, 33], 'strided');
        const d1 = makeView([17, 33], 'dense');
        const d2 = ndarray(new Float32Array(d1.data as Float32Array), d1.shape);
        be.binaryInPlace(op, d1, src, 0.5);
        jsBackend.binaryInPlace(op, d2, src, 0.5);
        expectSame(d1, d2, 1e-6, 1e-7);
      }
      const d1 = ndarray(new Float32Array(40), [5, 8]);
      const d2 = ndarray(new Float32Array(40), [5, 8]);
      const src = makeView([5, 8], 'transposed');
      be.assign(d1, src);
      jsBackend.assign(d2, src);
      expectSame(d1, d2, 0, 0);
      be.fill(d1, 2.5);
      jsBackend.fill(d2, 2.5);
      expectSame(d1, d2, 0, 0);
    });
  });

  describe(`${be.name} reduce`, () => {
    const cases: Array<[number[], number[]]> = [
      [[1], [0]], [[3], [0]], [[1000], [0]], [[17, 33], [0]], [[17, 33], [1]], [[17, 33], [0, 1]], [[4, 5, 6], [1]],
      [[4, 5, 6], [0, 2]], [[4, 5, 6], [1, 2]], [[2, 3, 17, 5], [0, 2, 3]], [[64, 1000], [1]], [[1000, 10], [0]],
    ];
    for (const op of ['sum', 'prod', 'max', 'min'] as ReduceOp[]) {
      it(`${op} matches the reference over single, trailing, leading and split dims`, () => {
        for (const [shape, dims] of cases)
          for (const layout of LAYOUTS) {
            const x = makeView(shape, layout, op === 'prod');
            expectSame(be.reduce(op, x, dims, 'float32'), jsBackend.reduce(op, x, dims, 'float32'), op === 'prod' ? 1e-5 : 1e-5, 1e-5);
          }
      });
    }
    it('argmax and argmin match the reference', () => {
      for (const [shape, dims] of cases)
        for (const op of ['argmax', 'argmin'] as const) {
          const x = makeView(shape, 'transposed');
          expectSame(be.argReduce(op, x, dims[0]!), jsBackend.argReduce(op, x, dims[0]!), 0, 0);
        }
    });
    it('max propagates NaN', () => {
      const x = ndarray(new Float32Array(200).map((_, i) => (i === 77 ? NaN : i)), [4, 50]);
      expectSame(be.reduce('max', x, [1], 'float32'), jsBackend.reduce('max', x, [1], 'float32'), 0, 0);
      expectSame(be.reduce('max', x, [0], 'float32'), jsBackend.reduce('max', x, [0], 'float32'), 0, 0);
    });
  });

  describe(`${be.name} matmul`, () => {
    /** [batch, M, K, N] */
    const sizes: Array<[number, number, number, number]> = [
      [1, 1, 1, 1], [1, 3, 17, 1], [2, 17, 3, 33], [1, 65, 129, 67], [3, 33, 40, 9], [1, 1, 1000, 3], [1, 260, 300, 130],
      [1, 128, 784, 40],
    ];
    const transposes: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
    it('matches the reference in every transpose combination, batched, on odd sizes', () => {
      for (const [B, M, K, N] of sizes)
        for (const [ta, tb] of transposes) {
          const a = ta ? makeView([B, K, M], 'dense') : makeView([B, M, K], 'offset');
          const b = tb ? makeView([B, N, K], 'dense') : makeView([B, K, N], 'dense');
          const av = ta ? ndarray(a.data, [B, M, K], [a.stride[0]!, a.stride[2]!, a.stride[1]!], a.offset) : a;
          const bv = tb ? ndarray(b.data, [B, K, N], [b.stride[0]!, b.stride[2]!, b.stride[1]!], b.offset) : b;
          expectSame(be.matmul(av, bv, 'float32'), jsBackend.matmul(av, bv, 'float32'), 1e-4, 2e-6 * Math.sqrt(K) * 4);
        }
    });
    it('handles a weight broadcast over the batch (stride 0) and strided rows', () => {
      const w = makeView([40, 24], 'strided');
      const wb = ndarray(w.data, [5, 40, 24], [0, w.stride[0]!, w.stride[1]!], w.offset);
      const x = makeView([5, 30, 40], 'transposed');
      expectSame(be.matmul(x, wb, 'float32'), jsBackend.matmul(x, wb, 'float32'), 1e-4, 1e-4);
    });
    it('gives the same bits on one thread and on two', () => {
      const a = makeView([1, 300, 257], 'dense');
      const b = makeView([1, 257, 190], 'transposed');
      setNumThreads(1);
      const one = be.matmul(a, b, 'float32');
      setNumThreads(2);
      const two = be.matmul(a, b, 'float32');
      expect(Array.from(two.data)).toEqual(Array.from(one.data));
    });
    it('shares a batch of small products out across threads with the bits of one product at a time', () => {
      // 70 products: more than one job's chunks (64), each small enough to run whole on a thread
      const a = makeView([70, 64, 96], 'offset');
      const bt = makeView([70, 48, 96], 'dense');
      const b = ndarray(bt.data, [70, 96, 48], [bt.stride[0]!, bt.stride[2]!, bt.stride[1]!], bt.offset);
      const results = [1, 2, 3].map((t) => {
        setNumThreads(t);
        return Array.from(be.matmul(a, b, 'float32').data);
      });
      setNumThreads(2);
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      const one = (v: View, p: number): View => ndarray(v.data, [1, v.shape[1]!, v.shape[2]!], v.stride, v.offset + p * v.stride[0]!);
      const singly = Array.from({ length: 70 }, (_, p) => Array.from(be.matmul(one(a, p), one(b, p), 'float32').data)).flat();
      expect(results[0]).toEqual(singly);
      expectSame(be.matmul(a, b, 'float32'), jsBackend.matmul(a, b, 'float32'), 1e-4, 2e-6 * Math.sqrt(96) * 4);
    });
    it('matmulBias adds the bias to every row as the reference, in every transpose combination, over long depths, and for K = 0', () => {
      for (const [B, M, K, N] of [...sizes, [2, 5, 0, 7], [1, 70, 2000, 33]] as Array<[number, number, number, number]>)
        for (const [ta, tb] of transposes) {
          const a = ta ? makeView([B, K, M], 'dense') : makeView([B, M, K], 'offset');
          const b = tb ? makeView([B, N, K], 'dense') : makeView([B, K, N], 'dense');
          const av = ta ? ndarray(a.data, [B, M, K], [a.stride[0]!, a.stride[2]!, a.stride[1]!], a.offset) : a;
          const bv = tb ? ndarray(b.data, [B, K, N], [b.stride[0]!, b.stride[2]!, b.stride[1]!], b.offset) : b;
          // a parameter's bias (adjacent values from an offset) and a strided one (every other value)
          for (const bias of [makeView([N], 'offset'), makeView([N], 'strided')])
            expectSame(be.matmulBias(av, bv, bias, 'float32'), jsBackend.matmulBias(av, bv, bias, 'float32'), 1e-4, 2e-6 * Math.sqrt(K + 1) * 4);
        }
      const f64 = (v: View) => ndarray(Float64Array.from(values(v)), [...v.shape]);
      const [a, b, bias] = [f64(makeView([2, 9, 13], 'dense')), f64(makeView([2, 13, 5], 'dense')), f64(makeView([5], 'dense'))];
      expectSame(be.matmulBias(a, b, bias, 'float64'), jsBackend.matmulBias(a, b, bias, 'float64'), 1e-12, 1e-12);
    });
    it('delegates int32 and float64 products to the reference', () => {
      const a = ndarray(Int32Array.from({ length: 60 }, (_, i) => i - 30), [1, 6, 10]);
      const b = ndarray(Int32Array.from({ length: 80 }, (_, i) => (i * 7) % 11), [1, 10, 8]);
      expectSame(be.matmul(a, b, 'int32'), jsBackend.matmul(a, b, 'int32'), 0, 0);
    });
  });

  describe(`${be.name} conv2d`, () => {
    const geo = (s: number, p: number, d: number, groups = 1): Conv2dGeometry => ({ stride: [s, s], padding: [p, p], dilation: [d, d], groups });
    /** [x shape, w shape, geometry] */
    const cases: Array<[number[], number[], Conv2dGeometry]> = [
      [[1, 1, 5, 5], [1, 1, 3, 3], geo(1, 0, 1)],
      [[2, 3, 17, 13], [4, 3, 3, 3], geo(1, 1, 1)],
      [[2, 3, 17, 13], [5, 3, 3, 2], geo(2, 1, 1)],
      [[1, 2, 11, 12], [3, 2, 3, 3], geo(1, 2, 2)],
      [[3, 4, 9, 9], [6, 4, 1, 1], geo(1, 0, 1)],
      [[2, 4, 9, 9], [6, 2, 3, 3], geo(1, 1, 1, 2)],
      [[3, 1, 28, 28], [32, 1, 3, 3], geo(1, 0, 1)],
      [[8, 16, 14, 14], [16, 16, 3, 3], geo(1, 1, 1)],
    ];
    it('forward matches the reference (strides, padding, dilation, 1x1, groups)', () => {
      for (const [xs, ws, g] of cases) {
        const x = makeView(xs, 'offset');
        const w = makeView(ws, 'transposed');
        const K = ws[1]! * ws[2]! * ws[3]!;
        expectSame(be.conv2d(x, w, g), jsBackend.conv2d(x, w, g), 1e-4, 4e-6 * Math.sqrt(K) * 4);
      }
    });
    it('forward with a bias per output channel matches the reference (strided bias view)', () => {
      for (const [xs, ws, g] of cases) {
        const x = makeView(xs, 'dense');
        const w = makeView(ws, 'offset');
        const bias = makeView([ws[0]!], 'strided');
        const K = ws[1]! * ws[2]! * ws[3]!;
        expectSame(be.conv2d(x, w, g, bias), jsBackend.conv2d(x, w, g, bias), 1e-4, 4e-6 * Math.sqrt(K) * 4);
      }
    });
    it('backward input and weight match the reference', () => {
      for (const [xs, ws, g] of cases) {
        const x = makeView(xs, 'dense');
        const w = makeView(ws, 'dense');
        const out = jsBackend.conv2d(x, w, g);
        const grad = makeView(out.shape, 'transposed');
        const L = out.shape[2]! * out.shape[3]! * xs[0]!;
        expectSame(be.conv2dBackwardInput(grad, w, xs, g), jsBackend.conv2dBackwardInput(grad, w, xs, g), 1e-4, 2e-5 * Math.sqrt(ws[0]! * 9));
        expectSame(be.conv2dBackwardWeight(x, grad, ws, g), jsBackend.conv2dBackwardWeight(x, grad, ws, g), 1e-4, 4e-6 * Math.sqrt(L) * 4);
      }
    });
  });

  describe(`${be.name} pooling`, () => {
    const cases: Array<[number[], [number, number], Conv2dGeometry]> = [
      [[1, 1, 4, 4], [2, 2], { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 }],
      [[2, 3, 17, 13], [3, 3], { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 }],
      [[2, 3, 17, 13], [2, 3], { stride: [1, 2], padding: [1, 0], dilation: [2, 1], groups: 1 }],
      [[4, 32, 24, 24], [2, 2], { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 }],
      // large enough for the worker pool
      [[8, 32, 56, 56], [3, 3], { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ];
    it('maxPool2d values and argmax match the reference', () => {
      for (const [xs, k, g] of cases) {
        const x = makeView(xs, 'strided');
        const w = be.maxPool2d(x, k, g);
        const j = jsBackend.maxPool2d(x, k, g);
        expectSame(w.out, j.out, 0, 0);
        expectSame(w.argmax, j.argmax, 0, 0);
      }
    });
    it('maxPool2d picks NaN over numbers and the first of equal values like the reference', () => {
      const g: Conv2dGeometry = { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 };
      const specials = [NaN, 1, 1, -Infinity, 2, NaN, 0, -0, Infinity, 3, 3, 3, -1];
      const x = ndarray(Float32Array.from({ length: 2 * 3 * 8 * 18 }, (_, i) => specials[(i * 7) % specials.length]!), [2, 3, 8, 18]);
      const w = be.maxPool2d(x, [2, 2], g);
      const j = jsBackend.maxPool2d(x, [2, 2], g);
      expectSame(w.out, j.out, 0, 0);
      expectSame(w.argmax, j.argmax, 0, 0);
    });
    it('avgPool2d and its backward match the reference', () => {
      for (const [xs, k, g] of cases) {
        const x = makeView(xs, 'transposed');
        const out = be.avgPool2d(x, k, g);
        expectSame(out, jsBackend.avgPool2d(x, k, g), 1e-5, 1e-6);
        const grad = makeView(out.shape, 'offset');
        expectSame(be.avgPool2dBackward(grad, xs, k, g), jsBackend.avgPool2dBackward(grad, xs, k, g), 1e-5, 1e-6);
      }
    });
  });

  describe(`${be.name} results written into existing views (unaryInto, binaryInto, binaryInPlace)`, () => {
    /** A float32 view of `shape` in pinned memory (the module's own), holding normal values. */
    function pinnedView(shape: number[], offset = 0): View {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = wasmRuntime()!.pinArray(Float32Array, n + offset)!;
      data.set(normal(n + offset));
      return ndarray(data, shape, contiguous(shape), offset);
    }
    /** Destinations of `shape`: plain, at an offset inside a larger array, pinned (also at an offset), transposed (no fast path). */
    function outs(shape: number[]): Array<[string, View]> {
      return [
        ['dense', ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape)],
        ['offset', makeView(shape, 'offset')],
        ['pinned', pinnedView(shape)],
        ['pinned at an offset', pinnedView(shape, 3)],
        ['transposed', makeView(shape, 'transposed')],
      ];
    }
    /** A copy of a view's elements (to compare the reference's result against, aliased cases included). */
    const snapshot = (v: View): View => ndarray(Float32Array.from(values(v)), [...v.shape]);
    // sizes: below one chunk and odd; above CHUNK (131072 floats) two chunks run, for a few ops
    const sizes: number[][] = [[3], [1000], [7, 33], [131075]];
    const big = (shape: number[]) => shape[0] === 131075;

    it('unaryInto writes what unary returns, for each destination kind and input layout', () => {
      for (const op of ['neg', 'abs', 'exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'softplus'] as UnaryOp[])
        for (const shape of sizes.filter((sh) => !big(sh) || op === 'exp'))
          for (const [, out] of outs(shape))
            for (const x of [makeView(shape, 'dense', op === 'log' || op === 'sqrt'), makeView(shape, 'strided', op === 'log' || op === 'sqrt'), pinnedView(shape)]) {
              const want = jsBackend.unary(op, x, 'float32');
              be.unaryInto(op, x, out);
              expectSame(out, want, 2e-6, 1e-6);
            }
    });
    it('binaryInto writes what binary returns, with broadcast, pinned and aliased operands', () => {
      for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'pow'] as BinaryOp[])
        for (const shape of sizes.filter((sh) => !big(sh) || op === 'sub'))
          for (const [, out] of outs(shape)) {
            const bias = broadcast(makeView([shape[shape.length - 1]!], 'dense'), shape);
            const scalar = broadcast(makeView([1], 'offset'), shape);
            const cases: Array<[View, View]> = [
              [makeView(shape, 'dense'), makeView(shape, 'offset')],
              [pinnedView(shape), pinnedView(shape)],
              [makeView(shape, 'dense'), scalar],
              [scalar, pinnedView(shape)],
              [pinnedView(shape), bias],
              [out, makeView(shape, 'dense')], // out is the first operand (an in-place update)
              [makeView(shape, 'dense'), out],
              [out, out],
            ];
            for (const [a, b] of cases) {
              const want = jsBackend.binary(op, snapshot(a), snapshot(b), 'float32');
              be.binaryInto(op, a, b, out);
              expectSame(out, want, 2e-6, 1e-6);
            }
          }
    });
    it('binaryInPlace (add_, sub_, mul_, div_, maximum_) matches the reference, alpha included', () => {
      for (const op of ['add', 'sub', 'mul', 'div', 'maximum'] as const)
        for (const shape of sizes.filter((sh) => !big(sh) || op === 'div'))
          for (const [, dst] of outs(shape))
            for (const src of [makeView(shape, 'offset'), pinnedView(shape), broadcast(makeView([1], 'dense'), shape), dst])
              for (const alpha of op === 'add' || op === 'sub' ? [1, -0.5] : [1]) {
                const expected = snapshot(dst);
                jsBackend.binaryInPlace(op, expected, src === dst ? snapshot(dst) : src, alpha);
                be.binaryInPlace(op, dst, src, alpha);
                expectSame(dst, expected, 2e-6, 1e-6);
              }
    });
    it('falls back to the reference for a source that overlaps the destination partly', () => {
      // dst = elements 1..n of an array, src = elements 0..n-1: the reference, going up, reads
      // each element of src after writing it (a running sum), which chunks would not reproduce
      const n = 131075;
      const data = new Float32Array(normal(n + 1));
      const dst = ndarray(data, [n], [1], 1);
      const src = ndarray(data, [n], [1], 0);
      const expected = ndarray(Float32Array.from(data), [n], [1], 1);
      jsBackend.binaryInPlace('add', expected, ndarray(expected.data, [n], [1], 0), 1);
      be.binaryInPlace('add', dst, src, 1);
      expectSame(dst, expected, 0, 0);
    });
  });

  describe(`${be.name} memory helpers`, () => {
    it('fill32 writes exactly n words of the pattern; copyBytes copies overlapping ranges like memmove', () => {
      const rt = wasmRuntime()!;
      const mark = rt.mark();
      try {
        const p = rt.alloc(64 * 4);
        for (const [n, bits] of [[0, 7], [1, 0], [5, 0x3f800000], [13, -1], [16, 0]] as const) {
          rt.i32.fill(0x55, p >> 2, (p >> 2) + 64);
          rt.exports.fill32(p + 4, n, bits);
          const got = Array.from(rt.i32.subarray(p >> 2, (p >> 2) + 64));
          expect(got).toEqual(Array.from({ length: 64 }, (_, i) => (i >= 1 && i <= n ? bits : 0x55)));
        }
        rt.i32.set(Int32Array.from({ length: 64 }, (_, i) => i), p >> 2);
        rt.exports.copyBytes(p + 8, p, 40 * 4);
        expect(Array.from(rt.i32.subarray((p >> 2) + 2, (p >> 2) + 42))).toEqual(Array.from({ length: 40 }, (_, i) => i));
      } finally {
        rt.release(mark);
      }
    });
  });

  describe(`${be.name} indexing`, () => {
    it('gather, scatterAdd, indexSelect and indexAdd match the reference', () => {
      const x = makeView([17, 9], 'transposed');
      const index = ndarray(Int32Array.from({ length: 17 * 4 }, (_, i) => (i * 5) % 9), [17, 4]);
      expectSame(be.gather(x, 1, index), jsBackend.gather(x, 1, index), 0, 0);
      const src = makeView([17, 4], 'dense');
      expectSame(be.scatterAdd(x, 1, index, src), jsBackend.scatterAdd(x, 1, index, src), 1e-6, 1e-6);
      // into one value broadcast to every element (maxPool2d's gradient scatters into zeros like this)
      const filled = ndarray(Float32Array.from([0.25]), [17, 9], [0, 0], 0);
      expectSame(be.scatterAdd(filled, 1, index, src), jsBackend.scatterAdd(filled, 1, index, src), 1e-6, 1e-6);
      // the value at an offset, and zero (a memset rather than a vector fill)
      for (const v of [-3.5, 0]) {
        const at = ndarray(Float32Array.from([9, v, 9]), [17, 9], [0, 0], 1);
        expectSame(be.scatterAdd(at, 1, index, src), jsBackend.scatterAdd(at, 1, index, src), 1e-6, 1e-6);
      }
      const idx1 = ndarray(Int32Array.from([3, 0, 16, 3]), [4]);
      expectSame(be.indexSelect(x, 0, idx1), jsBackend.indexSelect(x, 0, idx1), 0, 0);
      const src2 = makeView([4, 9], 'dense');
      expectSame(be.indexAdd(x, 0, idx1, src2), jsBackend.indexAdd(x, 0, idx1, src2), 1e-6, 1e-6);
    });
  });
}

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[i - (n - a.length)] ?? 1;
    const db = b[i - (n - b.length)] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Runs `f` on a backend and returns the loss and every input's gradient as plain arrays. */
function onBackend(name: string, f: () => Tensor[]): number[][] {
  const prev = getBackend();
  setBackend(name);
  try {
    return f().map((t) => Array.from(t.data as Float32Array));
  } finally {
    setBackend(prev);
  }
}

/** Ops of one input (shape [7, 40] unless given), compared forward and backward across backends. */
const unaryOps: Array<[string, (x: Tensor) => Tensor, number[]?]> = [
  ['exp', (x) => x.exp()], ['log', (x) => x.abs().add(0.1).log()], ['tanh', (x) => x.tanh()], ['sigmoid', (x) => x.sigmoid()],
  ['relu', (x) => x.relu()], ['neg', (x) => x.neg()], ['abs', (x) => x.abs()], ['sqrt', (x) => x.abs().add(0.1).sqrt()],
  ['rsqrt', (x) => x.abs().add(0.1).rsqrt()], ['leakyRelu', (x) => x.leakyRelu(0.1)], ['elu', (x) => x.elu()], ['gelu', (x) => x.gelu()],
  ['softplus', (x) => x.softplus()], ['clamp', (x) => x.clamp(-0.5, 0.5)], ['sin', (x) => x.sin()], ['pow', (x) => x.abs().add(0.1).pow(1.7)],
  ['add', (x) => x.add(x.mul(0.5))], ['sub (bias row)', (x) => x.sub(x.sum(0))], ['mul (column)', (x) => x.mul(x.amax(1, { keepdim: true }))],
  ['div', (x) => x.div(x.abs().add(1))], ['maximum', (x) => x.maximum(x.mul(-1))],
  ['sum', (x) => x.sum(1)], ['mean', (x) => x.mean(0)], ['amax', (x) => x.amax(1)], ['prod', (x) => x.narrow(1, 0, 5).prod(1)],
  ['softmax', (x) => x.softmax(1)], ['logSoftmax', (x) => x.logSoftmax(1)], ['logsumexp', (x) => x.logsumexp(1)],
  ['var', (x) => x.var(1)], ['matmul', (x) => x.matmul(x.mT)], ['matmul T', (x) => x.mT.matmul(x)],
  ['where', (x) => where(x.gt(0), x, x.mul(0.1))], ['transpose exp', (x) => x.mT.exp()],
  ['conv2d', (x) => conv2d(x.reshape([2, 2, 7, 10]), x.narrow(0, 0, 3).reshape([3, 2, 2, 10]).narrow(3, 0, 3), null, { padding: 1 })],
  ['maxPool2d', (x) => maxPool2d(x.reshape([2, 2, 7, 10]), 2)], ['avgPool2d', (x) => avgPool2d(x.reshape([2, 2, 7, 10]), 3, { stride: 2, padding: 1 })],
];

describe('ops on the wasm backend, forward and backward', () => {
  for (const [name, f] of unaryOps) {
    it(`${name} gives the reference output and input gradient`, () => {
      const run = () => {
        const g = new Generator(11);
        const x = randn([7, 40], { generator: g }).requiresGrad_();
        const y = f(x);
        const r = randn(y.shape, { generator: g });
        y.mul(r).sum().backward();
        return [y, x.grad!];
      };
      const w = onBackend('wasm', run);
      const j = onBackend('js', run);
      expect(w[0]!).toBeAllClose(j[0]!, { rtol: 1e-4, atol: 1e-5 });
      expect(w[1]!).toBeAllClose(j[1]!, { rtol: 1e-4, atol: 1e-5 });
    });
  }

  it('a conv - relu - pool - linear - logSoftmax step gives the reference loss and gradients', () => {
    const step = () => {
      const g = new Generator(7);
      const x = randn([4, 2, 12, 12], { generator: g });
      const w1 = randn([8, 2, 3, 3], { generator: g }).mul(0.3).requiresGrad_();
      const b1 = randn([8], { generator: g }).mul(0.1).requiresGrad_();
      const w2 = randn([8 * 5 * 5, 10], { generator: g }).mul(0.1).requiresGrad_();
      let h = conv2d(x, w1, b1).relu();
      h = maxPool2d(h, 2);
      h = avgPool2d(h, 1).flatten(1).matmul(w2).tanh();
      const loss = h.logSoftmax(1).neg().mean().add(h.sigmoid().exp().sum().mul(1e-3));
      loss.backward();
      return [loss, w1.grad!, b1.grad!, w2.grad!];
    };
    const w = onBackend('wasm', step);
    const j = onBackend('js', step);
    for (let i = 0; i < w.length; i++) expect(w[i]!).toBeAllClose(j[i]!, { rtol: 1e-4, atol: 1e-5 });
  });
});

// issue 18: the fused softmax / logSoftmax, layer norm and resampling kernels
for (const be of backends) {
  describe(`${be.name} fused softmax, layer norm and resampling`, () => {
    /** A copy of `v` in pinned memory (read where it is by the kernels). */
    const pinnedCopy = (v: View): View => {
      const arr = wasmRuntime()!.pinArray(Float32Array, v.size)!;
      arr.set(values(v));
      return ndarray(arr, [...v.shape]);
    };
    /** The cases of each test: every small shape and layout; the large ones (several chunks of rows) dense only. */
    const layoutsOf = (shape: number[]) => (shape.reduce((a, b) => a * b, 1) > 5000 ? (['dense'] as Layout[]) : LAYOUTS);
    const LARGE = [[1100, 130], [50, 130, 30]];
    afterAll(() => setNumThreads(2));

    it('softmax and logSoftmax match the reference along every dim, on odd sizes, every layout and pinned inputs', () => {
      for (const shape of [...SHAPES, ...LARGE])
        for (const layout of layoutsOf(shape))
          for (let dim = 0; dim < shape.length; dim++) {
            const x = makeView(shape, layout);
            for (const log of [false, true]) expectSame(be.softmax(x, dim, log), jsBackend.softmax(x, dim, log), 1e-5, 1e-6);
          }
      const p = pinnedCopy(makeView([7, 33], 'dense'));
      for (const log of [false, true]) expectSame(be.softmax(p, 1, log), jsBackend.softmax(p, 1, log), 1e-5, 1e-6);
    });

    it('softmax and logSoftmax give the reference NaN, infinities and zeros for special rows and columns', () => {
      const rows = [
        [-Infinity, -Infinity, -Infinity], [1, NaN, 2], [Infinity, 1, 2], [1000, -1000, 0], [-Infinity, 0, 1], [Infinity, Infinity, 0], [NaN, Infinity, -Infinity],
      ];
      const n = 13; // 4 full vectors and a tail per row
      const data = new Float32Array(rows.length * n).map((_, i) => rows[Math.floor(i / n)]![i % n % 3]!);
      const x = ndarray(data, [rows.length, n]);
      for (const log of [false, true]) {
        expectSame(be.softmax(x, 1, log), jsBackend.softmax(x, 1, log), 1e-5, 1e-6);
        // the same lines as columns (the kernels' 4-lane column path and its tail)
        const xt = ndarray(data, [n, rows.length], [1, n], 0);
        expectSame(be.softmax(xt, 0, log), jsBackend.softmax(xt, 0, log), 1e-5, 1e-6);
      }
    });

    it('softmaxBackward matches the reference for softmax and logSoftmax outputs', () => {
      for (const shape of [...SHAPES, ...LARGE])
        for (const layout of layoutsOf(shape))
          for (let dim = 0; dim < shape.length; dim++) {
            const g = makeView(shape, layout);
            for (const log of [false, true]) {
              const y = jsBackend.softmax(makeView(shape, 'dense'), dim, log);
              expectSame(be.softmaxBackward(g, y, dim, log), jsBackend.softmaxBackward(g, y, dim, log), 1e-5, 1e-5);
              // the gradient broadcast from a scalar (a sum's backward)
              const ones = broadcast(ndarray(Float32Array.of(1), [1]), shape);
              if (layout === 'dense') expectSame(be.softmaxBackward(ones, y, dim, log), jsBackend.softmaxBackward(ones, y, dim, log), 1e-5, 1e-5);
            }
          }
    });

    it('layerNorm and its gradients match the reference over 1 to 3 trailing dims, with and without weight and bias', () => {
      const cases: Array<[number[], number]> = [[[33], 1], [[7, 40], 1], [[4, 5, 6], 2], [[2, 3, 17, 5], 3], [[1100, 130], 1], [[64, 3], 1], [[3, 700], 1]];
      {
        for (const [shape, k] of cases)
          for (const layout of layoutsOf(shape)) {
            const x = makeView(shape, layout);
            const norm = shape.slice(shape.length - k);
            const w = makeView(norm, layout === 'transposed' ? 'strided' : layout);
            const b = makeView(norm, 'offset');
            for (const [ww, bb] of [[null, null], [w, b], [w, null], [null, b]] as Array<[View | null, View | null]>) {
              const got = be.layerNorm(x, k, ww, bb, 1e-5);
              const want = jsBackend.layerNorm(x, k, ww, bb, 1e-5);
              expectSame(got.out, want.out, 1e-5, 2e-5);
              expectSame(got.mean, want.mean, 1e-5, 1e-6);
              expectSame(got.rstd, want.rstd, 1e-5, 1e-6);
              const g = makeView(shape, layout === 'dense' ? 'offset' : 'dense');
              expectSame(be.layerNormBackward(g, x, want.mean, want.rstd, ww, k), jsBackend.layerNormBackward(g, x, want.mean, want.rstd, ww, k), 1e-4, 2e-5);
              expectSame(be.layerNormBackwardWeight(g, x, want.mean, want.rstd, k), jsBackend.layerNormBackwardWeight(g, x, want.mean, want.rstd, k), 1e-4, 1e-4);
            }
          }
      }
      const p = pinnedCopy(makeView([7, 40], 'dense'));
      expectSame(be.layerNorm(p, 1, null, null, 0.1).out, jsBackend.layerNorm(p, 1, null, null, 0.1).out, 1e-5, 2e-5);
    });

    it('gives the same bits on 1, 2 and 3 threads', () => {
      const x = makeView([300, 130], 'dense');
      const run = () => {
        const r = be.layerNorm(x, 1, null, null, 1e-5);
        return [be.softmax(x, 1, false), be.softmax(x, 0, true), be.softmaxBackward(x, r.out, 1, false), r.out,
          be.layerNormBackward(x, x, r.mean, r.rstd, null, 1), be.layerNormBackwardWeight(x, x, r.mean, r.rstd, 1),
          be.resample(x, 0, ndarray(Int32Array.of(3, 4, 299, 0), [2, 2]), ndarray(Float64Array.of(0.5, 0.25, 1, -1), [2, 2]))].map((v) => Array.from(v.data));
      };
      setNumThreads(1);
      const one = run();
      for (const threads of [2, 3]) {
        setNumThreads(threads);
        expect(run()).toEqual(one);
      }
    });

    it('resample and resampleBackward match the reference along every dim with nearest, linear and cubic taps', () => {
      const tapsOf = (L: number, M: number, K: number) => {
        const index = ndarray(Int32Array.from({ length: M * K }, (_, t) => (t * 7 + Math.floor(t / K)) % L), [M, K]);
        const weight = ndarray(Float64Array.from({ length: M * K }, (_, t) => ((t * 13) % 11) / 7 - 0.5), [M, K]);
        return { index, weight };
      };
      for (const shape of [...SHAPES, [16, 8, 40, 33]])
        for (const layout of layoutsOf(shape))
          for (let dim = 0; dim < shape.length; dim++)
            for (const [M, K] of [[2 * shape[dim]!, 1], [2 * shape[dim]! + 1, 2], [Math.max(1, shape[dim]! - 1), 4]]) {
              const { index, weight } = tapsOf(shape[dim]!, M!, K!);
              const x = makeView(shape, layout);
              expectSame(be.resample(x, dim, index, weight), jsBackend.resample(x, dim, index, weight), 1e-5, 1e-5);
              const g = makeView(shape.map((d, i) => (i === dim ? M! : d)), layout);
              expectSame(be.resampleBackward(g, dim, index, weight, shape[dim]!), jsBackend.resampleBackward(g, dim, index, weight, shape[dim]!), 1e-5, 1e-5);
            }
    });

    it('layerNorm keeps the reference NaN and infinities, and its kernels delegate float64 to the reference exactly', () => {
      const data = new Float32Array(4 * 9).map((_, i) => (i === 3 ? NaN : i === 20 ? Infinity : i * 0.37));
      const x = ndarray(data, [4, 9]);
      expectSame(be.layerNorm(x, 1, null, null, 1e-5).out, jsBackend.layerNorm(x, 1, null, null, 1e-5).out, 1e-5, 1e-5);
      const x64 = ndarray(Float64Array.from(normal(7 * 40)), [7, 40]);
      const r = be.layerNorm(x64, 1, null, null, 1e-5);
      expectSame(r.out, jsBackend.layerNorm(x64, 1, null, null, 1e-5).out, 0, 0);
      expectSame(be.softmax(x64, 1, true), jsBackend.softmax(x64, 1, true), 0, 0);
      expectSame(be.softmaxBackward(x64, x64, 0, false), jsBackend.softmaxBackward(x64, x64, 0, false), 0, 0);
      expectSame(be.layerNormBackward(x64, x64, r.mean, r.rstd, null, 1), jsBackend.layerNormBackward(x64, x64, r.mean, r.rstd, null, 1), 0, 0);
    });
  });
}

// Fused scaled dot-product attention (issue 19: the transformer's hot path) on every backend
// against the reference, which is attention's tensor ops on the js kernels: q, k, v dense, with
// offsets, transposed (rows not contiguous), and as heads sliced out of one packed [B, T, 3C]
// projection (what a GPT passes); causal or not, S < L, S > L, odd sizes, empty dims.
for (const be of backends) {
  describe(`${be.name} attention`, () => {
    afterAll(() => setNumThreads(2));
    type Case = { batch: number[]; L: number; S: number; E: number; Ev: number };
    const CASES: Case[] = [
      { batch: [], L: 5, S: 7, E: 3, Ev: 4 },
      { batch: [3], L: 1, S: 1, E: 1, Ev: 1 },
      { batch: [2, 3], L: 17, S: 17, E: 8, Ev: 8 },
      { batch: [2, 1, 3], L: 9, S: 4, E: 5, Ev: 6 },
      { batch: [4], L: 64, S: 64, E: 32, Ev: 32 },
      { batch: [2], L: 33, S: 70, E: 16, Ev: 3 },
    ];
    const shapeOf = (c: Case, rows: number, cols: number) => [...c.batch, rows, cols];
    /** q, k, v of one case as heads of a packed projection [..., T, 3 H] with H = E = Ev (a GPT's layout). */
    const packedHeads = (c: Case): [View, View, View] => {
      const T = c.L, H = c.E, lead = c.batch.reduce((a, b) => a * b, 1);
      const data = normal(lead * T * 3 * H);
      // batch dims walk whole [T, 3H] blocks; rows are 3H apart; q, k, v start 0, H, 2H into a row
      const st = [...contiguous([...c.batch, T * 3 * H]).slice(0, c.batch.length), 3 * H, 1];
      const shape = shapeOf(c, T, H);
      return [ndarray(data, shape, st, 0), ndarray(data, shape, st, H), ndarray(data, shape, st, 2 * H)];
    };
    const operands = (c: Case, layout: Layout | 'packed'): [View, View, View] =>
      layout === 'packed' ? packedHeads(c) : [makeView(shapeOf(c, c.L, c.E), layout), makeView(shapeOf(c, c.S, c.E), layout), makeView(shapeOf(c, c.S, c.Ev), layout)];

    it('attention and its gradients match the reference, causal or not, every layout', () => {
      for (const c of CASES)
        for (const layout of ['dense', 'offset', 'transposed', 'packed'] as const) {
          if (layout === 'packed' && (c.L !== c.S || c.E !== c.Ev)) continue;
          const [q, k, v] = operands(c, layout);
          for (const causal of [false, true]) {
            const scale = 1 / Math.sqrt(c.E);
            const got = be.attention(q, k, v, scale, causal);
            const want = jsBackend.attention(q, k, v, scale, causal);
            expectSame(got.out, want.out, 1e-5, 1e-5);
            expectSame(got.weights, want.weights, 1e-5, 1e-6);
            const g = makeView(shapeOf(c, c.L, c.Ev), layout === 'dense' ? 'offset' : 'dense');
            const gb = be.attentionBackward(g, q, k, v, want.weights, scale);
            const gw = jsBackend.attentionBackward(g, q, k, v, want.weights, scale);
            expectSame(gb.dq, gw.dq, 1e-4, 1e-5);
            expectSame(gb.dk, gw.dk, 1e-4, 1e-5);
            expectSame(gb.dv, gw.dv, 1e-4, 1e-5);
          }
        }
    });

    it('a causal query attends to no later key: its weights past the diagonal are 0 and the rest sum to 1', () => {
      const [q, k, v] = operands({ batch: [2], L: 6, S: 4, E: 3, Ev: 2 }, 'dense');
      const w = values(be.attention(q, k, v, 0.5, true).weights);
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 6; i++) {
          const row = w.slice((b * 6 + i) * 4, (b * 6 + i + 1) * 4);
          row.forEach((x, j) => (j > i ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0)));
          expect(row.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 6);
        }
    });

    it('empty dims give empty or zero results as the reference, and float64 is the reference exactly', () => {
      for (const c of [{ batch: [0], L: 3, S: 2, E: 2, Ev: 2 }, { batch: [2], L: 0, S: 3, E: 2, Ev: 2 }, { batch: [2], L: 3, S: 0, E: 2, Ev: 2 }, { batch: [2], L: 3, S: 2, E: 0, Ev: 2 }, { batch: [2], L: 3, S: 2, E: 2, Ev: 0 }]) {
        const [q, k, v] = operands(c, 'dense');
        const got = be.attention(q, k, v, 1, false), want = jsBackend.attention(q, k, v, 1, false);
        expectSame(got.out, want.out, 0, 0);
        expectSame(got.weights, want.weights, 0, 0);
        const g = makeView(shapeOf(c, c.L, c.Ev), 'dense');
        const gb = be.attentionBackward(g, q, k, v, want.weights, 1), gw = jsBackend.attentionBackward(g, q, k, v, want.weights, 1);
        for (const n of ['dq', 'dk', 'dv'] as const) expectSame(gb[n], gw[n], 0, 0);
      }
      const f64 = (v: View) => ndarray(Float64Array.from(values(v)), [...v.shape]);
      const [q, k, v] = operands({ batch: [2, 3], L: 9, S: 7, E: 5, Ev: 4 }, 'dense').map(f64) as [View, View, View];
      const got = be.attention(q, k, v, 0.3, true), want = jsBackend.attention(q, k, v, 0.3, true);
      expectSame(got.out, want.out, 0, 0);
      const g = f64(makeView([2, 3, 9, 4], 'dense'));
      const gb = be.attentionBackward(g, q, k, v, want.weights, 0.3), gw = jsBackend.attentionBackward(g, q, k, v, want.weights, 0.3);
      for (const n of ['dq', 'dk', 'dv'] as const) expectSame(gb[n], gw[n], 0, 0);
    });

    it('gives the same bits on 1, 2 and 3 threads', () => {
      const c: Case = { batch: [3, 5], L: 40, S: 40, E: 16, Ev: 16 };
      const [q, k, v] = operands(c, 'packed');
      const g = makeView(shapeOf(c, c.L, c.Ev), 'dense');
      const run = () => {
        const f = be.attention(q, k, v, 0.25, true);
        const b = be.attentionBackward(g, q, k, v, f.weights, 0.25);
        return [f.out, f.weights, b.dq, b.dk, b.dv].map((x) => Array.from(x.data));
      };
      setNumThreads(1);
      const one = run();
      for (const threads of [2, 3]) {
        setNumThreads(threads);
        expect(run()).toEqual(one);
      }
    });
  });
}

// One LSTM step's pointwise part (issue 19: LSTM gates on the hot path) on every backend against
// the reference: gates as slices of larger arrays (a step's rows of the input projection), the
// cell state as the second half of the previous step's packed output, odd widths, 1-3 threads.
for (const be of backends) {
  describe(`${be.name} lstmCell`, () => {
    afterAll(() => setNumThreads(2));
    /** [b, 4H] gates in the layout of `layout`, or a window of rows of a taller array. */
    const gates = (b: number, H: number, layout: Layout | 'rows') => {
      if (layout !== 'rows') return makeView([b, 4 * H], layout);
      const tall = makeView([b + 3, 4 * H], 'dense');
      return ndarray(tall.data, [b, 4 * H], tall.stride, 2 * 4 * H);
    };
    const cellState = (b: number, H: number, packed: boolean) => {
      if (!packed) return makeView([b, H], 'offset');
      const prev = makeView([b, 2 * H], 'dense');
      return ndarray(prev.data, [b, H], prev.stride, H);
    };

    it('lstmCell and its gradients match the reference on every layout and odd widths', () => {
      for (const [b, H] of [[1, 1], [3, 5], [32, 256], [7, 33], [600, 40]])
        for (const layout of ['dense', 'offset', 'transposed', 'rows'] as const)
          for (const packed of [false, true]) {
            const gi = gates(b!, H!, layout), gh = gates(b!, H!, 'dense'), c = cellState(b!, H!, packed);
            const got = be.lstmCell(gi, gh, c), want = jsBackend.lstmCell(gi, gh, c);
            expectSame(got.out, want.out, 1e-5, 1e-6);
            expectSame(got.act, want.act, 1e-5, 1e-6);
            const g = makeView([b!, 2 * H!], layout === 'transposed' ? 'transposed' : 'offset');
            const gb = be.lstmCellBackward(g, want.act, c), gw = jsBackend.lstmCellBackward(g, want.act, c);
            expectSame(gb.dgates, gw.dgates, 1e-4, 1e-5);
            expectSame(gb.dc, gw.dc, 1e-4, 1e-5);
          }
    });

    it('empty batches give empty results, float64 is the reference exactly, and 1-3 threads give the same bits', () => {
      const e = be.lstmCell(makeView([0, 8], 'dense'), makeView([0, 8], 'dense'), makeView([0, 2], 'dense'));
      expect(e.out.shape).toEqual([0, 4]);
      const f64 = (v: View) => ndarray(Float64Array.from(values(v)), [...v.shape]);
      const [gi, gh, c] = [f64(gates(5, 7, 'dense')), f64(gates(5, 7, 'dense')), f64(cellState(5, 7, false))];
      const got = be.lstmCell(gi, gh, c), want = jsBackend.lstmCell(gi, gh, c);
      expectSame(got.out, want.out, 0, 0);
      const g = f64(makeView([5, 14], 'dense'));
      expectSame(be.lstmCellBackward(g, want.act, c).dgates, jsBackend.lstmCellBackward(g, want.act, c).dgates, 0, 0);
      const [xi, xh, xc] = [gates(300, 64, 'rows'), gates(300, 64, 'dense'), cellState(300, 64, true)];
      const run = () => {
        const f = be.lstmCell(xi, xh, xc);
        const r = be.lstmCellBackward(makeView([300, 128], 'dense'), f.act, xc);
        return [f.out, f.act, r.dgates, r.dc].map((x) => Array.from(x.data));
      };
      seed = 900;
      setNumThreads(1);
      const one = run();
      for (const threads of [2, 3]) {
        seed = 900;
        setNumThreads(threads);
        expect(run()).toEqual(one);
      }
    });
  });
}

// Issue 17's kernels (scatterAdd's range check, scans, sorting, the other issue-17 indexing
// kernels) on every backend against the reference: float32, float64 and int32 where the kernel
// takes them, odd sizes, strided views, on 1, 2 and 3 threads. Float32 scans and sorts are the
// same bit for bit (the wasm scans accumulate in float64 as the reference does).

/** `f` on 1, 2 and 3 threads, restoring 2 after. */
function onThreads(f: (threads: number) => void): void {
  try {
    for (const t of [1, 2, 3]) {
      setNumThreads(t);
      f(t);
    }
  } finally {
    setNumThreads(2);
  }
}

/** An int32 view of `shape` with values in [0, high) (seeded), in the given layout. */
function intView(shape: number[], high: number, layout: Layout): View {
  const f = makeView(shape, layout);
  const data = new Int32Array(f.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(Math.abs(f.data[i]! * 7919)) % high;
  return ndarray(data, f.shape, f.stride, f.offset);
}

for (const be of backends) {
  describe(`${be.name} issue 17 indexing kernels`, () => {
    it('scatterAdd along the last dim adds in index order like the reference, bit for bit, across chunks and rows', () => {
      onThreads(() => {
        for (const [rows, D, L] of [[1, 10000, 200003], [3, 17, 70001], [5, 1, 33], [2, 9, 1]] as const)
          for (const layout of LAYOUTS) {
            const x = makeView([rows, D], layout);
            const index = intView([rows, L], D, layout);
            const src = makeView([rows, L], layout === 'transposed' ? 'strided' : layout);
            expectSame(be.scatterAdd(x, 1, index, src), jsBackend.scatterAdd(x, 1, index, src), 0, 0);
          }
      });
    });
    it('scatterAdd throws IndexRangeError at the first index outside [0, D) in row-major order, as the reference', () => {
      for (const bad of [[1, 70000, -1], [2, 5, 9], [0, 3, 2147483647]] as const) {
        const [row, at, v] = bad;
        const index = intView([3, 70001], 9, 'dense');
        index.data[row * 70001 + at] = v;
        index.data[2 * 70001 + 7] = 9; // a later one, never reported
        const x = makeView([3, 9], 'offset');
        const src = makeView([3, 70001], 'dense');
        for (const k of [be, jsBackend]) {
          let caught: unknown;
          try {
            k.scatterAdd(x, 1, index, src);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(IndexRangeError);
          expect((caught as IndexRangeError).value).toBe(v);
          expect((caught as IndexRangeError).size).toBe(9);
        }
      }
    });
  });
}

/** A float32 view like makeView's, with ties, ±0, ±inf and (with `nan`) NaN mixed in. */
function awkward(shape: number[], layout: Layout, nan: boolean): View {
  const v = makeView(shape, layout);
  const d = v.data as Float32Array;
  for (let i = 0; i < d.length; i++) {
    const r = i % 97;
    if (r === 3) d[i] = 0;
    else if (r === 5) d[i] = -0;
    else if (r === 11) d[i] = Infinity;
    else if (r === 13) d[i] = -Infinity;
    else if (r < 30) d[i] = Math.round(d[i]! * 2) / 2; // many ties
    else if (nan && r === 41) d[i] = NaN;
  }
  return v;
}

for (const be of backends) {
  describe(`${be.name} issue 17 sorting kernels`, () => {
    it('topk (k up to 1/16 of the line) gives the reference values and indices, bit for bit, along any dim and layout', () => {
      onThreads(() => {
        for (const [shape, dim] of [[[300, 272], 1], [[272, 33], 0], [[5, 1000, 3], 1], [[64, 65], 1], [[3, 4096], 1]] as const)
          for (const layout of LAYOUTS)
            for (const nan of [false, true])
              for (const k of [1, 3, Math.floor(shape[dim]! / 16)])
                for (const desc of [true, false]) {
                  const x = awkward([...shape], layout, nan);
                  const got = be.sort(x, dim, desc, 'float32', k);
                  const want = jsBackend.sort(x, dim, desc, 'float32', k);
                  expect(got.indices.shape).toEqual(want.indices.shape);
                  expect(Array.from(got.indices.data)).toEqual(Array.from(want.indices.data));
                  expect(Object.is(values(got.values).join(), values(want.values).join())).toBe(true);
                  expect(values(got.values).map((v) => Object.is(v, -0))).toEqual(values(want.values).map((v) => Object.is(v, -0)));
                }
      });
    });
    it('full sorts, larger k, float64 and int32 sorts match the reference (they run it)', () => {
      for (const layout of LAYOUTS) {
        const x = awkward([40, 130], layout, true);
        for (const k of [undefined, 20, 130]) {
          const got = be.sort(x, 1, true, 'float32', k);
          const want = jsBackend.sort(x, 1, true, 'float32', k);
          expect(Array.from(got.indices.data)).toEqual(Array.from(want.indices.data));
        }
        const x64 = ndarray(Float64Array.from(x.data), x.shape, x.stride, x.offset);
        expect(Array.from(be.sort(x64, 1, false, 'float64', 3).indices.data)).toEqual(Array.from(jsBackend.sort(x64, 1, false, 'float64', 3).indices.data));
        const xi = intView([40, 130], 50, layout);
        expect(Array.from(be.sort(xi, 0, true, 'int32', 2).indices.data)).toEqual(Array.from(jsBackend.sort(xi, 0, true, 'int32', 2).indices.data));
      }
    });
  });
}

/** The same view's values in another dtype (same layout). */
function asDtype(v: View, dtype: 'float64' | 'int32'): View {
  const data = dtype === 'float64' ? Float64Array.from(v.data) : Int32Array.from(v.data, (x) => Math.round(x * 3));
  return ndarray(data, v.shape, v.stride, v.offset);
}

/** Values compared bit for bit (NaN equal to NaN, -0 apart from 0). */
function expectBits(actual: View, expected: View): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.data.constructor).toBe(expected.data.constructor);
  const a = values(actual);
  const e = values(expected);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], e[i])) expect([i, a[i]]).toEqual([i, e[i]]);
}

for (const be of backends) {
  describe(`${be.name} issue 17 scan kernels`, () => {
    it('cumsum and cumprod scans give the reference bits along every dim, both directions, any layout and dtype', () => {
      onThreads(() => {
        for (const shape of [[3], [1000], [4099], [7, 33], [4, 5, 6], [130, 65], [2, 3, 17, 45]])
          for (const layout of LAYOUTS)
            for (let dim = 0; dim < shape.length; dim++)
              for (const op of ['sum', 'prod'] as const)
                for (const reverse of [false, true]) {
                  const x = awkward(shape, layout, shape.length === 2);
                  // products of many normals under- or overflow: keep them near 1
                  const xs = op === 'prod' ? ndarray(Float32Array.from(x.data, (v) => 1 + v / 64), x.shape, x.stride, x.offset) : x;
                  expectBits(be.scan(op, xs, dim, reverse, 'float32'), jsBackend.scan(op, xs, dim, reverse, 'float32'));
                  if (shape.length === 2 && !reverse) {
                    const x64 = asDtype(xs, 'float64');
                    expectBits(be.scan(op, x64, dim, reverse, 'float64'), jsBackend.scan(op, x64, dim, reverse, 'float64'));
                  }
                }
      });
    });
    it('logcumsumexp, cummax and cummin (int32 too) match the reference', () => {
      onThreads(() => {
        for (const layout of LAYOUTS) {
          const x = awkward([130, 65], layout, true);
          for (const dim of [0, 1]) {
            expectBits(be.scan('logsumexp', x, dim, dim === 1, 'float32'), jsBackend.scan('logsumexp', x, dim, dim === 1, 'float32'));
            for (const op of ['max', 'min'] as const) {
              for (const v of [x, asDtype(x, 'int32')]) {
                const dt = v.data instanceof Int32Array ? 'int32' : 'float32';
                const got = be.cumExtreme(op, v, dim, dt);
                const want = jsBackend.cumExtreme(op, v, dim, dt);
                expectBits(got.values, want.values);
                expectBits(got.indices, want.indices);
              }
            }
          }
        }
      });
    });
  });

  describe(`${be.name} issue 17 indexing kernels of every dtype`, () => {
    it('gather, scatterAdd, indexSelect, indexAdd, scatterReduce, nonzero and searchsorted match the reference', () => {
      onThreads(() => {
        for (const layout of LAYOUTS)
          for (const dtype of ['float32', 'float64', 'int32'] as const) {
            const base = makeView([17, 9], layout);
            const x = dtype === 'float32' ? base : asDtype(base, dtype);
            const index = intView([17, 5], 9, layout);
            const src0 = makeView([17, 5], layout === 'transposed' ? 'strided' : layout);
            const src = dtype === 'float32' ? src0 : asDtype(src0, dtype);
            expectBits(be.gather(x, 1, index), jsBackend.gather(x, 1, index));
            expectBits(be.scatterAdd(x, 1, index, src), jsBackend.scatterAdd(x, 1, index, src));
            const index0 = intView([6, 9], 17, layout);
            const src6 = dtype === 'float32' ? makeView([6, 9], 'dense') : asDtype(makeView([6, 9], 'dense'), dtype);
            expectBits(be.scatterAdd(x, 0, index0, src6), jsBackend.scatterAdd(x, 0, index0, src6));
            for (const reduce of ['assign', 'sum', 'prod', 'mean', 'amax', 'amin'] as const)
              for (const includeSelf of [true, false])
                expectBits(be.scatterReduce(x, 1, index, src, reduce, includeSelf), jsBackend.scatterReduce(x, 1, index, src, reduce, includeSelf));
            const idx1 = ndarray(Int32Array.from([3, 0, 16, 3, 7]), [5]);
            expectBits(be.indexSelect(x, 0, idx1), jsBackend.indexSelect(x, 0, idx1));
            const srcRows = dtype === 'float32' ? makeView([5, 9], layout) : asDtype(makeView([5, 9], layout), dtype);
            expectBits(be.indexAdd(x, 0, idx1, srcRows), jsBackend.indexAdd(x, 0, idx1, srcRows));
            const sparse = ndarray(Float32Array.from(values(x), (v, i) => (i % 3 === 0 ? 0 : v)), x.shape);
            expectBits(be.nonzero(sparse), jsBackend.nonzero(sparse));
            const sorted = jsBackend.sort(x, 1, false, dtype).values;
            const probe = dtype === 'float32' ? makeView([17, 4], layout) : asDtype(makeView([17, 4], layout), dtype);
            for (const right of [false, true]) {
              expectBits(be.searchsorted(sorted, probe, right, null), jsBackend.searchsorted(sorted, probe, right, null));
              const order = jsBackend.sort(x, 1, false, dtype).indices;
              expectBits(be.searchsorted(x, probe, right, order), jsBackend.searchsorted(x, probe, right, order));
            }
          }
      });
    });
  });
}

// gelu's kernels (the unary gelu, geluTanh and erf, the binary geluGrad and geluTanhGrad) on
// every backend against the reference at the element-wise tolerance: odd sizes, strided and
// broadcast views, special values, and pinned operands split across 1, 2 and 3 threads.

/** x scaled by `s` (gelu's interesting range is wider than normal(0, 1)'s). */
function scaled(v: View, s: number): View {
  const d = Float32Array.from(v.data as Float32Array, (x) => x * s);
  return ndarray(d, [...v.shape], [...v.stride], v.offset);
}

for (const be of backends) {
  describe(`${be.name} gelu kernels`, () => {
    const unaryOps: UnaryOp[] = ['gelu', 'geluTanh', 'erf'];
    const gradOps: BinaryOp[] = ['geluGrad', 'geluTanhGrad'];
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 1e-6, -1e-6, 0.92, -0.93, 5, -5, 9.9, -10.5, 40, -40, 100, -100, 1e30, -1e30];
    const specialView = (n: number) => ndarray(new Float32Array(n).map((_, i) => specials[i % specials.length]!), [n]);

    it('unary gelu, geluTanh and erf match the reference on odd sizes and every layout, over [-6, 6]', () => {
      for (const op of unaryOps)
        for (const shape of SHAPES)
          for (const layout of LAYOUTS) {
            const x = scaled(makeView(shape, layout), 3);
            expectSame(be.unary(op, x, 'float32'), jsBackend.unary(op, x, 'float32'), 2e-6, 1e-6);
          }
    });
    it('unary gelu, geluTanh and erf give the reference special values (NaN stays NaN, erf(±inf) = ±1)', () => {
      const x = specialView(84);
      for (const op of unaryOps) expectSame(be.unary(op, x, 'float32'), jsBackend.unary(op, x, 'float32'), 2e-6, 1e-6);
      const e = values(be.unary('erf', ndarray(Float32Array.from([NaN, Infinity, -Infinity, -0]), [4]), 'float32'));
      expect(e.slice(0, 3)).toEqual([NaN, 1, -1]);
      expect(Object.is(e[3], -0)).toBe(true);
    });
    it('geluGrad and geluTanhGrad match the reference with broadcasting and strided operands', () => {
      const pairs: Array<[number[], number[]]> = [[[1000], [1000]], [[3], [1]], [[17, 33], [33]], [[17, 33], [17, 1]], [[1], [64, 3]], [[2, 3, 17, 5], [3, 1, 1]]];
      for (const op of gradOps)
        for (const [sa, sb] of pairs)
          for (const layout of LAYOUTS) {
            const shape = broadcastShape(sa, sb);
            const g = broadcast(makeView(sa, layout), shape);
            const x = broadcast(scaled(makeView(sb, layout === 'transposed' ? 'dense' : layout), 3), shape);
            expectSame(be.binary(op, g, x, 'float32'), jsBackend.binary(op, g, x, 'float32'), 2e-6, 1e-6);
          }
    });
    it('geluGrad and geluTanhGrad give the reference special values (NaN at ±inf and NaN, as PyTorch)', () => {
      const x = specialView(84);
      const g = ndarray(new Float32Array(84).fill(1.5), [84]);
      for (const op of gradOps) expectSame(be.binary(op, g, x, 'float32'), jsBackend.binary(op, g, x, 'float32'), 2e-6, 1e-6);
    });
    it('all five give the same values on 1, 2 and 3 threads, pinned and streamed, into existing views', () => {
      const n = 131075 * 2 + 1;
      const pin = (v: View): View => {
        const arr = wasmRuntime()!.pinArray(Float32Array, v.size)!;
        arr.set(values(v));
        return ndarray(arr, [...v.shape]);
      };
      const x = scaled(makeView([n], 'dense'), 3);
      const g = makeView([n], 'offset');
      const [px, pg] = [pin(x), pin(g)];
      onThreads(() => {
        for (const op of unaryOps) {
          const ref = jsBackend.unary(op, x, 'float32');
          expectSame(be.unary(op, x, 'float32'), ref, 2e-6, 1e-6);
          const out = pin(ndarray(new Float32Array(n), [n]));
          be.unaryInto(op, px, out);
          expectSame(out, ref, 2e-6, 1e-6);
        }
        for (const op of gradOps) {
          const ref = jsBackend.binary(op, g, x, 'float32');
          expectSame(be.binary(op, g, x, 'float32'), ref, 2e-6, 1e-6);
          const out = pin(ndarray(new Float32Array(n), [n]));
          be.binaryInto(op, pg, px, out);
          expectSame(out, ref, 2e-6, 1e-6);
        }
      });
    });
  });
}

// The native convolutions at the convnet's second layer (32 -> 64 channels, 3x3, 26x26): ~3
// images of column matrices per chunk, the weight gradient one product per chunk summed over
// its images, the input gradient's planes zeroed by the tasks that fill them; 1, 2 and 3
// threads give the same bits.
if (nativeLoad.addon) {
  describe('native conv2d over chunks of images', () => {
    const nb = makeNativeBackend(nativeLoad.addon!);
    const g: Conv2dGeometry = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
    it('forward, input and weight gradients match the reference on 1, 2 and 3 threads, the same bits on each', () => {
      const x = makeView([7, 32, 26, 26], 'dense');
      const w = makeView([64, 32, 3, 3], 'offset');
      const bias = makeView([64], 'dense');
      const grad = makeView([7, 64, 24, 24], 'dense');
      const want = [jsBackend.conv2d(x, w, g, bias), jsBackend.conv2dBackwardInput(grad, w, x.shape, g), jsBackend.conv2dBackwardWeight(x, grad, w.shape, g)];
      const runs: number[][][] = [];
      onThreads(() => {
        const got = [nb.conv2d(x, w, g, bias), nb.conv2dBackwardInput(grad, w, x.shape, g), nb.conv2dBackwardWeight(x, grad, w.shape, g)];
        expectSame(got[0]!, want[0]!, 1e-4, 4e-6 * Math.sqrt(288) * 4);
        expectSame(got[1]!, want[1]!, 1e-4, 2e-5 * Math.sqrt(64 * 9));
        expectSame(got[2]!, want[2]!, 1e-4, 4e-6 * Math.sqrt(7 * 576) * 4);
        runs.push(got.map((v) => values(v)));
      });
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  });
}
