/**
 * PyTorch's `torch.nn.utils`: the `rnn` helpers for variable-length sequences.
 *
 * @module
 */
export * as rnn from './rnn.js';
