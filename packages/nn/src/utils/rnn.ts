import {
  Tensor, ShapeError, ValueError, cat, checkOptions, defineOptions, describeValue, fmtShape, full, stack, tensor,
} from '@tapegrad/core';
import { requireTensor } from '../options.js';

const PACK_PADDED = defineOptions('packPaddedSequence', { batchFirst: 'boolean', enforceSorted: 'boolean' });
const PAD_PACKED = defineOptions('padPackedSequence', { batchFirst: 'boolean', paddingValue: 'number', totalLength: 'integer' });
const PAD_SEQUENCE = defineOptions('padSequence', { batchFirst: 'boolean', paddingValue: 'number' });
const PACK_SEQUENCE = defineOptions('packSequence', { enforceSorted: 'boolean' });

/**
 * A batch of variable-length sequences packed time step by time step (PyTorch's
 * `nn.utils.rnn.PackedSequence`), made by {@link packPaddedSequence} or {@link packSequence} and
 * accepted by {@link RNN}, {@link LSTM} and {@link GRU}.
 *
 * `data` [N, *] holds step 0 of every sequence, then step 1 of the sequences longer than 1, and
 * so on, the sequences sorted by decreasing length; `batchSizes` [T] (int32) how many sequences
 * are still running at each step (N = sum of batchSizes). `sortedIndices` [B] maps the sorted
 * order to the original batch order and `unsortedIndices` [B] back (both null when the input
 * was already sorted).
 *
 * @example
 * const p = utils.rnn.packSequence([tensor([1, 2, 3]), tensor([4, 5])]);
 * p.data.toArray(); // [1, 4, 2, 5, 3]
 * p.batchSizes.toArray(); // [2, 2, 1]
 */
export class PackedSequence {
  /**
   * Wraps already packed tensors (the layout of the class doc); use {@link packPaddedSequence} to pack.
   *
   * @throws ValueError when the batch sizes do not add up to the length of `data`
   * @example
   * const p = new utils.rnn.PackedSequence(tensor([1, 4, 2]), tensor([2, 1], { dtype: 'int32' }));
   * p.batchSizes.toArray(); // [2, 1]
   */
  constructor(
    /** The packed steps, shape [N, *]. */
    readonly data: Tensor,
    /** Sequences still running at each step, int32 [T]. */
    readonly batchSizes: Tensor,
    /** Original batch index of each sorted position, int32 [B], or null. */
    readonly sortedIndices: Tensor | null = null,
    /** Sorted position of each original batch index, int32 [B], or null. */
    readonly unsortedIndices: Tensor | null = null,
  ) {
    requireTensor('PackedSequence', 'data', data);
    requireTensor('PackedSequence', 'batchSizes', batchSizes);
    const sizes = batchSizes.toArray() as number[];
    const n = sizes.reduce((a, b) => a + b, 0);
    if (batchSizes.ndim !== 1 || data.ndim < 1 || data.shape[0] !== n)
      throw new ValueError(
        `PackedSequence: batchSizes ${fmtShape(batchSizes.shape)} sum to ${n} but data has shape ${fmtShape(data.shape)}`,
      );
    if (sortedIndices && !unsortedIndices) this.unsortedIndices = invertPermutation(sortedIndices);
  }

  /** The batch sizes as plain numbers. @internal */
  sizes(): number[] {
    return this.batchSizes.toArray() as number[];
  }
}

function invertPermutation(p: Tensor): Tensor {
  const a = p.toArray() as number[];
  const inv = new Array<number>(a.length);
  a.forEach((v, i) => (inv[v] = i));
  return tensor(inv, { dtype: 'int32' });
}

function lengthsArray(fn: string, lengths: Tensor | readonly number[]): number[] {
  const a = lengths instanceof Tensor ? (lengths.toArray() as number[]) : [...lengths];
  if (!Array.isArray(a) || a.some((v) => !Number.isInteger(v)))
    throw new ValueError(`${fn}: lengths must be a 1-D list or Tensor of integers, got ${describeValue(lengths)}`);
  return a;
}

