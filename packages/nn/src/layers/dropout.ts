import { checkOptions, defineOptions, unsupported, type Generator, type Tensor } from '@tapegrad/core';

const OPTS = defineOptions('Dropout', { generator: 'generator', inplace: unsupported('inplace is not supported', false) });
import { Module } from '../module.js';
import { checkDropoutP, dropout } from '../functional/layers.js';

/**
 * Inverted dropout (PyTorch's `nn.Dropout`): in training mode, zeroes each element with
 * probability `p` and scales the others by `1 / (1 - p)`; in evaluation mode, the identity.
 * The mask is drawn from `generator` (default: the global one seeded by `manualSeed`).
 *
 * Shape: input [*] -> output [*] (same shape).
 *
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * const x = ones([2, 4]);
 * const drop = new Dropout(0.25);
 * drop.call(x); // training: about a quarter zeroed, the rest times 4/3
 * drop.eval().call(x).toArray(); // [[1, 1, 1, 1], [1, 1, 1, 1]] (evaluation: the identity)
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  #generator: Generator | undefined;
  constructor(p = 0.5, opts?: { generator?: Generator }) {
    super();
    opts = checkOptions(OPTS, opts);
    checkDropoutP('Dropout', p);
    this.p = p;
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}
