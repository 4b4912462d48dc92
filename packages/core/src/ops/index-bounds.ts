import { requireTensor } from './operands.js';
import { ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * The int32 `index` with negative values wrapped (`i + size`), as PyTorch's indexing and `take`
 * do; throws for values outside `[-size, size)`, or outside `[0, size)` without `wrap`. Returns
 * `index` itself when nothing needs wrapping. @internal
 *
 * @throws ValueError `index: index 5 is out of bounds for dim 0 with size 3 (shape [3,2])`
 */
export function boundIndex(op: string, index: Tensor, size: number, dim: number, shape: readonly number[], wrap = true): Tensor {
  const data = index.data;
  let negative = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v >= size || v < (wrap ? -size : 0))
      throw new ValueError(`${op}: index ${v} is out of bounds for dim ${dim} with size ${size} (shape ${fmtShape(shape)})`);
    if (v < 0) negative = true;
  }
  if (!negative) return index;
  const out = Int32Array.from(data, (v) => (v < 0 ? v + size : v));
  return Tensor.fromData(out, index.shape, 'int32');
}

/** Throws unless every named argument is a Tensor ({@link requireTensor} for each). @internal */
export function requireTensorArgs(op: string, args: Record<string, unknown>): void {
  for (const [name, x] of Object.entries(args)) requireTensor(op, name, x);
}
