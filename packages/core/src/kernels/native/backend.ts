import { allocate, dtypeOfArray, type DType } from '../../dtype.js';
import type { AdamHyper, Backend, BinaryOp, Conv2dGeometry, ReduceOp, SgdHyper, UnaryOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { Addon } from './addon.js';
import { MAX_ND, fresh, isContiguous } from './views.js';
import { stagedKernels } from './staged.js';

// The native kernels (the C++ addon of @tapegrad/native). Each reads and writes the tensors' own
// typed arrays (the addon gets their memory from N-API: no staging copy) and hands what it does
// not handle to a base backend: the wasm backend where it is available (faster than the
// reference for pooling, softmax, layer norm, ...), else the js reference. What it hands over:
// other dtypes (int32, bool, mixed), other ops, and for the element-wise maps and sums, layouts
// the native loops do not take (documented on each kernel).

/** The thread count every call passes to the addon (core's `getNumThreads`, set by the registry). */
let getNumThreads: () => number = () => 1;

type FloatArray = Float32Array | Float64Array;

const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, reluBackward: 4, sigmoidBackward: 5, tanhBackward: 6, geluGrad: 7, geluTanhGrad: 8 };
/** Binary ops done natively on float32 only (float64 stays on the reference: its erf's bits). */
const FLOAT32_ONLY = new Set<BinaryOp>(['geluGrad', 'geluTanhGrad']);
const UNARY: Partial<Record<UnaryOp, number>> = { exp: 0, log: 1, tanh: 2, sigmoid: 3, relu: 4, neg: 5, erf: 6, gelu: 7, geluTanh: 8 };
/**
 * float64 maps done natively: only the exact ones. float64 exp, log, tanh and sigmoid stay on the
 * reference (JavaScript's Math), so float64 results are the reference's bits: C's libm and V8's
 * differ in the last bit now and then, and float64 is the precision of gradient checks.
 */
const EXACT = new Set<UnaryOp>(['relu', 'neg']);
/**
 * Below this many elements the js kernels are faster than a call into the addon (an N-API call
 * and its typed-array lookups cost about as much as a JavaScript loop over ~500 floats) or the
 * wasm kernels (which stage operands in and out): small element-wise ops, sums and selects run
 * on the reference, which keeps the per-op overhead of tiny tensors as low as the js backend's.
 */
const MIN_NATIVE = 512;

/** One parameter block reused by every call (the addon reads it before returning). */
const params = new Float64Array(5 + 4 * MAX_ND);

/** The float array type of `dtype`, or null for int32/bool. */
function floatCtor(dtype: DType): typeof Float32Array | typeof Float64Array | null {
  return dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : null;
}

/** True when `v`'s data is an array of exactly the type `dtype` stores in. */
function isFloat(v: View, dtype: DType): boolean {
  const C = floatCtor(dtype);
  return C !== null && v.data instanceof C;
}

/** Scratch for {@link collapse}: the merged sizes and up to three views' merged strides. */
const mergedDims = new Float64Array(MAX_ND);
const mergedStrides = [new Float64Array(MAX_ND), new Float64Array(MAX_ND), new Float64Array(MAX_ND)] as const;

/**
 * Writes `[nd]` at 0 and `[shape..., s0..., s1..., s2...]` from `at` into the parameter block
 * for a row-major walk of `shape` through one to three views with strides s0, s1, s2: size-1
 * dims dropped and neighbouring dims merged where every view steps through them as one.
 * Returns nd, or -1 when more than MAX_ND dims remain (the caller falls back). Allocates
 * nothing: it runs for every native element-wise op, and per-op garbage makes V8 collect more
 * often (measured: ~0.5 KB more per 4 MB add doubled the major collections in a loop).
 */
function collapse(shape: readonly number[], at: number, s0: readonly number[], s1?: readonly number[], s2?: readonly number[]): number {
  const views = s2 !== undefined ? 3 : s1 !== undefined ? 2 : 1;
  const m0 = mergedStrides[0], m1 = mergedStrides[1], m2 = mergedStrides[2];
  let k = -1;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const a = s0[d]!, b = views > 1 ? s1![d]! : 0, c = views > 2 ? s2![d]! : 0;
    if (k >= 0 && m0[k] === a * n && (views < 2 || m1[k] === b * n) && (views < 3 || m2[k] === c * n)) {
      mergedDims[k] *= n;
    } else {
      if (++k >= MAX_ND) return -1;
      mergedDims[k] = n;
    }
    m0[k] = a;
    m1[k] = b;
    m2[k] = c;
  }
  if (k < 0) {
    k = 0;
    mergedDims[0] = 1;
    m0[0] = m1[0] = m2[0] = 0;
  }
  const nd = k + 1;
  params[0] = nd;
  for (let d = 0; d < nd; d++) {
    params[at + d] = mergedDims[d]!;
    params[at + nd + d] = m0[d]!;
    if (views > 1) params[at + 2 * nd + d] = m1[d]!;
    if (views > 2) params[at + 3 * nd + d] = m2[d]!;
  }
  return nd;
}

