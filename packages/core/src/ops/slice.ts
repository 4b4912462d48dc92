import { primitive } from '../autograd/primitive.js';
import { zeros } from '../creation.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import type { SliceSpec } from './types.js';
import { requireTensor } from './operands.js';

/** A strided window of a tensor: along dim d, `sizes[d]` elements from `starts[d]` by `steps[d]`. */
interface Window {
  inShape: number[];
  starts: number[];
  steps: number[];
  sizes: number[];
}

/** The window of `t` (of shape `w.inShape`) as a storage-sharing tensor. */
function windowOf(t: Tensor, w: Window): Tensor {
  const strides = t.strides;
  let offset = t.offset;
  w.starts.forEach((s, d) => (offset += s * strides[d]!));
  return new Tensor(t.storage, w.sizes, strides.map((s, d) => s * w.steps[d]!), offset);
}

const slicePrimitive: (x: Tensor, w: Window) => Tensor = primitive('slice', {
  forward: (x: Tensor, w: Window) => ({ out: windowOf(x, w), ctx: w }),
  // Elements outside the window get no gradient: scatter g into zeros of x's shape.
  backward: (g, _s, w) => [sliceBackward(g, w)],
  // the same without the zeros: g added into the window of the input's summed gradient
  backwardInto: (acc, g, w) => K().binaryInPlace('add', windowOf(acc, w).nd, g.nd, 1),
});

// The adjoint of slicing; being linear, its own backward slices again (twice differentiable).
const sliceBackward: (g: Tensor, w: Window) => Tensor = primitive('sliceBackward', {
  forward: (g: Tensor, w: Window) => {
    const out = zeros(w.inShape, { dtype: g.dtype });
    K().assign(windowOf(out, w).nd, g.nd);
    return { out, ctx: w };
  },
  backward: (gg, _s, w) => [slicePrimitive(gg, w)],
});

/** The window covering all of `shape`. */
function fullWindow(shape: number[]): Window {
  return { inShape: shape, starts: shape.map(() => 0), steps: shape.map(() => 1), sizes: [...shape] };
}

function checkInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v)) throw new ValueError(`${op}: ${name} must be an integer, got ${v}`);
}

/** `index` (negative counts from the end) as a position in `[0, size)` along `dim`, or throws. */
function indexAlong(op: string, x: Tensor, dim: number, index: number): number {
  checkInt(op, 'index', index);
  const n = x.shape[dim]!;
  if (index < -n || index >= n)
    throw new ValueError(
      `${op}: index ${index} is out of range for dim ${dim} of size ${n} (shape ${fmtShape(x.shape)}); expected [${-n}, ${n - 1}]`,
    );
  return index < 0 ? index + n : index;
}

