/**
 * PyTorch's `torch.nn.utils`: the `rnn` helpers for variable-length sequences.
 *
 * @module
 */

/**
 * PyTorch's `torch.nn.utils.rnn`: {@link PackedSequence}, `packPaddedSequence`,
 * `padPackedSequence`, `padSequence` and `packSequence`.
 *
 * @example
 * const p = utils.rnn.packSequence([tensor([1, 2]), tensor([3])]);
 * utils.rnn.padPackedSequence(p)[0].toArray(); // [[1, 3], [2, 0]]
 */
export * as rnn from './rnn.js';