/**
 * Runs `out = a op b` natively into `out`, any view whose elements are distinct and whose
 * innermost (merged) dim is contiguous (a slice of a wider tensor included); false if it cannot.
 */
function binaryNative(addon: Addon, op: BinaryOp, a: View, b: View, out: View): boolean {
  const code = BINARY[op];
  if (code === undefined || a.data.constructor !== out.data.constructor || b.data.constructor !== out.data.constructor) return false;
  if (!(out.data instanceof Float32Array || (out.data instanceof Float64Array && !FLOAT32_ONLY.has(op)))) return false;
  const nd = collapse(out.shape, 5, a.stride, b.stride, out.stride);
  if (nd < 0 || params[5 + 4 * nd - 1] !== 1 && out.size > 1) return false;
  for (let d = 0; d < nd; d++) if (params[5 + 3 * nd + d] === 0 && params[5 + d]! > 1) return false;
  params[1] = getNumThreads();
  params[2] = a.offset;
  params[3] = b.offset;
  params[4] = out.offset;
  addon.binary(code, a.data as FloatArray, b.data as FloatArray, out.data, params);
  return true;
}

/** Runs `out = f(x)` natively when both are contiguous float arrays of one type; false if it cannot. */
function unaryNative(addon: Addon, op: UnaryOp, x: View, out: View): boolean {
  const code = UNARY[op];
  if (code === undefined || x.data.constructor !== out.data.constructor) return false;
  if (!(out.data instanceof Float32Array || (out.data instanceof Float64Array && EXACT.has(op)))) return false;
  if (!isContiguous(x) || !isContiguous(out)) return false;
  params[0] = x.size;
  params[1] = getNumThreads();
  params[2] = x.offset;
  params[3] = out.offset;
  addon.unary(code, x.data as FloatArray, out.data, params);
  return true;
}

/** True when `a` and `b` are the same elements of the same array in the same order. */
function sameView(a: View, b: View): boolean {
  return a.data === b.data && a.offset === b.offset && a.shape.length === b.shape.length && a.shape.every((n, d) => n === b.shape[d] && (n === 1 || a.stride[d] === b.stride[d]));
}

/** The typed array type `dtype` stores in. */
const ARRAY_OF: Record<DType, Function> = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };

/**
 * Copies the elements of `x` (any strides) into the contiguous run of `out` from its offset,
 * natively, when both hold `dtype`'s array type; false if it cannot (the caller falls back).
 */
function copyNative(addon: Addon, x: View, out: View, dtype: DType): boolean {
  if (x.data.constructor !== ARRAY_OF[dtype] || out.data.constructor !== ARRAY_OF[dtype]) return false;
  if (collapse(x.shape, 4, x.stride) < 0) return false;
  params[1] = getNumThreads();
  params[2] = x.offset;
  params[3] = out.offset;
  addon.copyStrided(x.data, out.data, params);
  return true;
}

/**
 * The view's elements as one contiguous array: the array itself when it is exactly that, a
 * subarray (no copy: N-API hands the kernel its memory from the subarray's start) when the view
 * is a contiguous run inside a larger array (a batch narrowed out of a dataset), else a copy
 * (native when it can, e.g. a transposed gradient).
 */
function packed(addon: Addon, v: View): FloatArray {
  const data = v.data as FloatArray;
  if (isContiguous(v)) return v.offset === 0 && data.length === v.size ? data : data.subarray(v.offset, v.offset + v.size);
  const dtype = data instanceof Float32Array ? 'float32' : 'float64';
  const out = fresh(dtype, v.shape);
  // callers may have filled the shared parameter block already (packed() runs in their argument lists)
  const saved = params.slice();
  if (!copyNative(addon, v, out, dtype)) jsBackend.assign(out, v);
  params.set(saved);
  return out.data as FloatArray;
}

/** Output size of a window along one axis (floor mode), as core's convolution. */
function outSize(size: number, k: number, stride: number, pad: number, dil: number): number {
  return Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
}

/** The conv parameter block for x [N, C, H, W] and w [O, C/groups, kH, kW]. */
function convParams(xShape: readonly number[], wShape: readonly number[], g: Conv2dGeometry): Float64Array {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , kH, kW] = wShape as [number, number, number, number];
  const Ho = outSize(H, kH, g.stride[0], g.padding[0], g.dilation[0]);
  const Wo = outSize(W, kW, g.stride[1], g.padding[1], g.dilation[1]);
  params.set([N, C, H, W, O, kH, kW, g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], g.groups, Ho, Wo, getNumThreads()]);
  return params;
}

/**
 * Sum over any dims of any strided float view (e.g. a convolution's bias gradient, dims 0, 2, 3):
 * kept and reduced dims each merged where they are neighbours in memory order. Falls back to the
 * js kernel past MAX_ND groups.
 */
