import { Tensor, ShapeError, fmtShape, ones, checkOptions, defineOptions, unsupported } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { dropout, type DropoutOptions } from './layers.js';

const FIELDS = { p: 'number', training: 'boolean', generator: 'generator', inplace: unsupported('inplace is not supported', false) } as const;
const DROPOUT1D = defineOptions('dropout1d', FIELDS);
const DROPOUT2D = defineOptions('dropout2d', FIELDS);

/** Zeroes whole channels: one draw per (sample, channel), broadcast over the `nd` trailing dims. */
function channelDropout(op: string, x: Tensor, nd: number, opts: DropoutOptions): Tensor {
  requireTensor(op, 'input', x);
  if (x.ndim !== nd + 1 && x.ndim !== nd + 2)
    throw new ShapeError(`${op}: expected a ${nd + 1}-D or ${nd + 2}-D input, got input.shape=${fmtShape(x.shape)}`);
  if (opts.training === false || (opts.p ?? 0.5) === 0) return x;
  const maskShape = x.shape.map((d, i) => (i < x.ndim - nd ? d : 1));
  return x.mul(dropout(ones(maskShape, { dtype: x.dtype }), { ...opts, training: true }));
}

/**
 * Channel dropout for sequences (PyTorch's `F.dropout1d`): each channel of each sample is zeroed
 * with probability `p` (whole rows of length L), the rest scaled by `1 / (1 - p)`.
 *
 * @param x - shape [N, C, L] or [C, L]
 * @returns the shape of x
 * @throws ShapeError for another rank; ValueError unless 0 <= p <= 1
 * @example
 * F.dropout1d(ones([2, 3, 4]), { p: 0.5, generator: new Generator(0) }).shape; // [2, 3, 4]
 */
export function dropout1d(x: Tensor, opts?: DropoutOptions): Tensor {
  opts = checkOptions(DROPOUT1D, opts);
  return channelDropout('dropout1d', x, 1, opts);
}

/**
 * Channel dropout for images (PyTorch's `F.dropout2d`): each channel of each sample is zeroed
 * with probability `p` (whole H x W maps), the rest scaled by `1 / (1 - p)`.
 *
 * @param x - shape [N, C, H, W] or [C, H, W]
 * @returns the shape of x
 * @throws ShapeError for another rank; ValueError unless 0 <= p <= 1
 * @example
 * F.dropout2d(ones([2, 3, 4, 4]), { p: 0.5, training: false }).sum().item(); // 96
 */
export function dropout2d(x: Tensor, opts?: DropoutOptions): Tensor {
  opts = checkOptions(DROPOUT2D, opts);
  return channelDropout('dropout2d', x, 2, opts);
}
