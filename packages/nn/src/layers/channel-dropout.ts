import { checkOptions, defineOptions, unsupported, type Generator, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { checkDropoutP } from '../functional/layers.js';
import { dropout1d, dropout2d } from '../functional/channel-dropout.js';

const OPTS1 = defineOptions('Dropout1d', { generator: 'generator', inplace: unsupported('inplace is not supported', false) });
const OPTS2 = defineOptions('Dropout2d', { generator: 'generator', inplace: unsupported('inplace is not supported', false) });

/**
 * Channel dropout for sequences (PyTorch's `nn.Dropout1d`): in training, zeroes whole channels
 * with probability `p` and scales the rest by `1 / (1 - p)`; the identity in evaluation. See {@link F.dropout1d}.
 *
 * Shape: [N, C, L] or [C, L] -> the same.
 *
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * new Dropout1d(0.2).call(randn([4, 8, 16])).shape; // [4, 8, 16]
 */
export class Dropout1d extends Module {
  /** Probability of zeroing a channel. */
  readonly p: number;
  #generator: Generator | undefined;
  constructor(p = 0.5, opts?: { generator?: Generator }) {
    super();
    opts = checkOptions(OPTS1, opts);
    checkDropoutP('Dropout1d', p);
    this.p = p;
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
  forward(x: Tensor): Tensor {
    return dropout1d(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}

/**
 * Channel dropout for images (PyTorch's `nn.Dropout2d`): in training, zeroes whole feature maps
 * with probability `p` and scales the rest by `1 / (1 - p)`; the identity in evaluation. See {@link F.dropout2d}.
 *
 * Shape: [N, C, H, W] or [C, H, W] -> the same.
 *
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * new Dropout2d(0.2).eval().call(ones([1, 2, 2, 2])).sum().item(); // 8
 */
export class Dropout2d extends Module {
  /** Probability of zeroing a channel. */
  readonly p: number;
  #generator: Generator | undefined;
  constructor(p = 0.5, opts?: { generator?: Generator }) {
    super();
    opts = checkOptions(OPTS2, opts);
    checkDropoutP('Dropout2d', p);
    this.p = p;
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}
