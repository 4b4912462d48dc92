import { checkOptions, defineOptions, type Tensor } from '@tapegrad/core';
import { Module } from '../module.js';
import { cosineSimilarity, pairwiseDistance } from '../functional/distance.js';

const COSINE = defineOptions('CosineSimilarity', { dim: 'integer', eps: 'number' });
const PAIRWISE = defineOptions('PairwiseDistance', { p: 'number', eps: 'number', keepdim: 'boolean' });

/**
 * Cosine similarity along `dim` (PyTorch's `nn.CosineSimilarity`); see {@link F.cosineSimilarity}.
 *
 * Shape: x1, x2 [*, D, *] -> [*, *] (dim removed); defaults dim = 1, eps = 1e-8.
 *
 * @example
 * new CosineSimilarity({ dim: 1 }).call(randn([4, 8]), randn([4, 8])).shape; // [4]
 */
export class CosineSimilarity extends Module<[Tensor, Tensor]> {
  /** The dim compared. */
  readonly dim: number;
  /** Lower bound of each norm. */
  readonly eps: number;
  constructor(opts?: { dim?: number; eps?: number }) {
    super();
    opts = checkOptions(COSINE, opts);
    this.dim = opts.dim ?? 1;
    this.eps = opts.eps ?? 1e-8;
  }
  override extraRepr(): string { return `dim=${this.dim}, eps=${this.eps}`; }
  forward(x1: Tensor, x2: Tensor): Tensor { return cosineSimilarity(x1, x2, { dim: this.dim, eps: this.eps }); }
}

/**
 * p-norm distance between rows (PyTorch's `nn.PairwiseDistance`); see {@link F.pairwiseDistance}.
 *
 * Shape: x1, x2 [N, D] -> [N] (or [N, 1] with keepdim); defaults p = 2, eps = 1e-6.
 *
 * @example
 * new PairwiseDistance({ p: 1 }).call(randn([4, 8]), randn([4, 8])).shape; // [4]
 */
export class PairwiseDistance extends Module<[Tensor, Tensor]> {
  /** The norm order. */
  readonly p: number;
  /** Added to the difference. */
  readonly eps: number;
  /** Keep the reduced dim. */
  readonly keepdim: boolean;
  constructor(opts?: { p?: number; eps?: number; keepdim?: boolean }) {
    super();
    opts = checkOptions(PAIRWISE, opts);
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.keepdim = opts.keepdim ?? false;
  }
  override extraRepr(): string { return `p=${this.p}, eps=${this.eps}, keepdim=${this.keepdim}`; }
  forward(x1: Tensor, x2: Tensor): Tensor { return pairwiseDistance(x1, x2, { p: this.p, eps: this.eps, keepdim: this.keepdim }); }
}
