import { activeTracer, traceComposite } from '../autograd/trace.js';
import { ValueError, fmtShape } from '../errors.js';
import { K } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reducedResult, requireTensor } from './operands.js';
import { reduceOptions, type ReduceOptions } from './types.js';
import { checkOptions } from '../options.js';

const ARGMAX = reduceOptions('argmax');
const ARGMIN = reduceOptions('argmin');

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  // Not a primitive (no gradient), but a tracer must see it: the indices depend on the data.
  return activeTracer === null ? argExtremeOp(op, x, dim, keepdim) : traceComposite(op, [op, x, dim, keepdim], argExtremeOp);
}

function argExtremeOp(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  // Indices are not differentiable: work on the detached view so nothing is recorded.
  const v = x.detach();
  if (dim === undefined) {
    if (v.numel() === 0) throw new ValueError(`${op}: cannot reduce an empty tensor (shape ${fmtShape(v.shape)}); pass a dim of non-zero size`);
    const flat = Tensor.fromView(K().argReduce(op, v.reshape([-1]).nd, 0), 'int32');
    return flat.reshape(keepdim ? v.shape.map(() => 1) : []);
  }
  const d = normalizeDim(op, dim, v.shape);
  if (v.ndim === 0) return Tensor.fromData(new Int32Array(1), [], 'int32');
  if (v.shape[d] === 0) throw new ValueError(`${op}: cannot reduce over dim ${d} of size 0 (shape ${fmtShape(v.shape)})`);
  const kept = Tensor.fromView(K().argReduce(op, v.nd, d), 'int32');
  return reducedResult(kept, v.nd.shape, [d], keepdim);
}

/**
 * Index of the largest element along `dim`, or of the flattened tensor when `dim` is omitted
 * (PyTorch's `torch.argmax`). The first occurrence wins among ties; NaN counts as the largest.
 * No gradient (the result is int32).
 *
 * x - shape [...S]; returns int32 of shape S without `dim` (size 1 there with `keepdim`), or
 * shape [] without dim (every dim size 1 with `keepdim`).
 *
 * @throws ValueError `argmax: cannot reduce over dim 1 of size 0 (shape [2,0])`
 * @throws ValueError `argmax: dim 2 is out of range for a tensor of 2 dims (shape [2,3])`
 * @example
 * const x = tensor([[1, 5, 2], [7, 0, 7]]);
 * argmax(x).item();         // 3 (flat index of the first 7)
 * argmax(x, 1).toArray();   // [1, 0]
 */
export function argmax(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor {
  requireTensor('argmax', 'x', x);
  const { keepdim = false } = checkOptions(ARGMAX, opts);
  return argExtreme('argmax', x, dim, keepdim);
}

/**
 * Index of the smallest element along `dim`, or of the flattened tensor when `dim` is omitted
 * (PyTorch's `torch.argmin`). Mirrors {@link argmax}.
 *
 * @throws ValueError `argmin: cannot reduce an empty tensor (shape [0])`
 * @example
 * argmin(tensor([[1, 5, 2], [7, 0, 7]]), 0).toArray(); // [0, 1, 0]
 */
export function argmin(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor {
  requireTensor('argmin', 'x', x);
  const { keepdim = false } = checkOptions(ARGMIN, opts);
  return argExtreme('argmin', x, dim, keepdim);
}
