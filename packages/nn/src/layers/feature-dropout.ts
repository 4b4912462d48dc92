import { checkOptions, defineOptions, unsupported, type Generator, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { checkDropoutP } from '../functional/layers.js';
import { alphaDropout, dropout3d, featureAlphaDropout } from '../functional/feature-dropout.js';

const FIELDS = { generator: 'generator', inplace: unsupported('inplace is not supported', false) } as const;
const OPTS3 = defineOptions('Dropout3d', FIELDS);
const ALPHA = defineOptions('AlphaDropout', FIELDS);
const FEATURE_ALPHA = defineOptions('FeatureAlphaDropout', FIELDS);

/**
 * Channel dropout for volumes (PyTorch's `nn.Dropout3d`): in training, zeroes whole D x H x W
 * channels with probability `p` and scales the rest by `1 / (1 - p)`; the identity in evaluation.
 * See {@link F.dropout3d}.
 *
 * Shape: [N, C, D, H, W] or [C, D, H, W] -> the same.
 *
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * new Dropout3d(0.2).eval().call(ones([1, 2, 2, 2, 2])).sum().item(); // 16
 */
export class Dropout3d extends Module {
  /** Probability of zeroing a channel. */
  readonly p: number;
  #generator: Generator | undefined;
  constructor(p = 0.5, opts?: { generator?: Generator }) {
    super();
    opts = checkOptions(OPTS3, opts);
    checkDropoutP('Dropout3d', p);
    this.p = p;
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
  forward(x: Tensor): Tensor {
    return dropout3d(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}

/**
 * Alpha dropout (PyTorch's `nn.AlphaDropout`), for SELU networks: in training, sets each element
 * to SELU's saturation value with probability `p` and rescales so that zero mean and unit variance
 * are kept (see {@link F.alphaDropout}); the identity in evaluation.
 *
 * Shape: [*] -> the same.
 *
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * new AlphaDropout(0.2).eval().call(ones([2, 2])).toArray(); // [[1, 1], [1, 1]]
 */
export class AlphaDropout extends Module {
  /** Probability of dropping an element. */
  readonly p: number;
  #generator: Generator | undefined;
  constructor(p = 0.5, opts?: { generator?: Generator }) {
    super();
    opts = checkOptions(ALPHA, opts);
    checkDropoutP('AlphaDropout', p);
    this.p = p;
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
  forward(x: Tensor): Tensor {
    return alphaDropout(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}

/**
 * Feature alpha dropout (PyTorch's `nn.FeatureAlphaDropout`): {@link AlphaDropout} on whole
 * channels (one draw per sample and channel); the identity in evaluation. See {@link F.featureAlphaDropout}.
 *
 * Shape: [N, C, *] -> the same.
 *
 * @throws ValueError unless 0 <= p <= 1
 * @example
 * new FeatureAlphaDropout(0.2).call(randn([2, 3, 4, 4])).shape; // [2, 3, 4, 4]
 */
export class FeatureAlphaDropout extends Module {
  /** Probability of dropping a channel. */
  readonly p: number;
  #generator: Generator | undefined;
  constructor(p = 0.5, opts?: { generator?: Generator }) {
    super();
    opts = checkOptions(FEATURE_ALPHA, opts);
    checkDropoutP('FeatureAlphaDropout', p);
    this.p = p;
    this.#generator = opts.generator;
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
  forward(x: Tensor): Tensor {
    return featureAlphaDropout(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}
