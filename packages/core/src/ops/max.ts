import { primitive, type PrimitiveDef } from '../autograd/primitive.js';
import { arange } from '../creation.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { normalizeDim, normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reducedResult, requireTensor } from './operands.js';
import { reduceOptions, type Dims, type ReduceOptions } from './types.js';
import { checkOptions } from '../options.js';

const MAX = reduceOptions('max');
const MIN = reduceOptions('min');
const AMAX = reduceOptions('amax');
const AMIN = reduceOptions('amin');

type Extreme = 'max' | 'min';

/** Throws if a reduced dim is empty: the max of nothing is undefined (PyTorch refuses too). */
function requireNonEmpty(op: string, x: Tensor, dims: readonly number[], allDims: boolean): void {
  if (allDims) {
    if (x.numel() === 0) throw new ValueError(`${op}: cannot reduce an empty tensor (shape ${fmtShape(x.shape)}); pass a dim of non-zero size`);
    return;
  }
  for (const d of dims)
    if (x.shape[d] === 0)
      throw new ValueError(`${op}: cannot reduce over dim ${d} of size 0 (shape ${fmtShape(x.shape)})`);
}

interface AmaxCtx {
  dims: number[];
  keptShape: number[];
}

/** The definition shared by amax and amin, for the kernel reduction `kop`. */
function amaxDef(kop: Extreme): PrimitiveDef<[Tensor, number[], boolean], AmaxCtx> {
  return {
    forward: (x: Tensor, dims: number[], keepdim: boolean) => {
      const kept = Tensor.fromView(K().reduce(kop, x.nd, dims, x.dtype), x.dtype);
      const out = reducedResult(kept, x.nd.shape, dims, keepdim);
      return { out, saved: [x, out], ctx: { dims, keptShape: kept.shape } };
    },
    // Tied extremes share the gradient evenly: g / (number of ties) on each of them. The mask is
    // a constant, so the rule is linear in g and differentiates again.
    backward: (g, [x, out], { dims, keptShape }) => {
      const mask = x!.eq(out!.reshape(keptShape)).to(g.dtype);
      const ties = mask.sum(dims, { keepdim: true });
      return [g.reshape(keptShape).mul(mask.div(ties))];
    },
  };
}

const amaxPrimitive = primitive('amax', amaxDef('max'));
const aminPrimitive = primitive('amin', amaxDef('min'));

interface MaxDimCtx {
  dim: number;
  inShape: number[];
  keptShape: number[];
}

/** The definition shared by max and min along a dim, for the kernel reduction `kop`. */
function alongDimDef(kop: Extreme): PrimitiveDef<[Tensor, Tensor, number, boolean], MaxDimCtx> {
  return {
    // `indices` (int32, keepdim shape) come from argReduce; passing them in makes them a saved
    // input, so the rule sends the gradient exactly where the reported index points.
    forward: (x: Tensor, indices: Tensor, dim: number, keepdim: boolean) => {
      const kept = Tensor.fromView(K().reduce(kop, x.nd, [dim], x.dtype), x.dtype);
      const out = reducedResult(kept, x.nd.shape, [dim], keepdim);
      return { out, saved: [indices], ctx: { dim, inShape: x.shape, keptShape: kept.shape } };
    },
    // One-hot mask along dim: position k is hit where k == index. Linear in g, so differentiable again.
    backward: (g, [indices], { dim, inShape, keptShape }) => {
      const positions = arange(inShape[dim]!).reshape(inShape.map((s, i) => (i === dim ? s : 1)));
      return [g.reshape(keptShape).mul(positions.eq(indices!)), null];
    },
  };
}

const maxDimPrimitive = primitive('maxDim', alongDimDef('max'));
const minDimPrimitive = primitive('minDim', alongDimDef('min'));

function extremeAlongDim(op: Extreme, x: Tensor, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(op, dim, x.shape);
  if (x.ndim === 0) {
    // A scalar is its own extreme at index 0; go through 1-D so the gradient still flows.
    return extremeAlongDim(op, x.reshape([1]), 0, false);
  }
  requireNonEmpty(op, x, [d], false);
  const kept = Tensor.fromView(K().argReduce(op === 'max' ? 'argmax' : 'argmin', x.nd, d), 'int32');
  const values = (op === 'max' ? maxDimPrimitive : minDimPrimitive)(x, kept, d, keepdim);
  const indices = reducedResult(kept, x.nd.shape, [d], keepdim);
  return { values, indices };
}

