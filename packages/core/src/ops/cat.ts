import { primitive } from '../autograd/primitive.js';
import { promoteTypes } from '../dtype.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { checkRank, normalizeDim } from '../shape.js';
import { Tensor, emptyTensor } from '../tensor.js';
import { requireTensor, requireTensors } from './operands.js';
import { narrow } from './slice.js';
import { unsqueeze } from './squeeze.js';

interface CatCtx {
  dim: number;
  sizes: number[];
}

const catPrimitive = primitive('cat', {
  // All tensors have one dtype and agree on every dim but `dim` (checked by cat()).
  forward: (tensors: Tensor[], dim: number) => {
    const sizes = tensors.map((t) => t.nd.shape[dim]!);
    const shape = tensors[0]!.shape;
    shape[dim] = sizes.reduce((a, b) => a + b, 0);
    const out = emptyTensor(shape, tensors[0]!.dtype);
    const stride = out.strides[dim]!;
    let at = 0;
    for (const t of tensors) {
      K().assign(new Tensor(out.storage, t.shape, out.strides, at * stride).nd, t.nd);
      at += t.shape[dim]!;
    }
    return { out, ctx: { dim, sizes } as CatCtx };
  },
  // Each input gets its own stretch of the gradient along dim.
  backward: (g, _s, { dim, sizes }, needsGrad) => {
    let at = 0;
    return sizes.map((n, i) => {
      const piece = needsGrad[i] ? narrow(g, dim, at, n) : null;
      at += n;
      return piece;
    });
  },
});

function listShapes(tensors: readonly Tensor[]): string {
  return tensors.map((t) => fmtShape(t.shape)).join(', ');
}

/**
 * Concatenates tensors along an existing dim. The inputs must have the same number of dims and
 * the same sizes except along `dim`; their dtypes are promoted to a common one (int32 and
 * float32 give float32). The result is a new tensor; gradients flow back to each input.
 *
 * tensors - shapes [A, N_i, B] for `dim = 1`; returns [A, sum_i N_i, B].
 *
 * @throws ValueError `cat: expected a non-empty list of tensors`
 * @throws ShapeError `cat: tensors must have the same shape except in dim 1, got shapes [2,3], [3,3]`
 * @example
 * cat([zeros([2, 3]), ones([2, 1])], 1).shape; // [2, 4]
 * cat([tensor([1, 2]), tensor([3])]).toArray(); // [1, 2, 3]
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  requireTensors('cat', 'tensors', tensors);
  if (tensors.length === 0) throw new ValueError('cat: expected a non-empty list of tensors');
  const first = tensors[0]!;
  if (first.ndim === 0)
    throw new ShapeError(`cat: zero-dimensional tensors cannot be concatenated, got shapes ${listShapes(tensors)}`);
  const d = normalizeDim('cat', dim, first.shape);
  for (const t of tensors) {
    if (t.ndim !== first.ndim)
      throw new ShapeError(`cat: tensors must have the same number of dims, got shapes ${listShapes(tensors)}`);
    if (t.nd.shape.some((n, i) => i !== d && n !== first.nd.shape[i]))
      throw new ShapeError(`cat: tensors must have the same shape except in dim ${dim}, got shapes ${listShapes(tensors)}`);
  }
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  return catPrimitive(tensors.map((t) => t.to(dtype)), d);
}

/**
 * Stacks tensors of one shape along a new dim `dim` (in [-n-1, n] for n-dim inputs).
 *
 * tensors - K tensors of shape [A, B]; `stack(ts, 1)` returns [A, K, B].
 *
 * @throws ValueError `stack: expected a non-empty list of tensors`
 * @throws ShapeError `stack: tensors must have the same shape, got shapes [2,3], [2,4]`
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])]).toArray();    // [[1, 2], [3, 4]]
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  requireTensors('stack', 'tensors', tensors);
  if (tensors.length === 0) throw new ValueError('stack: expected a non-empty list of tensors');
  const shape = tensors[0]!.shape;
  for (const t of tensors)
    if (t.ndim !== shape.length || t.shape.some((n, i) => n !== shape[i]))
      throw new ShapeError(`stack: tensors must have the same shape, got shapes ${listShapes(tensors)}`);
  const n = shape.length;
  if (!Number.isInteger(dim) || dim < -n - 1 || dim > n)
    throw new ValueError(
      `stack: dim ${dim} is out of range for tensors of ${n} dims (shape ${fmtShape(shape)}); expected [${-n - 1}, ${n}]`,
    );
  const d = dim < 0 ? dim + n + 1 : dim;
  checkRank('stack', [...shape.slice(0, d), tensors.length, ...shape.slice(d)]);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/**
 * Splits `x` along `dim` into views: pieces of `splitSize` elements (the last one smaller if
 * the size does not divide), or pieces of the given `sizes`, which must add up to the dim's size.
 *
 * x - shape [..., N, ...]; returns pieces [..., n_i, ...] with sum n_i = N.
 *
 * @throws ValueError `split: sizes [2,2] add up to 4, but dim 0 has size 5 (shape [5])`
 * @example
 * split(arange(5), 2).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
 * split(arange(5), [1, 4]).map((t) => t.shape); // [[1], [4]]
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  requireTensor('split', 'x', x);
  if (x.ndim === 0) throw new ValueError('split: cannot split a 0-d tensor (shape [])');
  const d = normalizeDim('split', dim, x.shape);
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize < 0 || (splitSize === 0 && n > 0))
      throw new ValueError(
        `split: splitSize must be a positive integer, got ${splitSize} (dim ${dim}, shape ${fmtShape(x.shape)})`,
      );
    if (n === 0) sizes = [0];
    else {
      sizes = [];
      for (let at = 0; at < n; at += splitSize) sizes.push(Math.min(splitSize, n - at));
    }
  } else {
    sizes = [...splitSize];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0))
      throw new ValueError(`split: sizes ${fmtShape(sizes)} must be non-negative integers (shape ${fmtShape(x.shape)})`);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n)
      throw new ValueError(
        `split: sizes ${fmtShape(sizes)} add up to ${total}, but dim ${dim} has size ${n} (shape ${fmtShape(x.shape)})`,
      );
  }
  let at = 0;
  return sizes.map((s) => {
    const piece = narrow(x, d, at, s);
    at += s;
    return piece;
  });
}

/**
 * Splits `x` along `dim` into at most `chunks` views of `ceil(N / chunks)` elements each (the
 * last one smaller), as PyTorch's `chunk`: fewer pieces come back when N is small.
 *
 * x - shape [..., N, ...]; returns pieces [..., n_i, ...].
 *
 * @throws ValueError `chunk: chunks must be a positive integer, got 0`
 * @example
 * chunk(arange(5), 3).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
 * chunk(arange(6), 4).length;                  // 3 (pieces of 2)
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  requireTensor('chunk', 'x', x);
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks} (shape ${fmtShape(x.shape)})`);
  if (x.ndim === 0) throw new ValueError('chunk: cannot chunk a 0-d tensor (shape [])');
  const d = normalizeDim('chunk', dim, x.shape);
  const n = x.shape[d]!;
  // An empty dim gives `chunks` empty pieces (PyTorch does the same).
  if (n === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(n / chunks), d);
}