function sumDims(addon: Addon, base: Backend, x: View, dims: readonly number[], outDtype: DType): View {
  const red = new Set(dims);
  const ks: number[] = [], kst: number[] = [], rs: number[] = [], rst: number[] = [];
  let lastKind: boolean | null = null;
  for (let d = 0; d < x.shape.length; d++) {
    const n = x.shape[d]!, st = x.stride[d]!, r = red.has(d);
    if (n === 1) continue;
    const [S, T] = r ? [rs, rst] : [ks, kst];
    const k = S.length - 1;
    if (lastKind === r && k >= 0 && T[k] === st * n) {
      S[k]! *= n;
      T[k] = st;
    } else {
      S.push(n);
      T.push(st);
    }
    lastKind = r;
  }
  const out = fresh(outDtype, x.shape.map((n, d) => (red.has(d) ? 1 : n)));
  if (out.size === 0) return out;
  if (ks.length > MAX_ND || rs.length > MAX_ND) return base.reduce('sum', x, dims, outDtype);
  params[0] = getNumThreads();
  params[1] = x.offset;
  params[2] = ks.length;
  params[3] = rs.length;
  params.set([...ks, ...kst, ...rs, ...rst], 4);
  addon.sumDims(x.data as FloatArray, out.data as FloatArray, params);
  return out;
}

/** The elements of a float32 view as one contiguous Float32Array from index 0 (a copy unless it already is one). */
function packed32(addon: Addon, v: View): Float32Array {
  return packed(addon, v) as Float32Array;
}

/** True when every view holds float32. */
function allF32(...vs: View[]): boolean {
  return vs.every((v) => v.data instanceof Float32Array);
}

/** Elements per row of layer norm over the last `k` dims, and the rows. */
function normRows(shape: readonly number[], k: number): [number, number] {
  let n = 1;
  for (let d = shape.length - k; d < shape.length; d++) n *= shape[d]!;
  let size = 1;
  for (const s of shape) size *= s;
  return [n === 0 ? 0 : size / n, n];
}

/** Offsets of each batch item of attention's operands, reused between calls (grown when needed). */
let attentionOffsets = new Float64Array(0);

/**
 * For each batch item b of `views` (all with the batch dims `batch`, their leading dims), the
 * element offset of each view's [rows, cols] block: `out[views.length * b + i]`.
 */
function batchOffsets(views: readonly View[], batch: readonly number[]): Float64Array {
  let bt = 1;
  for (const n of batch) bt *= n;
  const per = views.length;
  if (attentionOffsets.length < per * bt) attentionOffsets = new Float64Array(per * bt);
  const out = attentionOffsets;
  for (let i = 0; i < per; i++) out[i] = views[i]!.offset;
  // each next item: the previous one's offsets plus the strides of the dims that advanced
  let filled = 1;
  for (let d = batch.length - 1; d >= 0; d--) {
    const n = batch[d]!;
    for (let r = 1; r < n; r++)
      for (let b = 0; b < filled; b++)
        for (let i = 0; i < per; i++) out[per * (r * filled + b) + i] = out[per * b + i]! + r * views[i]!.stride[d]!;
    filled *= n;
  }
  return out;
}

/** `v` itself when its rows' elements are adjacent (last stride 1), else a contiguous copy by `copy`. */
function rowsAdjacent(v: View, copy: (v: View) => View): View {
  const nd = v.shape.length;
  return v.shape[nd - 1]! <= 1 || v.stride[nd - 1] === 1 ? v : copy(v);
}

/** True when every view holds float32, or every one float64 (the conv kernels take one type). */
function sameFloat(...vs: View[]): boolean {
  const C = vs[0]!.data.constructor;
  return (C === Float32Array || C === Float64Array) && vs.every((v) => v.data.constructor === C);
}

