import { dtypeOfArray, type DType, type TypedArray } from '../../dtype.js';
import type { Backend, Conv2dGeometry, ScanOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { Addon } from './addon.js';
import { MAX_ND, fresh, isContiguous } from './views.js';

// The native kernels that used to stage through the wasm backend (csrc/index.cc, scan.cc,
// sort.cc, window.cc): the embedding lookup and its gradient (gather, indexSelect, indexAdd),
// cumsum / cumprod, cummax / cummin, argmax / argmin, sort / topk, average pooling and
// resampling (interpolate) with their gradients. Each gives the reference kernel's result bit
// for bit (the same order of additions, the same tie and NaN rules; NaN's sign bit aside, which
// JavaScript does not keep) on any number of threads. A strided operand is first made contiguous
// by the native copy; gather and indexSelect read any strides directly. What they do not take
// (other dtypes, logcumsumexp, inputs under MIN_NATIVE elements, index values out of range) goes
// to the base, whose kernels say what is wrong. logcumsumexp stays there because its steps call
// Math.exp and Math.log1p, whose last bits C's libm need not reproduce (the wasm backend runs the
// reference for it too: no staging).

/** Below this many elements the base runs (an N-API call costs about as much as its loops). */
const MIN_NATIVE = 512;
/** Lines up to this long sort natively (the addon's limit: its scratch is ~28 bytes an element a thread). */
const MAX_SORT_LINE = 1 << 26;

/** One parameter block reused by every call (the addon reads it before returning). */
const P = new Float64Array(6 + 3 * MAX_ND);

/** The float array type of a view's data ('float32' | 'float64'), or null. */
function floatOf(v: View): 'float32' | 'float64' | null {
  return v.data instanceof Float32Array ? 'float32' : v.data instanceof Float64Array ? 'float64' : null;
}

/** Copies `v` (any strides) into the contiguous run of `out.data` from 0, natively (the js kernel past MAX_ND dims). */
function copyInto(addon: Addon, v: View, out: View, threads: number): void {
  const dims: number[] = [], strides: number[] = [];
  v.shape.forEach((n, d) => {
    if (n !== 1) {
      dims.push(n);
      strides.push(v.stride[d]!);
    }
  });
  if (dims.length > MAX_ND) {
    jsBackend.assign(out, v);
    return;
  }
  if (dims.length === 0) {
    dims.push(1);
    strides.push(0);
  }
  const nd = dims.length;
  P[0] = nd;
  P[1] = threads;
  P[2] = v.offset;
  P[3] = 0;
  P.set(dims, 4);
  P.set(strides, 4 + nd);
  addon.copyStrided(v.data, out.data, P);
}

/** The view's elements as a contiguous run: `data` from `offset` (the view's own array when it is one, else a native copy). */
function dense(addon: Addon, v: View, threads: number): { data: TypedArray; offset: number } {
  if (isContiguous(v)) return { data: v.data, offset: v.offset };
  const out = fresh(dtypeOfArray(v.data)!, v.shape);
  if (v.size > 0) copyInto(addon, v, out, threads);
  return { data: out.data, offset: 0 };
}

/** The stride that walks dims [from, to) of `v` as one run, or -1 when they do not merge (0 when all are size 1). */
function runStride(v: View, from: number, to: number): number {
  let stride = 0, next = -1;
  for (let d = to - 1; d >= from; d--) {
    const n = v.shape[d]!;
    if (n === 1) continue;
    if (next < 0) stride = v.stride[d]!;
    else if (v.stride[d] !== next) return -1;
    next = v.stride[d]! * n;
  }
  return stride;
}

/**
 * `x` as [outer, len, inner] around `dim` for the scan and sort kernels: its own array with the strides of
 * the three runs when the dims before and after `dim` each merge into one (a transposed matrix
 * among them), else a contiguous native copy. Writes xOff and the three strides at `at` in P.
 */
function linesAround(addon: Addon, x: View, dim: number, threads: number, at: number): TypedArray {
  let so = runStride(x, 0, dim), si = runStride(x, dim + 1, x.shape.length), sl = x.stride[dim]!;
  let data = x.data, offset = x.offset;
  if (so < 0 || si < 0 || sl < 0) {
    const d = dense(addon, x, threads);
    data = d.data;
    offset = d.offset;
    const [, inner] = around(x.shape, dim);
    [so, sl, si] = [x.shape[dim]! * inner, inner, 1];
  }
  P[at] = offset;
  P[at + 1] = so;
  P[at + 2] = sl;
  P[at + 3] = si;
  return data;
}

/** The sizes before and after `dim`: a row-major view is `[outer, shape[dim], inner]`. */
function around(shape: readonly number[], dim: number): [number, number] {
  let outer = 1, inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d]!;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  return [outer, inner];
}

