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

/**
 * Throws a TypeError unless every named argument is a Tensor (a Tensor from a second copy of the
 * package is named as such, as add's operands are). @internal
 *
 * @throws TypeError `take: index must be a Tensor, got Array`
 */
export function requireTensors(op: string, args: Record<string, unknown>): void {
  for (const [name, x] of Object.entries(args)) {
    if (x instanceof Tensor) continue;
    const what = x === null ? 'null' : typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
    const foreign = typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x;
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${what}${foreign ? ' (a Tensor from another copy of @tapegrad/core?)' : ''}`);
  }
}