/**
 * The native backend over a loaded addon: the kernels of `base` (the registry passes the wasm
 * backend where it is available, else the js reference; tests pass another), on `threads()`
 * threads (the registry passes `getNumThreads`), with these replaced:
 * - `matmul` for float32 and float64 (both operands of the output's type), any strides (all
 *   transpose layouts, broadcast batches), batched: the packed, register-tiled GEMM on the
 *   addon's thread pool; `matmulBias` the same, each row of C starting from the bias (adjacent values);
 * - `binary` / `binaryInto` for add, sub, mul, div, reluBackward, sigmoidBackward and
 *   tanhBackward on float32/float64 operands, geluGrad and geluTanhGrad on float32, of
 *   the output's type, any strides (broadcasts included), output contiguous;
 * - `unary` / `unaryInto` for exp, log, tanh, sigmoid (float32; Cephes' polynomials, within 2
 *   ulp), erf, gelu and geluTanh (float32; the wasm kernels' minimax fits), relu and neg
 *   (float32, float64) on contiguous input and output (strided inputs and float64
 *   exp/log/tanh/sigmoid/erf/gelu go to the base);
 * - `reduce` sum over any dims of a float32/float64 input (any strides), accumulated in
 *   float64;
 * - `conv2d`, `conv2dBackwardInput`, `conv2dBackwardWeight` on float32/float64 (any stride,
 *   padding, dilation, groups): im2col and the native GEMM; non-contiguous operands are copied
 *   to contiguous arrays first;
 * - `maxPool2d` (float32/float64, any geometry) when the base is not wasm (whose SIMD kernel is
 *   faster), and float32 2x2 windows of stride 2 always (vectorised), and `scatterAdd` along the last dim with
 *   contiguous int32 index and src (the route of maxPool2d's gradient);
 * - `softmax` / `softmaxBackward` (log or not) of float32 rows along the last dim, contiguous:
 *   the reference's float64 sums with the float32 vector exp (within a few ulp);
 * - `adamUpdate`, `sgdUpdate`: the reference's float64 arithmetic in the same order, stores
 *   rounded, so the same bits as the js kernels, split across the thread pool;
 * - `layerNorm` with both gradients on float32 (non-contiguous operands copied first): the
 *   reference's float64 formulas rounded once;
 * - `attention` and `attentionBackward` on float32: one batch item per task, the native GEMM
 *   and softmax rows (operands whose rows' elements are not adjacent copied first);
 * - `lstmCell` and `lstmCellBackward` on float32: rows of gates with the vector σ and tanh
 *   (operands whose rows' elements are not adjacent copied first);
 * - `unary('copy')` of any strided view and `where` with any broadcasts, of any dtype whose
 *   operands hold its array type (bits moved), and `binaryInPlace` add/sub (alpha 1), mul, div
 *   on float arrays of one type (the reference's bits), into any destination whose rows are
 *   contiguous.
 * @internal
 */