/**
 * Packs a padded batch of variable-length sequences (PyTorch's
 * `nn.utils.rnn.pack_padded_sequence`) for an RNN, which then skips the padding.
 *
 * `input` [T, B, *] (or [B, T, *] with `batchFirst`), `lengths` [B] the length of each sequence
 * (each in 1..T). With `enforceSorted` (default true) the lengths must be in decreasing order;
 * with false the batch is sorted here and the order restored by {@link padPackedSequence}.
 *
 * @throws ValueError for lengths out of range, unsorted lengths under `enforceSorted`, or a length count other than B
 * @example
 * const x = tensor([[1, 4], [2, 5], [3, 0]]); // [T=3, B=2], the second sequence of length 2
 * const p = utils.rnn.packPaddedSequence(x, [3, 2]);
 * p.data.toArray(); // [1, 4, 2, 5, 3]
 */
export function packPaddedSequence(
  input: Tensor, lengths: Tensor | readonly number[], opts?: { batchFirst?: boolean; enforceSorted?: boolean },
): PackedSequence {
  opts = checkOptions(PACK_PADDED, opts);
  requireTensor('packPaddedSequence', 'input', input);
  if (input.ndim < 2) throw new ShapeError(`packPaddedSequence: input must be at least 2-D [T, B, *], got ${fmtShape(input.shape)}`);
  let x = opts.batchFirst ? input.transpose(0, 1) : input;
  const len = lengthsArray('packPaddedSequence', lengths);
  const [T, B] = x.shape as [number, number];
  if (len.length !== B)
    throw new ValueError(`packPaddedSequence: expected ${B} lengths for input ${fmtShape(input.shape)}, got ${len.length}`);
  for (const l of len)
    if (l < 1 || l > T) throw new ValueError(`packPaddedSequence: every length must be in [1, ${T}], got [${len.join(', ')}]`);
  let sortedIndices: Tensor | null = null;
  let sorted = len;
  if (opts.enforceSorted === false) {
    const order = len.map((_, i) => i).sort((a, b) => len[b]! - len[a]! || a - b);
    sortedIndices = tensor(order, { dtype: 'int32' });
    sorted = order.map((i) => len[i]!);
    x = x.indexSelect(1, sortedIndices);
  } else if (sorted.some((l, i) => i > 0 && l > sorted[i - 1]!)) {
    throw new ValueError(
      `packPaddedSequence: lengths must be sorted in decreasing order with enforceSorted, got [${len.join(', ')}] (pass enforceSorted: false)`,
    );
  }
  const sizes: number[] = [];
  for (let t = 0; t < sorted[0]!; t++) sizes.push(sorted.filter((l) => l > t).length);
  const data = cat(sizes.map((b, t) => x.select(0, t).narrow(0, 0, b)), 0);
  return new PackedSequence(data, tensor(sizes, { dtype: 'int32' }), sortedIndices);
}

/**
 * Unpacks a {@link PackedSequence} into a padded batch (PyTorch's
 * `nn.utils.rnn.pad_packed_sequence`): the inverse of {@link packPaddedSequence}.
 *
 * Returns `[padded, lengths]`: padded [T, B, *] (or [B, T, *] with `batchFirst`), filled with
 * `paddingValue` (default 0) past each sequence's end, T = `totalLength` or the longest length;
 * lengths int32 [B], in the original batch order.
 *
 * @throws ValueError when `totalLength` is shorter than the longest sequence
 * @example
 * const p = utils.rnn.packSequence([tensor([1, 2, 3]), tensor([4, 5])]);
 * const [x, lengths] = utils.rnn.padPackedSequence(p, { batchFirst: true });
 * x.toArray(); // [[1, 2, 3], [4, 5, 0]]
 * lengths.toArray(); // [3, 2]
 */
