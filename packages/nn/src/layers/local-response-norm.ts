import { ValueError, checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { localResponseNorm } from '../functional/normalization.js';
import { requireInteger } from '../options.js';

const OPTS = defineOptions('LocalResponseNorm', { alpha: 'number', beta: 'number', k: 'number' });

/**
 * Options of {@link LocalResponseNorm}.
 *
 * @example
 * new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 }).k; // 2
 */
export interface LocalResponseNormOptions {
  /** Multiplies the mean of squares (default 1e-4). */
  alpha?: number;
  /** The exponent (default 0.75). */
  beta?: number;
  /** Added before the power (default 1). */
  k?: number;
}

/**
 * Local response normalisation across channels (PyTorch's `nn.LocalResponseNorm`, as in AlexNet):
 * `y[n, c] = x[n, c] / (k + alpha / size * sum_{c'} x[n, c']²)^beta` over the `size` neighbouring
 * channels `c - floor(size / 2) <= c' <= c + floor((size - 1) / 2)`. No parameters. See
 * {@link F.localResponseNorm}.
 *
 * Shape: input [N, C, *] (at least 3 dims) -> output of the same shape.
 *
 * @throws ValueError unless size is a positive integer
 * @example
 * const lrn = new LocalResponseNorm(2);
 * lrn.call(randn([2, 16, 8, 8])).shape; // [2, 16, 8, 8]
 */
export class LocalResponseNorm extends Module {
  /** The number of neighbouring channels summed over. */
  readonly size: number;
  /** Multiplies the mean of squares. */
  readonly alpha: number;
  /** The exponent. */
  readonly beta: number;
  /** Added before the power. */
  readonly k: number;

  constructor(size: number, opts?: LocalResponseNormOptions) {
    super();
    opts = checkOptions(OPTS, opts);
    requireInteger('LocalResponseNorm', 'size', size);
    if (size < 1) throw new ValueError(`LocalResponseNorm: size must be a positive integer, got ${size}`);
    this.size = size;
    this.alpha = opts.alpha ?? 1e-4;
    this.beta = opts.beta ?? 0.75;
    this.k = opts.k ?? 1;
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }

  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }
}