export function makeNativeBackend(addon: Addon, base: Backend = jsBackend, threads: () => number = getNumThreads): Backend {
  getNumThreads = threads;
  // the base's kernels only: its memory hooks (wasm's pinned arrays, its worker pool's warm
  // buffers) belong to it being the current backend
  const { allocPinned: _p, isPinned: _i, activate: _a, ...kernels } = base;
  // tiny element-wise ops, sums and selects: core's js loops, whose per-call cost is the
  // lowest (a [128] mul 0.7 us, the wasm kernel's staging 2.8 us, the addon ~1.7 us: measured)
  const small = base.name === 'wasm' ? jsBackend : base;
  /** `a b` (plus `bias` on every row) by the native GEMM; other dtypes go to the base. */
  const gemm = (a: View, b: View, bias: View | null, outDtype: DType): View => {
    if (!isFloat(a, outDtype) || !isFloat(b, outDtype)) return bias ? base.matmulBias(a, b, bias, outDtype) : base.matmul(a, b, outDtype);
    const [B, M, K] = a.shape as [number, number, number];
    const N = b.shape[2]!;
    const out = fresh(outDtype, [B, M, N]);
    if (out.size === 0) return out;
    params[0] = a.offset;
    params[1] = a.stride[0]!;
    params[2] = a.stride[1]!;
    params[3] = a.stride[2]!;
    params[4] = b.offset;
    params[5] = b.stride[0]!;
    params[6] = b.stride[1]!;
    params[7] = b.stride[2]!;
    params[8] = B;
    params[9] = M;
    params[10] = N;
    params[11] = K;
    params[12] = getNumThreads();
    if (bias === null) addon.gemm(a.data as FloatArray, b.data as FloatArray, out.data as FloatArray, params);
    else {
      params[13] = bias.offset;
      addon.gemm(a.data as FloatArray, b.data as FloatArray, out.data as FloatArray, params, bias.data as FloatArray);
    }
    return out;
  };
  return {
    ...kernels,
    name: 'native',

    matmul(a: View, b: View, outDtype: DType): View {
      return gemm(a, b, null, outDtype);
    },

    matmulBias(a: View, b: View, bias: View, outDtype: DType): View {
      // the bias's N values must be adjacent (a parameter's are)
      if (!isFloat(bias, outDtype) || (bias.stride[0] !== 1 && bias.size > 1)) return base.matmulBias(a, b, bias, outDtype);
      return gemm(a, b, bias, outDtype);
    },

    binary(op: BinaryOp, a: View, b: View, outDtype: DType): View {
      if (a.size < MIN_NATIVE) return small.binary(op, a, b, outDtype);
      if (BINARY[op] === undefined || !isFloat(a, outDtype) || !isFloat(b, outDtype)) return base.binary(op, a, b, outDtype);
      const out = fresh(outDtype, a.shape);
      if (out.size === 0) return out;
      return binaryNative(addon, op, a, b, out) ? out : base.binary(op, a, b, outDtype);
    },

    binaryInto(op: BinaryOp, a: View, b: View, out: View): void {
      if (out.size < MIN_NATIVE) small.binaryInto(op, a, b, out);
      else if (!binaryNative(addon, op, a, b, out)) base.binaryInto(op, a, b, out);
    },

    unary(op: UnaryOp, x: View, outDtype: DType, p0?: number, p1?: number): View {
      if (x.size < MIN_NATIVE) return small.unary(op, x, outDtype, p0, p1);
      if (op === 'copy') {
        const out = fresh(outDtype, x.shape);
        return copyNative(addon, x, out, outDtype) ? out : base.unary(op, x, outDtype, p0, p1);
      }
      if (UNARY[op] === undefined || !isFloat(x, outDtype) || !isContiguous(x) || (outDtype === 'float64' && !EXACT.has(op))) {
        return base.unary(op, x, outDtype, p0, p1);
      }
      const out = fresh(outDtype, x.shape);
      if (out.size > 0) unaryNative(addon, op, x, out);
      return out;
    },

    unaryInto(op: UnaryOp, x: View, out: View, p0?: number, p1?: number): void {
      if (x.size < MIN_NATIVE) small.unaryInto(op, x, out, p0, p1);
      else if (op === 'copy' && isContiguous(out) && copyNative(addon, x, out, dtypeOfArray(out.data)!)) return;
      else if (!unaryNative(addon, op, x, out)) base.unaryInto(op, x, out, p0, p1);
    },

    assign(dst: View, src: View): void {
      // into a contiguous destination of the source's array type (copy_, cat along the first
      // dim): the native strided copy; casts and strided destinations go to the base. The caller
      // has copied a source that partly overlaps dst (inplace.ts, operandView).
      if (dst.size < MIN_NATIVE || !isContiguous(dst) || src.data.constructor !== dst.data.constructor || !copyNative(addon, src, dst, dtypeOfArray(dst.data)!))
        base.assign(dst, src);
    },

    binaryInPlace(op: 'add' | 'sub' | 'mul' | 'div' | 'maximum', dst: View, src: View, alpha: number): void {
      // dst op= src (alpha 1 for add and sub): one rounding of each exact float result, as the
      // reference's float64 arithmetic rounded once gives, so the same bits
      // a source sharing dst's memory other than as dst itself goes to the base, which reads it
      // in the reference's order (chunks on threads would not)
      const plain = op === 'mul' || op === 'div' || ((op === 'add' || op === 'sub') && alpha === 1);
      const aliased = src.data.buffer === dst.data.buffer && !sameView(src, dst);
      if (!plain || aliased || dst.size < MIN_NATIVE || !binaryNative(addon, op as BinaryOp, dst, src, dst)) {
        base.binaryInPlace(op, dst, src, alpha);
      }
    },

    conv2d(x: View, w: View, g: Conv2dGeometry, bias?: View | null): View {
      if (!sameFloat(x, w, ...(bias ? [bias] : []))) return base.conv2d(x, w, g, bias);
      const p = convParams(x.shape, w.shape, g);
      const dtype: DType = x.data instanceof Float32Array ? 'float32' : 'float64';
      const out = fresh(dtype, [p[0]!, p[4]!, p[14]!, p[15]!]);
      if (out.size === 0) return out;
      if (x.size === 0 || w.size === 0) {
        // no input pixels or kernel taps: the bias alone (or zeros)
        return bias ? base.conv2d(x, w, g, bias) : { ...out, data: allocate(dtype, out.size) };
      }
      addon.conv(0, packed(addon, x), packed(addon, w), bias ? packed(addon, bias) : null, out.data as FloatArray, p);
      return out;
    },

    conv2dBackwardInput(grad: View, w: View, inputShape: readonly number[], g: Conv2dGeometry): View {
      if (!sameFloat(grad, w) || grad.size === 0 || w.size === 0) return base.conv2dBackwardInput(grad, w, inputShape, g);
      const p = convParams(inputShape, w.shape, g);
      const dx = fresh(grad.data instanceof Float32Array ? 'float32' : 'float64', inputShape);
      if (dx.size === 0) return dx;
      addon.conv(1, packed(addon, grad), packed(addon, w), null, dx.data as FloatArray, p);
      return dx;
    },

    conv2dBackwardWeight(x: View, grad: View, weightShape: readonly number[], g: Conv2dGeometry): View {
      if (!sameFloat(x, grad) || x.size === 0 || grad.size === 0) return base.conv2dBackwardWeight(x, grad, weightShape, g);
      const p = convParams(x.shape, weightShape, g);
      const dw = fresh(x.data instanceof Float32Array ? 'float32' : 'float64', weightShape);
      if (dw.size === 0) return dw;
      addon.conv(2, packed(addon, x), packed(addon, grad), null, dw.data as FloatArray, p);
      return dw;
    },

    softmax(x: View, dim: number, log: boolean): View {
      // float32 rows along the last dim (float64 stays on the reference: its exp's bits)
      const nd = x.shape.length;
      if (x.size < MIN_NATIVE || dim !== nd - 1 || !(x.data instanceof Float32Array) || !isContiguous(x)) return base.softmax(x, dim, log);
      const out = fresh('float32', x.shape);
      params[0] = x.size / x.shape[nd - 1]!;
      params[1] = x.shape[nd - 1]!;
      params[2] = log ? 1 : 0;
      params[3] = getNumThreads();
      params[4] = x.offset;
      addon.softmax(x.data, out.data as Float32Array, params);
      return out;
    },

    softmaxBackward(g: View, y: View, dim: number, log: boolean): View {
      const nd = g.shape.length;
      if (g.size < MIN_NATIVE || dim !== nd - 1 || !(g.data instanceof Float32Array) || !(y.data instanceof Float32Array) || !isContiguous(g) || !isContiguous(y)) {
        return base.softmaxBackward(g, y, dim, log);
      }
      const out = fresh('float32', g.shape);
      params[0] = g.size / g.shape[nd - 1]!;
      params[1] = g.shape[nd - 1]!;
      params[2] = log ? 1 : 0;
      params[3] = getNumThreads();
      params[4] = g.offset;
      params[5] = y.offset;
      addon.softmaxBackward(g.data, y.data, out.data as Float32Array, params);
      return out;
    },

    where(cond: View, a: View, b: View, outDtype: DType): View {
      if (cond.size < MIN_NATIVE) return small.where(cond, a, b, outDtype);
      const C = ARRAY_OF[outDtype];
      if (!(cond.data instanceof Uint8Array) || a.data.constructor !== C || b.data.constructor !== C) return base.where(cond, a, b, outDtype);
      const nd = collapse(cond.shape, 5, cond.stride, a.stride, b.stride);
      if (nd < 0) return base.where(cond, a, b, outDtype);
      const out = fresh(outDtype, cond.shape);
      params[1] = getNumThreads();
      params[2] = cond.offset;
      params[3] = a.offset;
      params[4] = b.offset;
      addon.where(cond.data, a.data, b.data, out.data, params);
      return out;
    },

    adamUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, h: AdamHyper): void {
      const C = param.constructor;
      if (param.length < MIN_NATIVE || grad.constructor !== C || expAvg.constructor !== C || expAvgSq.constructor !== C || (maxExpAvgSq && maxExpAvgSq.constructor !== C)) {
        base.adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, h);
        return;
      }
      params.set([h.beta1, h.beta2, h.stepSize, h.bc2Sqrt, h.eps, h.l2, h.decay, h.maximize ? 1 : 0, getNumThreads()]);
      addon.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, params);
    },

    sgdUpdate(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, h: SgdHyper): void {
      const buf = h.momentum !== 0 ? momentumBuffer : null;
      if (param.length < MIN_NATIVE || grad.constructor !== param.constructor || (buf && buf.constructor !== param.constructor)) {
        base.sgdUpdate(param, grad, momentumBuffer, h);
        return;
      }
      params.set([h.lr, h.momentum, h.dampening, h.weightDecay, h.nesterov ? 1 : 0, h.maximize ? 1 : 0, h.firstStep ? 1 : 0, getNumThreads()]);
      addon.sgd(param, grad, buf, params);
    },

    maxPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): { out: View; argmax: View } {
      // the wasm kernel (SIMD across outputs) is ~6x faster than the native scalar loop
      // (measured on the convnet's [64, 64, 24, 24], 2x2): it runs whenever it is the base,
      // except for float32 2x2 windows of stride 2 (no padding or dilation), which the addon
      // vectorises (pool2x2.cc) without wasm's staging copies
      const pool2x2 = x.data instanceof Float32Array && kernel[0] === 2 && kernel[1] === 2 && g.stride[0] === 2 && g.stride[1] === 2 &&
        g.padding[0] === 0 && g.padding[1] === 0 && g.dilation[0] === 1 && g.dilation[1] === 1;
      if (!sameFloat(x) || x.size === 0 || (base.name === 'wasm' && !pool2x2)) return base.maxPool2d(x, kernel, g);
      const [N, C, H, W] = x.shape as [number, number, number, number];
      const Ho = outSize(H, kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
      const Wo = outSize(W, kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
      const out = fresh(x.data instanceof Float32Array ? 'float32' : 'float64', [N, C, Ho, Wo]);
      const argmax = fresh('int32', [N, C, Ho, Wo]);
      if (out.size === 0) return { out, argmax };
      params.set([N * C, H, W, Ho, Wo, kernel[0], kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], getNumThreads()]);
      addon.maxPool(packed(addon, x), out.data as FloatArray, argmax.data as Int32Array, params);
      return { out, argmax };
    },

    scatterAdd(x: View, dim: number, index: View, src: View): View {
      // the last dim with contiguous index and src of x's float type (maxPool2d's gradient, and
      // cross-entropy's: a few indices into [128, 10] logits, where the kernel's fill or copy of
      // x beats staging it through wasm); a tiny x goes to the js loops, anything else to the base
      if (x.size < MIN_NATIVE) return small.scatterAdd(x, dim, index, src);
      const nd = x.shape.length;
      const rowsOk = nd > 0 && dim === nd - 1 && index.data instanceof Int32Array && isContiguous(index) && isContiguous(src) && sameFloat(x, src);
      if (!rowsOk || index.shape.some((n, d) => d < nd - 1 && n !== x.shape[d])) return base.scatterAdd(x, dim, index, src);
      const out = fresh(x.data instanceof Float32Array ? 'float32' : 'float64', x.shape);
      // a broadcast x (max pooling's zeros) is filled row by row by the kernel
      const fill = x.stride.every((s) => s === 0);
      if (!fill) base.assign(out, x);
      const M = x.shape[nd - 1]!, L = index.shape[nd - 1]!;
      params[0] = L === 0 ? 0 : index.size / L;
      params[1] = M;
      params[2] = L;
      params[3] = getNumThreads();
      params[4] = fill ? 1 : 0;
      params[5] = fill ? x.data[x.offset]! : 0;
      const skipped = addon.scatterAddRows(out.data as FloatArray, (index.data as Int32Array).subarray(index.offset), (src.data as FloatArray).subarray(src.offset), params);
      // an index outside [0, M) (skipped by the kernel): the reference throws the IndexRangeError the op reports
      return skipped > 0 ? base.scatterAdd(x, dim, index, src) : out;
    },

    layerNorm(x: View, k: number, weight: View | null, bias: View | null, eps: number): { out: View; mean: View; rstd: View } {
      const [rows, n] = normRows(x.shape, k);
      if (n === 0 || rows === 0 || x.size < MIN_NATIVE || !allF32(x, ...(weight ? [weight] : []), ...(bias ? [bias] : []))) {
        return base.layerNorm(x, k, weight, bias, eps);
      }
      const stats = x.shape.map((d, i) => (i >= x.shape.length - k ? 1 : d));
      const out = fresh('float32', x.shape), mean = fresh('float32', stats), rstd = fresh('float32', stats);
      params.set([rows, n, eps, getNumThreads()]);
      addon.layerNorm(packed32(addon, x), weight ? packed32(addon, weight) : null, bias ? packed32(addon, bias) : null, out.data as Float32Array, mean.data as Float32Array, rstd.data as Float32Array, params);
      return { out, mean, rstd };
    },

    layerNormBackward(g: View, x: View, mean: View, rstd: View, weight: View | null, k: number): View {
      const [rows, n] = normRows(x.shape, k);
      if (n === 0 || rows === 0 || x.size < MIN_NATIVE || !allF32(g, x, mean, rstd, ...(weight ? [weight] : []))) {
        return base.layerNormBackward(g, x, mean, rstd, weight, k);
      }
      const out = fresh('float32', x.shape);
      params.set([rows, n, getNumThreads()]);
      addon.layerNormBackward(packed32(addon, g), packed32(addon, x), packed32(addon, mean), packed32(addon, rstd), weight ? packed32(addon, weight) : null, out.data as Float32Array, params);
      return out;
    },

    layerNormBackwardWeight(g: View, x: View, mean: View, rstd: View, k: number): View {
      const [rows, n] = normRows(x.shape, k);
      if (n === 0 || rows === 0 || x.size < MIN_NATIVE || !allF32(g, x, mean, rstd)) return base.layerNormBackwardWeight(g, x, mean, rstd, k);
      const out = fresh('float32', x.shape.slice(x.shape.length - k));
      params.set([rows, n, getNumThreads()]);
      addon.layerNormBackwardWeight(packed32(addon, g), packed32(addon, x), packed32(addon, mean), packed32(addon, rstd), out.data as Float32Array, params);
      return out;
    },

    attention(q: View, k: View, v: View, scale: number, causal: boolean): { out: View; weights: View } {
      const nd = q.shape.length;
      const [L, E] = [q.shape[nd - 2]!, q.shape[nd - 1]!];
      const [S, Ev] = [k.shape[nd - 2]!, v.shape[nd - 1]!];
      if (!allF32(q, k, v) || q.size === 0 || S === 0 || Ev === 0) return base.attention(q, k, v, scale, causal);
      const copy = (x: View) => base.unary('copy', x, 'float32');
      [q, k, v] = [rowsAdjacent(q, copy), rowsAdjacent(k, copy), rowsAdjacent(v, copy)];
      const batch = q.shape.slice(0, nd - 2);
      const offsets = batchOffsets([q, k, v], batch);
      const out = fresh('float32', [...batch, L, Ev]), weights = fresh('float32', [...batch, L, S]);
      params.set([out.size / (L * Ev), L, S, E, Ev, q.stride[nd - 2]!, k.stride[nd - 2]!, v.stride[nd - 2]!, scale, causal ? 1 : 0, getNumThreads()]);
      addon.attention(q.data as Float32Array, k.data as Float32Array, v.data as Float32Array, out.data as Float32Array, weights.data as Float32Array, offsets, params);
      return { out, weights };
    },

    attentionBackward(g: View, q: View, k: View, v: View, weights: View, scale: number): { dq: View; dk: View; dv: View } {
      const nd = q.shape.length;
      const [L, E] = [q.shape[nd - 2]!, q.shape[nd - 1]!];
      const [S, Ev] = [k.shape[nd - 2]!, v.shape[nd - 1]!];
      if (!allF32(g, q, k, v, weights) || q.size === 0 || S === 0 || Ev === 0 || !isContiguous(weights)) {
        return base.attentionBackward(g, q, k, v, weights, scale);
      }
      const copy = (x: View) => base.unary('copy', x, 'float32');
      [g, q, k, v] = [rowsAdjacent(g, copy), rowsAdjacent(q, copy), rowsAdjacent(k, copy), rowsAdjacent(v, copy)];
      const batch = q.shape.slice(0, nd - 2);
      const offsets = batchOffsets([g, q, k, v], batch);
      const dq = fresh('float32', q.shape), dk = fresh('float32', k.shape), dv = fresh('float32', v.shape);
      params.set([dq.size / (L * E), L, S, E, Ev, g.stride[nd - 2]!, q.stride[nd - 2]!, k.stride[nd - 2]!, v.stride[nd - 2]!, scale, getNumThreads()]);
      addon.attentionBackward(
        g.data as Float32Array, q.data as Float32Array, k.data as Float32Array, v.data as Float32Array,
        (weights.data as Float32Array).subarray(weights.offset), dq.data as Float32Array, dk.data as Float32Array, dv.data as Float32Array, offsets, params,
      );
      return { dq, dk, dv };
    },

    lstmCell(gi: View, gh: View, c: View): { out: View; act: View } {
      const [b, H] = c.shape as [number, number];
      if (!allF32(gi, gh, c) || b * H === 0) return base.lstmCell(gi, gh, c);
      const copy = (x: View) => base.unary('copy', x, 'float32');
      [gi, gh, c] = [rowsAdjacent(gi, copy), rowsAdjacent(gh, copy), rowsAdjacent(c, copy)];
      const out = fresh('float32', [b, 2 * H]), act = fresh('float32', [b, 4 * H]);
      params.set([b, H, gi.stride[0]!, gi.offset, gh.stride[0]!, gh.offset, c.stride[0]!, c.offset, getNumThreads()]);
      addon.lstmCell(gi.data as Float32Array, gh.data as Float32Array, c.data as Float32Array, out.data as Float32Array, act.data as Float32Array, params);
      return { out, act };
    },

    lstmCellBackward(g: View, act: View, c: View): { dgates: View; dc: View } {
      const [b, H] = c.shape as [number, number];
      if (!allF32(g, act, c) || b * H === 0 || !isContiguous(act)) return base.lstmCellBackward(g, act, c);
      const copy = (x: View) => base.unary('copy', x, 'float32');
      [g, c] = [rowsAdjacent(g, copy), rowsAdjacent(c, copy)];
      const dgates = fresh('float32', [b, 4 * H]), dc = fresh('float32', [b, H]);
      params.set([b, H, g.stride[0]!, g.offset, c.stride[0]!, c.offset, getNumThreads()]);
      addon.lstmCellBackward(g.data as Float32Array, (act.data as Float32Array).subarray(act.offset), c.data as Float32Array, dgates.data as Float32Array, dc.data as Float32Array, params);
      return { dgates, dc };
    },

    reduce(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): View {
      const d0 = dims[0]!, d1 = dims[dims.length - 1]!;
      if (x.size < MIN_NATIVE) return small.reduce(op, x, dims, outDtype);
      if (op !== 'sum' || dims.length === 0 || !isFloat(x, outDtype)) return base.reduce(op, x, dims, outDtype);
      if (d1 - d0 !== dims.length - 1 || !isContiguous(x)) return sumDims(addon, base, x, dims, outDtype);
      let outer = 1, r = 1, inner = 1;
      for (let d = 0; d < x.shape.length; d++) {
        const n = x.shape[d]!;
        if (d < d0) outer *= n;
        else if (d <= d1) r *= n;
        else inner *= n;
      }
      const out = fresh(outDtype, x.shape.map((n, d) => (d >= d0 && d <= d1 ? 1 : n)));
      if (out.size === 0) return out;
      params[0] = getNumThreads();
      params[1] = x.offset;
      params[2] = outer;
      params[3] = r;
      params[4] = inner;
      addon.sum(x.data as FloatArray, out.data as FloatArray, params);
      return out;
    },

    // gather, indexSelect, indexAdd, scan, cumExtreme, argReduce, sort, avgPool2d, resample and their gradients (staged.ts)
    ...stagedKernels(addon, base, threads),
  };
}