export function padPackedSequence(
  sequence: PackedSequence, opts?: { batchFirst?: boolean; paddingValue?: number; totalLength?: number },
): readonly [Tensor, Tensor] {
  opts = checkOptions(PAD_PACKED, opts);
  if (!(sequence instanceof PackedSequence))
    throw new ValueError(`padPackedSequence: sequence must be a PackedSequence, got ${describeValue(sequence)}`);
  const sizes = sequence.sizes();
  const B = sizes[0] ?? 0;
  const T = opts.totalLength ?? sizes.length;
  if (T < sizes.length)
    throw new ValueError(`padPackedSequence: totalLength ${T} is shorter than the longest sequence (${sizes.length})`);
  const { data } = sequence;
  const rest = data.shape.slice(1);
  const pad = (n: number) => full([n, ...rest], opts.paddingValue ?? 0, { dtype: data.dtype });
  const steps: Tensor[] = [];
  let off = 0;
  for (const b of sizes) {
    const step = data.narrow(0, off, b);
    steps.push(b < B ? cat([step, pad(B - b)], 0) : step);
    off += b;
  }
  for (let t = sizes.length; t < T; t++) steps.push(pad(B));
  let out = stack(steps, 0);
  let lengths = Array.from({ length: B }, (_, i) => sizes.filter((b) => b > i).length);
  const inv = sequence.unsortedIndices;
  if (inv) {
    out = out.indexSelect(1, inv);
    lengths = (inv.toArray() as number[]).map((i) => lengths[i]!);
  }
  return [opts.batchFirst ? out.transpose(0, 1) : out, tensor(lengths, { dtype: 'int32' })] as const;
}

/**
 * Pads a list of sequences [L_i, *] to a batch (PyTorch's `nn.utils.rnn.pad_sequence`):
 * [T, B, *] (or [B, T, *] with `batchFirst`), T the longest L_i, filled with `paddingValue` (default 0).
 *
 * @throws ShapeError when the sequences differ in their trailing dims
 * @example
 * utils.rnn.padSequence([tensor([1, 2, 3]), tensor([4])], { batchFirst: true }).toArray(); // [[1, 2, 3], [4, 0, 0]]
 */
export function padSequence(sequences: readonly Tensor[], opts?: { batchFirst?: boolean; paddingValue?: number }): Tensor {
  opts = checkOptions(PAD_SEQUENCE, opts);
  if (!Array.isArray(sequences) || sequences.length === 0)
    throw new ValueError(`padSequence: expected a non-empty list of Tensors, got ${describeValue(sequences)}`);
  sequences.forEach((s, i) => requireTensor('padSequence', `sequences[${i}]`, s));
  const rest = sequences[0]!.shape.slice(1);
  const T = Math.max(...sequences.map((s) => s.shape[0] ?? 0));
  const padded = sequences.map((s) => {
    if (s.ndim < 1 || s.shape.slice(1).join() !== rest.join())
      throw new ShapeError(`padSequence: sequences must share their trailing dims, got ${fmtShape(sequences[0]!.shape)} and ${fmtShape(s.shape)}`);
    const L = s.shape[0]!;
    return L < T ? cat([s, full([T - L, ...rest], opts.paddingValue ?? 0, { dtype: s.dtype })], 0) : s;
  });
  return stack(padded, opts.batchFirst ? 0 : 1);
}

/**
 * Packs a list of sequences [L_i, *] (PyTorch's `nn.utils.rnn.pack_sequence`):
 * `packPaddedSequence(padSequence(sequences), lengths, { enforceSorted })`.
 *
 * @throws ValueError for unsorted lengths under `enforceSorted` (default true)
 * @example
 * const p = utils.rnn.packSequence([tensor([1]), tensor([2, 3])], { enforceSorted: false });
 * p.data.toArray(); // [2, 1, 3]
 */
export function packSequence(sequences: readonly Tensor[], opts?: { enforceSorted?: boolean }): PackedSequence {
  opts = checkOptions(PACK_SEQUENCE, opts);
  const padded = padSequence(sequences);
  return packPaddedSequence(padded, sequences.map((s) => s.shape[0]!), { enforceSorted: opts.enforceSorted });
}