/**
 * The largest element, `max(x)`, as a 0-d tensor; or, with `dim`, the largest values along
 * that dim and their indices, `{ values, indices }` (PyTorch's `torch.max`).
 *
 * x - shape [...S]; without dim returns shape []; with dim returns `values` (x's dtype) and
 * `indices` (int32) of shape S without `dim` (size 1 there with `keepdim`). Indices point to the
 * first occurrence of the maximum; NaN counts as the maximum, as in PyTorch.
 *
 * Gradient: without dim it is split evenly between tied maxima (like {@link amax}); with dim it
 * flows only to the element at the returned index.
 *
 * @throws ValueError `max: cannot reduce over dim 1 of size 0 (shape [2,0])`, or for an empty tensor without dim
 * @throws ValueError `max: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const x = tensor([[1, 5, 2], [7, 0, 7]]);
 * max(x).item();                 // 7
 * const { values, indices } = max(x, 1);
 * values.toArray();              // [5, 7]
 * indices.toArray();             // [1, 0]
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
export function max(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
  requireTensor('max', 'x', x);
  const { keepdim = false } = checkOptions(MAX, opts);
  if (dim === undefined) return extremeOver('max', x, undefined, false);
  return extremeAlongDim('max', x, dim, keepdim);
}

/**
 * The smallest element, `min(x)`, as a 0-d tensor; or, with `dim`, the smallest values along
 * that dim and their indices, `{ values, indices }`. Mirrors {@link max} in shapes, ties,
 * NaN and gradients.
 *
 * @throws ValueError `min: cannot reduce over dim 0 of size 0 (shape [0,3])`
 * @example
 * const { values, indices } = min(tensor([[1, 5, 2], [7, 0, 7]]), 1);
 * values.toArray();  // [1, 0]
 * indices.toArray(); // [0, 1]
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, opts?: ReduceOptions): { values: Tensor; indices: Tensor };
export function min(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor | { values: Tensor; indices: Tensor } {
  requireTensor('min', 'x', x);
  const { keepdim = false } = checkOptions(MIN, opts);
  if (dim === undefined) return extremeOver('min', x, undefined, false);
  return extremeAlongDim('min', x, dim, keepdim);
}

function extremeOver(op: Extreme, x: Tensor, dim: Dims | undefined, keepdim: boolean, name: string = op): Tensor {
  const dims = normalizeDims(name, dim, x.shape);
  requireNonEmpty(name, x, dims, dim === undefined);
  return (op === 'max' ? amaxPrimitive : aminPrimitive)(x, dims, keepdim);
}

/**
 * Maximum values over `dim` (every dim if omitted), without indices (PyTorch's `torch.amax`).
 *
 * x - shape [...S]; returns S without the reduced dims (size 1 there with `keepdim`), x's dtype.
 * Gradient: split evenly among the elements equal to the maximum of their slice.
 *
 * @throws ValueError `amax: cannot reduce over dim 0 of size 0 (shape [0,3])`
 * @throws ValueError `amax: dim [1,1] repeats a dim (shape [2,3])`
 * @example
 * amax(tensor([[1, 5, 2], [7, 0, 7]]), 1).toArray();        // [5, 7]
 * amax(tensor([[1, 5, 2], [7, 0, 7]]), [0, 1]).item();      // 7
 */
export function amax(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('amax', 'x', x);
  const { keepdim = false } = checkOptions(AMAX, opts);
  return extremeOver('max', x, dim, keepdim, 'amax');
}

/**
 * Minimum values over `dim` (every dim if omitted), without indices (PyTorch's `torch.amin`).
 * Mirrors {@link amax}; gradient split evenly among tied minima.
 *
 * @throws ValueError `amin: cannot reduce over dim 1 of size 0 (shape [2,0])`
 * @example
 * amin(tensor([[1, 5, 2], [7, 0, 7]]), 0).toArray(); // [1, 0, 2]
 */
export function amin(x: Tensor, dim?: Dims, opts?: ReduceOptions): Tensor {
  requireTensor('amin', 'x', x);
  const { keepdim = false } = checkOptions(AMIN, opts);
  return extremeOver('min', x, dim, keepdim, 'amin');
}