/**
 * out (contiguous, `shape`) = x at `index` along `dim` with the index read with `is` (index's own
 * strides for gather; 0 but along `dim` for indexSelect); false when an index value is out of range.
 */
function gatherNative(addon: Addon, x: View, dim: number, index: View, shape: readonly number[], is: readonly number[], out: View, threads: number): boolean {
  const nd = shape.length;
  P[0] = nd;
  P[1] = threads;
  P[2] = x.offset;
  P[3] = index.offset;
  P[4] = x.shape[dim]!;
  P[5] = x.stride[dim]!;
  P.set(shape, 6);
  P.set(is, 6 + nd);
  for (let d = 0; d < nd; d++) P[6 + 2 * nd + d] = d === dim ? 0 : x.stride[d]!;
  return addon.gather(x.data, index.data as Int32Array, out.data, P) === 0;
}

/** Output size of a window along one axis (floor mode), as core's convolution. */
function outSize(size: number, k: number, stride: number, pad: number, dil: number): number {
  return Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
}

/** The pooling parameter block for planes of [H, W] and outputs [Ho, Wo]; the input's offset last. */
function poolParams(planes: number, H: number, W: number, kernel: [number, number], g: Conv2dGeometry, threads: number, off: number): [number, number] {
  const Ho = outSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = outSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  P.set([planes, H, W, Ho, Wo, kernel[0], kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], threads, off]);
  return [Ho, Wo];
}

/** The taps [M, K] of a resampling as a contiguous Int32Array and Float64Array (small: copied by the js kernels when strided or float32). */
function taps(index: View, weight: View): { index: Int32Array; weight: Float64Array } | null {
  if (!(index.data instanceof Int32Array) || floatOf(weight) === null) return null;
  const n = index.size;
  let ix = index.data.subarray(index.offset, index.offset + n);
  if (!isContiguous(index)) {
    const c = fresh('int32', index.shape);
    jsBackend.assign(c, index);
    ix = c.data as Int32Array;
  }
  let w = weight.data.subarray(weight.offset, weight.offset + n);
  if (!(w instanceof Float64Array && isContiguous(weight))) {
    const c = fresh('float64', weight.shape);
    jsBackend.assign(c, weight);
    w = c.data as Float64Array;
  }
  return { index: ix, weight: w as Float64Array };
}

/**
 * The kernels of the native backend done by csrc/index.cc, scan.cc and sort.cc, over `base` for
 * what they do not take. @internal
 */
