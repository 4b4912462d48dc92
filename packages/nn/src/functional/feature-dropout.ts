import { DTypeError, ShapeError, Tensor, checkOptions, defineOptions, fmtShape, full, isFloating, unsupported } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { checkDropoutP, dropout, type DropoutOptions } from './layers.js';

const FIELDS = { p: 'number', training: 'boolean', generator: 'generator', inplace: unsupported('inplace is not supported', false) } as const;
const DROPOUT3D = defineOptions('dropout3d', FIELDS);
const ALPHA_DROPOUT = defineOptions('alphaDropout', FIELDS);
const FEATURE_ALPHA_DROPOUT = defineOptions('featureAlphaDropout', FIELDS);

/** SELU's negative saturation value, `-scale * alpha` (PyTorch's alpha dropout constant, negated). */
const SELU_ALPHA = 1.7580993408473766;

/**
 * 3-D channel dropout (PyTorch's `F.dropout3d`): each channel of each sample is zeroed with
 * probability `p` (whole D x H x W volumes), the rest scaled by `1 / (1 - p)`.
 *
 * @param x - shape [N, C, D, H, W] or [C, D, H, W]
 * @param opts - `p` (default 0.5), `training` (default true; false returns x), `generator`
 * @returns the shape of x
 * @throws ShapeError for another rank; ValueError unless 0 <= p <= 1
 * @example
 * F.dropout3d(ones([2, 3, 2, 2, 2]), { p: 0.5, training: false }).sum().item(); // 48
 */
export function dropout3d(x: Tensor, opts?: DropoutOptions): Tensor {
  opts = checkOptions(DROPOUT3D, opts);
  requireTensor('dropout3d', 'input', x);
  checkDropoutP('dropout3d', opts.p ?? 0.5);
  if (x.ndim !== 4 && x.ndim !== 5) throw new ShapeError(`dropout3d: expected a 4-D or 5-D input, got input.shape=${fmtShape(x.shape)}`);
  if (opts.training === false || (opts.p ?? 0.5) === 0) return x;
  const maskShape = x.shape.map((d, i) => (i < x.ndim - 3 ? d : 1));
  return x.mul(dropout(full(maskShape, 1, { dtype: x.dtype }), { ...opts, training: true }));
}

/** Alpha dropout with a 0/1 keep mask of shape `maskShape` broadcast over x (PyTorch's formula). */
function alphaDropoutImpl(op: string, x: Tensor, maskShape: number[], opts: DropoutOptions): Tensor {
  const p = opts.p ?? 0.5;
  checkDropoutP(op, p);
  if (!opts.training || p === 0) return x;
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  if (p === 1) return x.mul(0);
  const a = 1 / Math.sqrt((SELU_ALPHA * SELU_ALPHA * p + 1) * (1 - p));
  const keep = full(maskShape, 1 - p, { dtype: x.dtype }).bernoulli({ generator: opts.generator });
  // kept: a x + a alpha p; dropped: a alpha' + b with alpha' = -alpha, b = a alpha p.
  return x.mul(keep.mul(a)).add(keep.mul(SELU_ALPHA * a).add(SELU_ALPHA * a * (p - 1)));
}

/**
 * Alpha dropout (PyTorch's `F.alpha_dropout`), which keeps the zero mean and unit variance of
 * SELU activations: each element is set to SELU's saturation value `α' = -1.7580993408473766`
 * with probability `p`, then everything is mapped by `a (·) + b` with
 * `a = ((1 - p)(1 + p α'²))^(-1/2)` and `b = -a α' p`.
 *
 * @param x - any shape
 * @param opts - `p` (default 0.5), `training` (default false, as PyTorch's; false returns x), `generator`
 * @returns the shape of x
 * @throws ValueError unless 0 <= p <= 1; DTypeError for an integer input in training
 * @example
 * F.alphaDropout(randn([1000]), { p: 0.2, training: true }).shape; // [1000]
 * F.alphaDropout(ones([2])).toArray(); // [1, 1]
 */
export function alphaDropout(x: Tensor, opts?: DropoutOptions): Tensor {
  opts = checkOptions(ALPHA_DROPOUT, opts);
  requireTensor('alphaDropout', 'input', x);
  return alphaDropoutImpl('alphaDropout', x, [...x.shape], opts);
}

/**
 * Feature alpha dropout (PyTorch's `F.feature_alpha_dropout`): {@link alphaDropout} with one draw
 * per (sample, channel), so whole channels are set to the SELU saturation value together.
 *
 * @param x - shape [N, C, *] (at least 2-D)
 * @param opts - `p` (default 0.5), `training` (default false, as PyTorch's; false returns x), `generator`
 * @returns the shape of x
 * @throws ShapeError for fewer than 2 dims; ValueError unless 0 <= p <= 1
 * @example
 * F.featureAlphaDropout(randn([4, 8, 5]), { p: 0.2, training: true }).shape; // [4, 8, 5]
 */
export function featureAlphaDropout(x: Tensor, opts?: DropoutOptions): Tensor {
  opts = checkOptions(FEATURE_ALPHA_DROPOUT, opts);
  requireTensor('featureAlphaDropout', 'input', x);
  if (x.ndim < 2) throw new ShapeError(`featureAlphaDropout: expected an input of at least 2 dims [N, C, *], got input.shape=${fmtShape(x.shape)}`);
  return alphaDropoutImpl('featureAlphaDropout', x, x.shape.map((d, i) => (i < 2 ? d : 1)), opts);
}