/**
 * The `length` elements of `x` from `start` along `dim` (a view sharing storage).
 * A negative `start` counts from the end.
 *
 * x - shape [..., N, ...]; returns [..., length, ...].
 *
 * @throws ValueError `narrow: start 1 + length 4 exceeds dim 1 of size 4 (shape [2,4])`
 * @example
 * narrow(arange(6).reshape([2, 3]), 1, 1, 2).toArray(); // [[1, 2], [4, 5]]
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  requireTensor('narrow', 'x', x);
  const d = normalizeDim('narrow', dim, x.shape);
  if (x.ndim === 0) throw new ValueError(`narrow: cannot narrow a 0-d tensor (shape [])`);
  checkInt('narrow', 'start', start);
  checkInt('narrow', 'length', length);
  const n = x.shape[d]!;
  if (start < -n || start > n)
    throw new ValueError(
      `narrow: start ${start} is out of range for dim ${dim} of size ${n} (shape ${fmtShape(x.shape)}); expected [${-n}, ${n}]`,
    );
  const s = start < 0 ? start + n : start;
  if (length < 0)
    throw new ValueError(`narrow: length must be non-negative, got ${length} (dim ${dim}, shape ${fmtShape(x.shape)})`);
  if (s + length > n)
    throw new ValueError(
      `narrow: start ${start} + length ${length} exceeds dim ${dim} of size ${n} (shape ${fmtShape(x.shape)})`,
    );
  const w = fullWindow(x.shape);
  w.starts[d] = s;
  w.sizes[d] = length;
  return slicePrimitive(x, w);
}

/**
 * The slice of `x` at `index` along `dim`, with that dim removed (a view sharing storage).
 * A negative `index` counts from the end.
 *
 * x - shape [..., N, ...]; returns the shape without that dim.
 *
 * @throws ValueError `select: index 3 is out of range for dim 0 of size 3 (shape [3,2]); expected [-3, 2]`
 * @example
 * select(arange(6).reshape([2, 3]), 1, -1).toArray(); // [2, 5]
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  requireTensor('select', 'x', x);
  const d = normalizeDim('select', dim, x.shape);
  if (x.ndim === 0) throw new ValueError(`select: cannot select from a 0-d tensor (shape [])`);
  const i = indexAlong('select', x, d, index);
  const w = fullWindow(x.shape);
  w.starts[d] = i;
  w.sizes[d] = 1;
  const shape = x.shape;
  shape.splice(d, 1);
  return reshape(slicePrimitive(x, w), shape);
}

/** Python's rule for `start:end` with a positive step: negatives count from the end, then clamp to [0, n]. */
function clampBound(v: number | null | undefined, n: number, dflt: number): number {
  if (v === null || v === undefined) return dflt;
  const p = v < 0 ? v + n : v;
  return Math.min(Math.max(p, 0), n);
}

/**
 * Basic slicing like Python's `x[0, 1:3, ::2]`: one spec per leading dim (later dims are kept
 * whole). A number selects that index and removes the dim, `null` keeps the dim, and
 * `[start, end, step]` (each optional or null) takes `start, start + step, ...` below `end`.
 * Negative numbers count from the end and out-of-range bounds are clamped, as in Python.
 * The result is a view sharing storage with `x`.
 *
 * x - shape [N0, N1, ...]; returns the sliced sizes, without the selected dims.
 *
 * @throws ValueError for more specs than dims, an out-of-range index, or a step that is not a
 *   positive integer: `slice: step must be a positive integer, got -1 (dim 0, shape [4])`
 * @example
 * const x = arange(12).reshape([3, 4]);
 * slice(x, [[1], [null, null, 2]]).toArray(); // [[4, 6], [8, 10]]
 * slice(x, [-1]).toArray();                   // [8, 9, 10, 11]
 * slice(x, [null, [-2]]).shape;               // [3, 2]
 */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  requireTensor('slice', 'x', x);
  const shape = x.shape;
  if (specs.length > shape.length)
    throw new ValueError(
      `slice: ${specs.length} specs are too many for a tensor of ${shape.length} dims (shape ${fmtShape(shape)})`,
    );
  const w = fullWindow(shape);
  const dropped = new Set<number>();
  specs.forEach((spec, d) => {
    const n = shape[d]!;
    if (spec === null) return;
    if (typeof spec === 'number') {
      w.starts[d] = indexAlong('slice', x, d, spec);
      w.sizes[d] = 1;
      dropped.add(d);
      return;
    }
    const [start, end, step = 1] = spec;
    if (!Number.isInteger(step) || step <= 0)
      throw new ValueError(`slice: step must be a positive integer, got ${step} (dim ${d}, shape ${fmtShape(shape)})`);
    for (const [name, v] of [['start', start], ['end', end]] as const)
      if (v !== null && v !== undefined) checkInt('slice', name, v);
    const s = clampBound(start, n, 0);
    const e = clampBound(end, n, n);
    w.starts[d] = s;
    w.steps[d] = step;
    w.sizes[d] = e > s ? Math.ceil((e - s) / step) : 0;
  });
  const out = slicePrimitive(x, w);
  return dropped.size === 0 ? out : reshape(out, w.sizes.filter((_, d) => !dropped.has(d)));
}
