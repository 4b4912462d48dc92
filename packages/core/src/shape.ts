import { ShapeError, ValueError, fmtShape } from './errors.js';
import { describeValue } from './options.js';

/**
 * A tensor's shape: one non-negative integer per dimension.
 *
 * @example
 * const s: Shape = [2, 3];
 * zeros(s).shape; // [2, 3]
 */
export type Shape = readonly number[];

/**
 * Number of elements of a shape (1 for a scalar's `[]`).
 *
 * @example
 * sizeOf([2, 3, 4]); // 24
 * sizeOf([]); // 1
 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C-order) strides of a shape.
 *
 * @example
 * contiguousStrides([2, 3, 4]); // [12, 4, 1]
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * True if two shapes are equal.
 *
 * @example
 * shapesEqual([2, 3], [2, 3]); // true
 * shapesEqual([2, 3], [3, 2]); // false
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The broadcast shape of several shapes, by NumPy's rule: align on the right; each pair of
 * sizes must be equal or one of them 1.
 *
 * @throws ShapeError naming `op` and every shape, e.g. `add: cannot broadcast shapes [2,3] and [4,5]`.
 *
 * @example
 * broadcastShapes('add', [2, 1, 3], [4, 1]); // [2, 4, 3]
 * broadcastShapes('mul', [5], []); // [5]
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else
        throw new ShapeError(
          `${op}: cannot broadcast shapes ${shapes.map(fmtShape).join(' and ')} (dim ${o}: ${out[o]} vs ${d})`,
        );
    }
  }
  return out;
}

/**
 * Turns a possibly negative dim into an index in `[0, ndim)`.
 *
 * @throws ValueError `sum: dim 3 is out of range for a tensor of 2 dims (shape [2,3])`.
 *
 * @example
 * normalizeDim('sum', -1, [2, 3]); // 1
 * normalizeDim('sum', 0, [2, 3]); // 0
 */
export function normalizeDim(op: string, dim: number, shape: Shape, extra = 0): number {
  const ndim = shape.length + extra;
  if (!Number.isInteger(dim)) throw new ValueError(`${op}: dim must be an integer, got ${describeValue(dim)}`);
  // A 0-d tensor accepts dims 0 and -1, as in PyTorch.
  const d = dim < 0 ? dim + Math.max(ndim, 1) : dim;
  if (d < 0 || d >= Math.max(ndim, 1) || (ndim === 0 && dim !== 0 && dim !== -1))
    throw new ValueError(
      `${op}: dim ${dim} is out of range for a tensor of ${shape.length} dims (shape ${fmtShape(shape)})`,
    );
  return d;
}

/**
 * Normalises a dim argument of a reduction: `undefined` and `[]` mean every dim; duplicates throw.
 * Returns the dims sorted ascending.
 */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, shape: Shape): number[] {
  // An empty list reduces every dim, as in PyTorch (not none).
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) return shape.map((_, i) => i);
  if (typeof dims !== 'number' && !Array.isArray(dims)) {
    // Most often the options object in the dim's place: PyTorch's x.sum(keepdim=True).
    const hint = typeof dims === 'object' && dims !== null ? `; options go after the dim: ${op}(x, undefined, { ... }) or x.${op}(undefined, { ... })` : '';
    throw new ValueError(`${op}: dim must be an integer or an array of integers, got ${describeValue(dims)}${hint}`);
  }
  const list = typeof dims === 'number' ? [dims] : [...dims];
  const out = list.map((d) => normalizeDim(op, d, shape));
  const set = new Set(out);
  if (set.size !== out.length)
    throw new ValueError(`${op}: dim ${JSON.stringify(list)} repeats a dim (shape ${fmtShape(shape)})`);
  return out.filter((d) => d < shape.length || shape.length === 0).sort((a, b) => a - b);
}

/** The shape left after reducing `dims` of `shape`, with or without size-1 placeholders. */
export function reducedShape(shape: Shape, dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

/**
 * The most dims a tensor can have: 64, as in PyTorch.
 *
 * @example
 * MAX_DIMS; // 64
 * zeros(new Array(64).fill(1)).ndim; // 64
 */
export const MAX_DIMS = 64;

/** A shape as error messages print it, cut short after 8 sizes (a 1000-dim shape is noise). @internal */
export function fmtShapeShort(shape: Shape): string {
  return shape.length > 8 ? `[${shape.slice(0, 8).join(',')},...] (${shape.length} sizes)` : fmtShape(shape);
}

/**
 * Checks that a shape has at most {@link MAX_DIMS} dims, for every op whose result shape comes
 * from its arguments (creation, reshape, unsqueeze, expand, stack, ...). @internal
 *
 * @throws ValueError `zeros: 1000 dims is more than the 64 a tensor can have (shape [1,1,1,1,1,1,1,1,...] (1000 sizes))`
 */
export function checkRank(op: string, shape: Shape): void {
  if (shape.length > MAX_DIMS)
    throw new ValueError(
      `${op}: ${shape.length} dims is more than the ${MAX_DIMS} a tensor can have (shape ${fmtShapeShort(shape)})`,
    );
}

/**
 * Checks a shape argument: an array of at most {@link MAX_DIMS} non-negative integers.
 * Returns a copy. @internal
 *
 * @throws ValueError `zeros: invalid shape [2,-1]: sizes must be non-negative integers`
 */
export function checkShape(op: string, shape: Shape): number[] {
  checkRank(op, shape);
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0)
      throw new ValueError(`${op}: invalid shape ${fmtShapeShort(shape)}: sizes must be non-negative integers`);
  return [...shape];
}