export function stagedKernels(addon: Addon, base: Backend, threads: () => number): Pick<Backend, 'gather' | 'indexSelect' | 'indexAdd' | 'scan' | 'cumExtreme' | 'argReduce' | 'sort' | 'avgPool2d' | 'avgPool2dBackward' | 'resample' | 'resampleBackward'> {
  return {
    gather(x: View, dim: number, index: View): View {
      const nd = index.shape.length;
      const dtype = dtypeOfArray(x.data);
      if (index.size < MIN_NATIVE || nd === 0 || nd > MAX_ND || x.shape.length !== nd || !(index.data instanceof Int32Array) || !dtype) return base.gather(x, dim, index);
      const out = fresh(dtype, index.shape);
      return gatherNative(addon, x, dim, index, index.shape, index.stride, out, threads()) ? out : base.gather(x, dim, index);
    },

    indexSelect(x: View, dim: number, index: View): View {
      const nd = x.shape.length;
      const dtype = dtypeOfArray(x.data);
      if (nd === 0 || nd > MAX_ND || index.shape.length !== 1 || !(index.data instanceof Int32Array) || !dtype) return base.indexSelect(x, dim, index);
      const shape = x.shape.slice();
      shape[dim] = index.shape[0]!;
      const out = fresh(dtype, shape);
      if (out.size < MIN_NATIVE) return base.indexSelect(x, dim, index);
      const is = shape.map((_, d) => (d === dim ? index.stride[0]! : 0));
      return gatherNative(addon, x, dim, index, shape, is, out, threads()) ? out : base.indexSelect(x, dim, index);
    },

    indexAdd(x: View, dim: number, index: View, src: View): View {
      const dtype = floatOf(x);
      const nd = x.shape.length;
      if (!dtype || floatOf(src) !== dtype || nd === 0 || index.shape.length !== 1 || !(index.data instanceof Int32Array) || (x.size < MIN_NATIVE && src.size < MIN_NATIVE)) {
        return base.indexAdd(x, dim, index, src);
      }
      const t = threads();
      const s = dense(addon, src, t);
      const out = fresh(dtype, x.shape);
      if (out.size > 0) copyInto(addon, x, out, t);
      const [outer, inner] = around(x.shape, dim);
      P[0] = outer;
      P[1] = x.shape[dim]!;
      P[2] = index.shape[0]!;
      P[3] = inner;
      P[4] = t;
      P[5] = index.offset;
      P[6] = index.stride[0]!;
      P[7] = s.offset;
      return addon.indexAdd(out.data as Float32Array | Float64Array, index.data, s.data as Float32Array | Float64Array, P) === 0 ? out : base.indexAdd(x, dim, index, src);
    },

    scan(op: ScanOp, x: View, dim: number, reverse: boolean, outDtype: DType): View {
      if (op === 'logsumexp' || x.size < MIN_NATIVE || x.shape.length === 0 || !floatOf(x) || (outDtype !== 'float32' && outDtype !== 'float64')) {
        return base.scan(op, x, dim, reverse, outDtype);
      }
      const t = threads();
      const data = linesAround(addon, x, dim, t, 6);
      const out = fresh(outDtype, x.shape);
      const [outer, inner] = around(x.shape, dim);
      P.set([op === 'prod' ? 1 : 0, outer, x.shape[dim]!, inner, reverse ? 1 : 0, t]);
      addon.scan(data as Float32Array | Float64Array, out.data as Float32Array | Float64Array, P);
      return out;
    },

    cumExtreme(op: 'max' | 'min', x: View, dim: number, outDtype: DType): { values: View; indices: View } {
      if (x.size < MIN_NATIVE || x.shape.length === 0 || !floatOf(x) || (outDtype !== 'float32' && outDtype !== 'float64')) return base.cumExtreme(op, x, dim, outDtype);
      const t = threads();
      const data = linesAround(addon, x, dim, t, 5);
      const values = fresh(outDtype, x.shape), indices = fresh('int32', x.shape);
      const [outer, inner] = around(x.shape, dim);
      P.set([op === 'max' ? 1 : 0, outer, x.shape[dim]!, inner, t]);
      addon.cumExtreme(data as Float32Array | Float64Array, values.data as Float32Array | Float64Array, indices.data as Int32Array, P);
      return { values, indices };
    },

    argReduce(op: 'argmax' | 'argmin', x: View, dim: number): View {
      const ok = x.data instanceof Float32Array || x.data instanceof Float64Array || x.data instanceof Int32Array;
      if (!ok || x.size < MIN_NATIVE || x.shape.length === 0) return base.argReduce(op, x, dim);
      const t = threads();
      const data = linesAround(addon, x, dim, t, 5);
      const out = fresh('int32', x.shape.map((n, d) => (d === dim ? 1 : n)));
      const [outer, inner] = around(x.shape, dim);
      P.set([op === 'argmax' ? 1 : 0, outer, x.shape[dim]!, inner, t]);
      addon.argReduce(data as Float32Array | Float64Array | Int32Array, out.data as Int32Array, P);
      return out;
    },

    sort(x: View, dim: number, descending: boolean, outDtype: DType, k?: number): { values: View; indices: View } {
      const nd = x.shape.length;
      const len = nd === 0 ? 1 : x.shape[dim]!;
      const kk = k ?? len;
      const floatIn = floatOf(x) !== null;
      const typesOk = floatIn || x.data instanceof Int32Array ? outDtype === 'float32' || outDtype === 'float64' || (!floatIn && outDtype === 'int32') : false;
      if (!typesOk || nd === 0 || x.size < MIN_NATIVE || kk < 1 || kk > len || len > MAX_SORT_LINE) return base.sort(x, dim, descending, outDtype, k);
      const t = threads();
      const data = linesAround(addon, x, dim, t, 6);
      const shape = x.shape.map((n, d) => (d === dim ? kk : n));
      const values = fresh(outDtype, shape), indices = fresh('int32', shape);
      const [outer, inner] = around(x.shape, dim);
      P.set([outer, len, inner, kk, descending ? 1 : 0, t]);
      addon.sort(data as Float32Array | Float64Array | Int32Array, values.data as Float32Array | Float64Array | Int32Array, indices.data as Int32Array, P);
      return { values, indices };
    },

    avgPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): View {
      const dtype = floatOf(x);
      if (!dtype || x.size < MIN_NATIVE) return base.avgPool2d(x, kernel, g);
      const [N, C, H, W] = x.shape as [number, number, number, number];
      const t = threads();
      const s = dense(addon, x, t);
      const [Ho, Wo] = poolParams(N * C, H, W, kernel, g, t, s.offset);
      if (!(Ho > 0 && Wo > 0)) return base.avgPool2d(x, kernel, g);
      const out = fresh(dtype, [N, C, Ho, Wo]);
      addon.avgPool(s.data as Float32Array | Float64Array, out.data as Float32Array | Float64Array, P);
      return out;
    },

    avgPool2dBackward(grad: View, inputShape: readonly number[], kernel: [number, number], g: Conv2dGeometry): View {
      const dtype = floatOf(grad);
      const [N, C, H, W] = inputShape as [number, number, number, number];
      if (!dtype || grad.size < MIN_NATIVE || N * C * H * W === 0) return base.avgPool2dBackward(grad, inputShape, kernel, g);
      const t = threads();
      const s = dense(addon, grad, t);
      const [Ho, Wo] = poolParams(N * C, H, W, kernel, g, t, s.offset);
      if (grad.shape[0] !== N || grad.shape[1] !== C || grad.shape[2] !== Ho || grad.shape[3] !== Wo) return base.avgPool2dBackward(grad, inputShape, kernel, g);
      const dx = fresh(dtype, inputShape);
      addon.avgPoolBackward(s.data as Float32Array | Float64Array, dx.data as Float32Array | Float64Array, P);
      return dx;
    },

    resample(x: View, dim: number, index: View, weight: View): View {
      const dtype = floatOf(x);
      const [M, K] = index.shape as [number, number];
      const tp = dtype && x.size >= MIN_NATIVE && M * K > 0 ? taps(index, weight) : null;
      if (!tp) return base.resample(x, dim, index, weight);
      const t = threads();
      const s = dense(addon, x, t);
      const out = fresh(dtype!, x.shape.map((d, i) => (i === dim ? M : d)));
      const [outer, inner] = around(x.shape, dim);
      P.set([outer, x.shape[dim]!, inner, M, K, t, s.offset]);
      const bad = addon.resample(s.data as Float32Array | Float64Array, tp.index, tp.weight, out.data as Float32Array | Float64Array, P);
      return bad === 0 ? out : base.resample(x, dim, index, weight);
    },

    resampleBackward(g: View, dim: number, index: View, weight: View, inSize: number): View {
      const dtype = floatOf(g);
      const [M, K] = index.shape as [number, number];
      const tp = dtype && g.size >= MIN_NATIVE && M * K > 0 && inSize > 0 ? taps(index, weight) : null;
      if (!tp) return base.resampleBackward(g, dim, index, weight, inSize);
      const t = threads();
      const s = dense(addon, g, t);
      const out = fresh(dtype!, g.shape.map((d, i) => (i === dim ? inSize : d)));
      const [outer, inner] = around(g.shape, dim);
      P.set([outer, inSize, inner, M, K, t, s.offset]);
      const bad = addon.resampleBackward(s.data as Float32Array | Float64Array, tp.index, tp.weight, out.data as Float32Array | Float64Array, P);
      return bad === 0 ? out : base.resampleBackward(g, dim, index, weight, inSize);
    },
  };
}
