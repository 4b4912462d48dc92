import { DTypeError, ShapeError, ValueError, checkOptions, defineOptions, fmtShape, stack, tensor, unsupported, zeros, type Tensor } from '@tapegrad/core';
import { requireTensor } from '../options.js';
import { embedding } from './layers.js';

const EMBEDDING_BAG = defineOptions('embeddingBag', {
  offsets: 'tensor|null', maxNorm: 'number|null', normType: 'number', mode: "'sum'|'mean'|'max'",
  perSampleWeights: 'tensor|null', includeLastOffset: 'boolean', paddingIdx: 'integer|null',
  scaleGradByFreq: unsupported('scaleGradByFreq is not supported', false),
  sparse: unsupported('sparse gradients are not supported', false),
});

/**
 * Options of {@link embeddingBag}.
 *
 * @example
 * const opts: F.EmbeddingBagOptions = { mode: 'sum', offsets: tensor([0, 2], { dtype: 'int32' }) };
 * F.embeddingBag(tensor([1, 2, 3], { dtype: 'int32' }), ones([4, 2]), opts).toArray(); // [[2, 2], [1, 1]]
 */
export interface EmbeddingBagOptions {
  /** For a 1-D input, int32 start of each bag in `input` (the first must be 0). */
  offsets?: Tensor | null;
  /** Rescale looked-up rows over this norm in place first (see {@link embedding}). */
  maxNorm?: number | null;
  /** The p of the norm for maxNorm (default 2). */
  normType?: number;
  /** How each bag is reduced (default 'mean'). */
  mode?: 'sum' | 'mean' | 'max';
  /** A weight per index, the shape of input (mode 'sum' only). */
  perSampleWeights?: Tensor | null;
  /** offsets has one more entry, the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** An index left out of every bag (it adds nothing and does not count in the mean). */
  paddingIdx?: number | null;
}

/**
 * Sums, means or maxima of bags of embeddings (PyTorch's `F.embedding_bag`): a 2-D input [B, N] is B bags of N
 * indices; a 1-D input with `offsets` [B] is split into bags at those offsets. An empty bag (or
 * one of padding only) gives zeros.
 *
 * @param input - int32 indices, [B, N], or [M] with offsets
 * @param weight - [numEmbeddings, embeddingDim]
 * @returns [B, embeddingDim]
 * @throws DTypeError unless input and offsets are int32; ValueError for bad offsets or perSampleWeights outside mode 'sum'
 * @example
 * const w = tensor([[1, 1], [2, 4], [3, 0]]);
 * F.embeddingBag(tensor([[0, 1], [1, 2]], { dtype: 'int32' }), w).toArray(); // [[1.5, 2.5], [2.5, 2]]
 * F.embeddingBag(tensor([0, 1, 2], { dtype: 'int32' }), w, { offsets: tensor([0, 1], { dtype: 'int32' }), mode: 'max' }).toArray(); // [[1, 1], [3, 4]]
 */
export function embeddingBag(input: Tensor, weight: Tensor, opts?: EmbeddingBagOptions): Tensor {
  opts = checkOptions(EMBEDDING_BAG, opts);
  const op = 'embeddingBag';
  requireTensor(op, 'input', input);
  requireTensor(op, 'weight', weight);
  if (input.dtype !== 'int32') throw new DTypeError(`${op}: input must be int32 indices, got ${input.dtype} (shape ${fmtShape(input.shape)})`);
  if (weight.ndim !== 2) throw new ShapeError(`${op}: weight must be 2-D [numEmbeddings, embeddingDim], got weight.shape=${fmtShape(weight.shape)}`);
  const mode = opts.mode ?? 'mean';
  const psw = opts.perSampleWeights ?? null;
  if (psw) {
    if (mode !== 'sum') throw new ValueError(`${op}: perSampleWeights is only supported for mode 'sum', got mode '${mode}'`);
    if (psw.shape.length !== input.shape.length || psw.shape.some((d, i) => d !== input.shape[i]))
      throw new ShapeError(`${op}: perSampleWeights.shape=${fmtShape(psw.shape)} must equal input.shape=${fmtShape(input.shape)}`);
  }
  const M = input.numel();
  // the [start, end) of each bag in the flattened input
  const bags: Array<[number, number]> = [];
  const offsets = opts.offsets ?? null;
  if (input.ndim === 2) {
    if (offsets) throw new ValueError(`${op}: offsets must be null for a 2-D input (shape ${fmtShape(input.shape)})`);
    const [B, N] = input.shape as [number, number];
    for (let b = 0; b < B; b++) bags.push([b * N, (b + 1) * N]);
  } else if (input.ndim === 1) {
    if (!offsets) throw new ValueError(`${op}: offsets are required for a 1-D input (shape ${fmtShape(input.shape)})`);
    requireTensor(op, 'offsets', offsets);
    if (offsets.dtype !== 'int32' || offsets.ndim !== 1)
      throw new DTypeError(`${op}: offsets must be a 1-D int32 tensor, got ${offsets.dtype} of shape ${fmtShape(offsets.shape)}`);
    const o = Array.from(offsets.data as ArrayLike<number>);
    if (o.length > 0 && o[0] !== 0) throw new ValueError(`${op}: offsets[0] must be 0, got ${o[0]}`);
    const ends = opts.includeLastOffset ? o.slice(1) : [...o.slice(1), M];
    const starts = opts.includeLastOffset ? o.slice(0, -1) : o;
    starts.forEach((s, b) => {
      const e = ends[b]!;
      if (!(s <= e && e <= M)) throw new ValueError(`${op}: offsets must be non-decreasing and at most ${M}, got ${fmtShape(o)}`);
      bags.push([s, e]);
    });
  } else throw new ShapeError(`${op}: input must be 1-D (with offsets) or 2-D [B, N], got input.shape=${fmtShape(input.shape)}`);

  const D = weight.shape[1]!;
  const flat = input.reshape([M]);
  const rows = M === 0 ? zeros([0, D], { dtype: weight.dtype }) : embedding(flat, weight, { maxNorm: opts.maxNorm, normType: opts.normType });
  const weighted = psw ? rows.mul(psw.reshape([M, 1])) : rows;
  const idx = flat.data as ArrayLike<number>;
  const num = weight.shape[0]!;
  const pad = opts.paddingIdx === undefined || opts.paddingIdx === null ? null : opts.paddingIdx < 0 ? opts.paddingIdx + num : opts.paddingIdx;
  const out = bags.map(([s, e]) => {
    const keep: number[] = [];
    for (let i = s; i < e; i++) if (idx[i] !== pad) keep.push(i);
    if (keep.length === 0) return zeros([D], { dtype: weight.dtype });
    const bag = weighted.indexSelect(0, tensor(keep, { dtype: 'int32' }));
    return mode === 'sum' ? bag.sum(0) : mode === 'mean' ? bag.mean(0) : bag.amax(0);
  });
  return out.length ? stack(out) : zeros([0, D], { dtype: weight.dtype });
}
